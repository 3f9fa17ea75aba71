package lockacrossio

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"
)

type rates struct {
	mu     sync.Mutex
	hc     *http.Client
	latest map[string]float64
}

// The lock is held across a helper that calls the rates API: the call is
// two functions down, the stall is the same.
// at most info: no request handler of the package reaches it.
func (r *rates) Get(ctx context.Context, cur string) (float64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if v, ok := r.latest[cur]; ok {
		return v, nil
	}
	if err := r.reload(ctx); err != nil { // want `an HTTP call \(through \(\*rates\).reload → \(\*rates\).fetch\) while r.mu is held`
		return 0, err
	}
	return r.latest[cur], nil
}

func (r *rates) reload(ctx context.Context) error { return r.fetch(ctx) }

func (r *rates) fetch(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://rates.example.com", nil)
	if err != nil {
		return err
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// One refresh per account at a time, on purpose: the lock is the
// account's own, and other accounts do not wait.
type refresher struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
	hc    *http.Client
	keys  sync.Map
}

func (f *refresher) refresh(req *http.Request, account string) error {
	f.mu.Lock()
	l, ok := f.locks[account]
	if !ok {
		l = &sync.Mutex{}
		f.locks[account] = l
	}
	f.mu.Unlock()

	l.Lock()
	defer l.Unlock()
	resp, err := f.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (f *refresher) refreshByMap(req *http.Request, account string) error {
	v, _ := f.keys.LoadOrStore(account, &sync.Mutex{})
	m := v.(*sync.Mutex)
	m.Lock()
	defer m.Unlock()
	resp, err := f.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

type tokenCache struct {
	mu     sync.Mutex
	hc     *http.Client
	cached *cachedToken
}

type cachedToken struct {
	Token   string
	Expires time.Time
}

// at most info: one cached token, refreshed on a miss under the lock that
// every caller needs anyway.
func (c *tokenCache) Token(req *http.Request) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cached != nil && time.Now().Before(c.cached.Expires) {
		return c.cached.Token, nil
	}
	resp, err := c.hc.Do(req) // want `an HTTP call while c.mu is held.*info only: the call fills a single cached value`
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	c.cached = &cachedToken{Token: "t", Expires: time.Now().Add(time.Hour)}
	return c.cached.Token, nil
}

var errClosed = errors.New("closed")

type notifier struct {
	mu     sync.Mutex
	hc     *http.Client
	closed bool
}

// A guard that returns an error is no cache: the call runs on every send.
// at most info: no request handler of the package reaches it.
func (n *notifier) send(req *http.Request) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return errClosed
	}
	resp, err := n.hc.Do(req) // want `an HTTP call while n.mu is held`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
