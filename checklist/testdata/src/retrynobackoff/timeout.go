package retrynobackoff

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// at most info: each attempt gets its own deadline and only an attempt that
// ran it out is retried, so every attempt waited the timeout first.
func queryWithRetries(parent context.Context, c *http.Client, url string, timeout time.Duration) (*http.Response, error) {
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ { // want `no pause between attempts.*info: only an attempt that ran out its own timeout`
		ctx, cancel := context.WithTimeout(parent, timeout)
		req, rerr := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if rerr != nil {
			cancel()
			return nil, rerr
		}
		resp, derr := c.Do(req)
		cancel()
		if derr == nil {
			return resp, nil
		}
		err = derr
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, err
		}
	}
	return nil, err
}

// A per-attempt deadline that retries on any error still hammers: an
// attempt refused at once is retried at once.
func retryAnyError(parent context.Context, c *http.Client, url string) (*http.Response, error) {
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ { // want `no pause between attempts`
		ctx, cancel := context.WithTimeout(parent, time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, derr := c.Do(req)
		cancel()
		if derr == nil {
			return resp, nil
		}
		err = derr
	}
	return nil, err
}

// tokenClient calls an API whose access token expires.
type tokenClient struct {
	hc    *http.Client
	token string
}

func (c *tokenClient) refreshToken(ctx context.Context) error { c.token = "new"; return ctx.Err() }

// at most info: the loop goes round again only after renewing an expired
// token, not against a failing dependency.
func (c *tokenClient) do(ctx context.Context, url string) (*http.Response, error) {
	for i := 0; i < maxAttempts; i++ { // want `no pause between attempts.*info: the loop re-runs after renewing its credentials`
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode == http.StatusUnauthorized {
			_ = resp.Body.Close()
			if err := c.refreshToken(ctx); err != nil {
				return nil, err
			}
			continue
		}
		return resp, nil
	}
	return nil, errors.New("token kept expiring")
}
