// Package capped calls partners' APIs from request handlers and jobs.
package capped

import (
	"context"
	"net/http"
	"time"
)

// Partner calls a partner's API through a client with a Timeout.
type Partner struct {
	base string
	http *http.Client
}

// NewPartner builds the client with a deadline.
func NewPartner(base string) *Partner {
	return &Partner{base: base, http: &http.Client{Timeout: 10 * time.Second}}
}

// Price drops the caller's ctx on a client whose every construction sets a
// Timeout: at most info, the Timeout bounds the call.
func (p *Partner) Price(ctx context.Context, sku string) (int, error) {
	req, err := http.NewRequest(http.MethodGet, p.base+"/prices/"+sku, nil) // want `http.NewRequest sends the request without ctx.*info: the client's own Timeout bounds the call`
	if err != nil {
		return 0, err
	}
	resp, err := p.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// Quote builds its own deadline on a fresh root and never hands it on; the
// client's Timeout bounds the call: at most info.
func (p *Partner) Quote(sku string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	p.deliver(ctx)
	req, err := http.NewRequest(http.MethodGet, p.base+"/quotes/"+sku, nil) // want `http.NewRequest sends the request without ctx.*info: the client's own Timeout`
	if err != nil {
		return 0, err
	}
	resp, err := p.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// at most info: http.Get uses http.DefaultClient, which http-no-timeout
// reports on this call.
func Status(ctx context.Context, url string) (int, error) {
	resp, err := http.Get(url) // want `http.Get sends the request without ctx.*info: the client has no Timeout`
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// at most info: a client literal with no Timeout sends it; the deadline
// it lacks is the comment to post.
func Me(w http.ResponseWriter, r *http.Request) {
	req, err := http.NewRequest("GET", "https://api.example.com/me", nil) // want `http.NewRequest sends the request without r.Context\(\).*info: the client has no Timeout`
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	client := &http.Client{}
	resp, err := client.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
}

// at most info: the goroutine's work is detached on purpose.
func (p *Partner) Notify(w http.ResponseWriter, r *http.Request) {
	bgCtx := context.WithoutCancel(r.Context())
	go func() {
		p.deliver(bgCtx)
		req, err := http.NewRequest(http.MethodPost, p.base+"/events", nil) // want `http.NewRequest sends the request without r.Context\(\).*info: the context at hand is detached`
		if err != nil {
			return
		}
		if resp, err := p.http.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

func (p *Partner) deliver(context.Context) {}

// at most info: the only context at hand is a fresh root.
func (p *Partner) Sweep() {
	ctx := context.Background()
	p.deliver(ctx)
	req, err := http.NewRequest(http.MethodDelete, p.base+"/stale", nil) // want `http.NewRequest sends the request without ctx.*info: the context at hand is detached`
	if err != nil {
		return
	}
	if resp, err := p.http.Do(req); err == nil {
		resp.Body.Close()
	}
}

// Vendor holds a client its caller hands in, whose Timeout is not in sight.
type Vendor struct {
	base string
	hc   *http.Client
}

// NewVendor keeps the caller's client.
func NewVendor(base string, hc *http.Client) *Vendor { return &Vendor{base: base, hc: hc} }

// Price drops the caller's ctx on a client of unknown Timeout: posted.
func (v *Vendor) Price(ctx context.Context, sku string) (int, error) {
	req, err := http.NewRequest(http.MethodGet, v.base+"/prices/"+sku, nil) // want `http.NewRequest sends the request without ctx: when the caller is cancelled`
	if err != nil {
		return 0, err
	}
	resp, err := v.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// Trigger sends through a client its constructor builds and then gives a
// Timeout from the configuration.
type Trigger struct {
	url    string
	client *http.Client
}

// NewTrigger sets the Timeout after building the client.
func NewTrigger(url string, seconds int) *Trigger {
	client := &http.Client{}
	timeout := 60 * time.Second
	if seconds > 0 {
		timeout = time.Duration(seconds) * time.Second
	}
	client.Timeout = timeout
	return &Trigger{url: url, client: client}
}

// Fire drops the caller's ctx on that client: at most info, its Timeout
// bounds the call.
func (t *Trigger) Fire(ctx context.Context) error {
	req, err := http.NewRequest(http.MethodPost, t.url, nil) // want `http.NewRequest sends the request without ctx.*info: the client's own Timeout`
	if err != nil {
		return err
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
