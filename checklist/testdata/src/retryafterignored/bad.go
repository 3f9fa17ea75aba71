// Package retryafterignored holds retries on 429/503 that ignore
// Retry-After, and retries that honour it.
package retryafterignored

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Client calls a rate-limited API.
type Client struct {
	hc   *http.Client
	base string
}

// Fetch backs off on its own schedule after a 429.
func (c *Client) Fetch(ctx context.Context, path string) (*http.Response, error) {
	backoff := time.Second
	for attempt := 0; attempt < 5; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode == http.StatusTooManyRequests { // want `this retries on 429 without reading Retry-After`
			resp.Body.Close()
			time.Sleep(backoff)
			backoff *= 2
			continue
		}
		return resp, nil
	}
	return nil, errors.New("rate limited")
}

// Poll switches on the status inside its loop.
func (c *Client) Poll(ctx context.Context, req *http.Request) error {
	for {
		resp, err := c.hc.Do(req.Clone(ctx))
		if err != nil {
			return err
		}
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusOK:
			return nil
		case 429, http.StatusServiceUnavailable: // want `this retries on 503 without reading Retry-After`
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(5 * time.Second):
			}
		default:
			return errors.New(resp.Status)
		}
	}
}

// Once retries a single time after a 503, outside any loop.
func (c *Client) Once(ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	if 503 == resp.StatusCode { // want `this retries on 503 without reading Retry-After`
		resp.Body.Close()
		time.Sleep(2 * time.Second)
		return c.hc.Do(req.Clone(ctx))
	}
	return resp, nil
}

// Batch retries from a closure in a range loop.
func (c *Client) Batch(ctx context.Context, reqs []*http.Request) []error {
	var errs []error
	for _, r := range reqs {
		send := func() (bool, error) {
			resp, err := c.hc.Do(r.WithContext(ctx))
			if err != nil {
				return false, err
			}
			defer resp.Body.Close()
			if resp.StatusCode != 429 { // want `this retries on 429 without reading Retry-After`
				return false, nil
			}
			time.Sleep(time.Second)
			return true, nil
		}
		for retry := true; retry; {
			var err error
			if retry, err = send(); err != nil {
				errs = append(errs, err)
				break
			}
		}
	}
	return errs
}

// drain empties and closes a response so its connection can be reused.
func drain(resp *http.Response) {
	buf := make([]byte, 512)
	for {
		if _, err := resp.Body.Read(buf); err != nil {
			break
		}
	}
	_ = resp.Body.Close()
}

// Publish retries on 503 on its own schedule; handing the response to a
// helper that only drains it reads no Retry-After.
func (c *Client) Publish(ctx context.Context, req *http.Request) error {
	wait := 100 * time.Millisecond
	for attempt := 0; attempt < 5; attempt++ {
		resp, err := c.hc.Do(req.WithContext(ctx))
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusServiceUnavailable { // want `this retries on 503 without reading Retry-After`
			drain(resp)
			time.Sleep(wait)
			wait *= 2
			continue
		}
		drain(resp)
		return nil
	}
	return errors.New("publish: still unavailable")
}
