package lockacrossio

import (
	"context"
	"net/http"
	"sync"
)

type rates struct {
	mu     sync.Mutex
	hc     *http.Client
	latest map[string]float64
}

// The lock is held across a helper that calls the rates API: the call is
// two functions down, the stall is the same.
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
