package callerctx

import (
	"context"
	"net/http"
)

type mixed struct {
	hc *http.Client
}

// One request on the caller's ctx, one with none: the error stands.
func newMixed() *mixed {
	return &mixed{hc: &http.Client{}} // want `http.Client without Timeout: a peer that stops answering`
}

func (m *mixed) get(ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return m.hc.Do(req)
}

func (m *mixed) ping(u string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return m.hc.Do(req)
}

// context.Background bounds nothing.
func background(u string) error {
	client := &http.Client{} // want `http.Client without Timeout: a peer that stops answering`
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// client.Get carries no context.
func plainGet(ctx context.Context, u string) error {
	client := &http.Client{} // want `http.Client without Timeout: a peer that stops answering`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	if _, err := client.Do(req); err != nil {
		return err
	}
	resp, err := client.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// NewClient hands its client out of the package: its requests are not in
// sight, so at most info.
func NewClient() *http.Client {
	return &http.Client{} // want `http.Client without Timeout: no request sent with it is in sight`
}

// DefaultClient on a request with no context.
func viaDefaultNoCtx(u string) error {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req) // want `http.DefaultClient has no timeout: a peer`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

type store struct {
	hc *http.Client
}

// The ctx parameter's only caller passes context.Background: no bound.
func newStore() *store {
	return &store{hc: &http.Client{}} // want `http.Client without Timeout: a peer that stops answering`
}

func (s *store) fetch(ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return s.hc.Do(req)
}

func (s *store) refresh() {
	ctx := context.Background()
	if resp, err := s.fetch(ctx, "http://peer/"); err == nil {
		resp.Body.Close()
	}
}

// challengeRequest builds a request with no context.
func challengeRequest(u string) (*http.Request, error) {
	return http.NewRequest(http.MethodGet, u, nil)
}

// challenge sends a request a helper built without a context: nothing
// bounds it.
func challenge(u string) (string, error) {
	req, err := challengeRequest(u)
	if err != nil {
		return "", err
	}
	client := &http.Client{} // want `http.Client without Timeout: a peer that stops answering`
	var res *http.Response
	if res, err = client.Do(req); err != nil {
		return "", err
	}
	defer res.Body.Close()
	return res.Header.Get("WWW-Authenticate"), nil
}

// requestFor builds a request on the caller's context.
func requestFor(ctx context.Context, u string) (*http.Request, error) {
	return http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
}

// at most info: the helper takes the caller's ctx, whose deadline is the caller's to set.
func challengeCtx(ctx context.Context, u string) (string, error) {
	req, err := requestFor(ctx, u)
	if err != nil {
		return "", err
	}
	client := &http.Client{} // want `http.Client without Timeout`
	res, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	return res.Header.Get("WWW-Authenticate"), nil
}
