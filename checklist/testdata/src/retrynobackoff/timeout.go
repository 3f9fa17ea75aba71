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
