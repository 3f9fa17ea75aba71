// Package callerctx holds clients without Timeout whose requests carry a
// context handed in by the caller: bounded where the caller says, so at
// most info; a request with no context, or Background, keeps the error.
package callerctx

import (
	"context"
	"net/http"
	"time"
)

type api struct {
	hc *http.Client
}

// at most info: every request the field's client sends carries the
// caller's ctx.
func newAPI() *api {
	return &api{hc: &http.Client{}} // want `its requests carry the caller's context`
}

func (a *api) get(ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return a.hc.Do(req)
}

func (a *api) post(ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, u, nil)
	if err != nil {
		return nil, err
	}
	return a.hc.Do(req.WithContext(ctx))
}

// at most info: the handler's request context.
func proxy(w http.ResponseWriter, r *http.Request) {
	client := &http.Client{} // want `its requests carry the caller's context`
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, "http://upstream/", nil)
	if err != nil {
		return
	}
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
	}
}

// at most info: a client from a constructor of the package, used on the
// caller's ctx.
func newClient() *http.Client {
	return &http.Client{Transport: http.DefaultTransport} // want `its requests carry the caller's context`
}

func lookup(ctx context.Context, u string) error {
	hc := newClient()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// HTTPClient stands for oauth2.HTTPClient, the context key oauth2 reads
// its client from.
var HTTPClient struct{}

// at most info: the client goes to oauth2 in the caller's ctx.
func exchange(ctx context.Context) context.Context {
	client := &http.Client{} // want `its requests carry the caller's context`
	return context.WithValue(ctx, HTTPClient, client)
}

// at most info: DefaultClient on the caller's ctx.
func viaDefault(ctx context.Context, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req) // want `its requests carry the caller's context`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

type timed struct {
	hc *http.Client
}

// Every request of the field's client has a deadline made in sight: silent.
func newTimed() *timed {
	return &timed{hc: &http.Client{}}
}

func (t *timed) get(u string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := t.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
