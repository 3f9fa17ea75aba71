package retryafterignored

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"
)

// Honour waits for Retry-After, capped.
func (c *Client) Honour(ctx context.Context, path string) (*http.Response, error) {
	const maxWait = 30 * time.Second
	for attempt := 0; attempt < 5; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusTooManyRequests {
			return resp, nil
		}
		wait := time.Duration(attempt+1) * time.Second
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
			wait = min(time.Duration(s)*time.Second, maxWait)
		}
		resp.Body.Close()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
	return nil, errors.New("still rate limited")
}

// RateLimitError carries the server's advice to the caller.
type RateLimitError struct{ After string }

func (e *RateLimitError) Error() string { return "rate limited, retry after " + e.After }

// Classify turns a 429 into an error; it does not retry.
func Classify(resp *http.Response) error {
	if resp.StatusCode == http.StatusTooManyRequests {
		return &RateLimitError{After: resp.Header.Get("Retry-After")}
	}
	if resp.StatusCode == http.StatusServiceUnavailable {
		return fmt.Errorf("unavailable: %s", resp.Status)
	}
	return nil
}

// Limit answers 429 as a server.
func Limit(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "10")
	w.WriteHeader(http.StatusTooManyRequests)
}

// Probe checks a recorder, not a client response.
func Probe(h http.Handler) bool {
	for i := 0; i < 3; i++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		if rec.Code == http.StatusTooManyRequests {
			return false
		}
	}
	return true
}

// Delegate lets a helper compute the wait from the response.
func (c *Client) Delegate(ctx context.Context, req *http.Request) (*http.Response, error) {
	for attempt := 0; attempt < 3; attempt++ {
		resp, err := c.hc.Do(req.Clone(ctx))
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusServiceUnavailable {
			return resp, nil
		}
		wait := waitFor(resp, attempt)
		resp.Body.Close()
		time.Sleep(wait)
	}
	return nil, errors.New("unavailable")
}

func waitFor(resp *http.Response, attempt int) time.Duration {
	if when, err := http.ParseTime(resp.Header.Get("Retry-After")); err == nil {
		return time.Until(when)
	}
	return time.Duration(1<<attempt) * time.Second
}

// ShouldRetry is a retry policy: it decides whether, not when.
func ShouldRetry(resp *http.Response, err error) bool {
	return err != nil || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
}

// pause says how long the server asked to wait, from its Retry-After.
func pause(resp *http.Response, fallback time.Duration) time.Duration {
	if d, err := time.ParseDuration(resp.Header.Get("Retry-After") + "s"); err == nil && d < time.Minute {
		return d
	}
	return fallback
}

// Upload waits as long as the server asked, through a helper.
func Upload(ctx context.Context, hc *http.Client, req *http.Request) error {
	for attempt := 0; attempt < 5; attempt++ {
		resp, err := hc.Do(req.WithContext(ctx))
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			time.Sleep(pause(resp, time.Second))
			continue
		}
		return nil
	}
	return nil
}

// HonourReset waits for the rate limit's reset header, which the server
// sends with the same wait as Retry-After.
func (c *Client) HonourReset(ctx context.Context, path string) (*http.Response, error) {
	for attempt := 0; attempt < 5; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusTooManyRequests {
			return resp, nil
		}
		resp.Body.Close()
		s, err := strconv.Atoi(resp.Header.Get("X-Rate-Limit-Reset"))
		if err != nil {
			s = attempt + 1
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(min(time.Duration(s)*time.Second, 30*time.Second)):
		}
	}
	return nil, errors.New("still rate limited")
}
