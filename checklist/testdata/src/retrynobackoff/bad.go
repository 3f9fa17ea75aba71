// Package retrynobackoff holds retry loops that hammer a failing
// dependency, and loops that back off properly.
package retrynobackoff

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

const maxAttempts = 4

// Client calls a billing API.
type Client struct {
	hc   *http.Client
	base string
}

// Charge retries at once, with no pause.
func (c *Client) Charge(ctx context.Context, body []byte) (*http.Response, error) {
	var lastErr error
	for attempt := 0; attempt < maxAttempts; attempt++ { // want `this loop retries an HTTP request with no pause between attempts`
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/charges", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		resp, err := c.hc.Do(req)
		if err == nil && resp.StatusCode < 500 {
			return resp, nil
		}
		if err == nil {
			resp.Body.Close()
			err = errors.New(resp.Status)
		}
		lastErr = err
	}
	return nil, lastErr
}

// Refund sleeps the same two seconds every time: a fixed pause paces the
// attempts, so at most info.
func (c *Client) Refund(ctx context.Context, id string) error {
	var err error
	for retries := 3; retries > 0; retries-- {
		var resp *http.Response
		resp, err = c.hc.Post(c.base+"/refunds/"+id, "application/json", nil)
		if err == nil {
			return resp.Body.Close()
		}
		time.Sleep(2 * time.Second) // want `waits a fixed delay between attempts`
	}
	return err
}

// send wraps the HTTP call; loops over it retry an HTTP request too.
func (c *Client) send(ctx context.Context, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Sync backs off but never gives up.
func (c *Client) Sync(ctx context.Context) {
	delay := 100 * time.Millisecond
	for { // want `this loop retries an HTTP request forever`
		err := c.send(ctx, "/sync")
		if err == nil {
			return
		}
		time.Sleep(delay)
		delay *= 2
	}
}

// WithRetry is a generic helper that retries an operation immediately.
func WithRetry(n int, op func() error) error {
	var err error
	for i := 0; i < n; i++ { // want `this loop retries an operation with no pause`
		if err = op(); err == nil {
			return nil
		}
	}
	return err
}

// Dial retries a dial in a range-over-int loop with no pause.
func Dial(addr string) (net.Conn, error) {
	var lastErr error
	for attempt := range 5 { // want `this loop retries a network dial with no pause`
		_ = attempt
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			return conn, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

// Every waits a constant five seconds in a select: at most info.
func (c *Client) Every(ctx context.Context) error {
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if err := c.send(ctx, "/every"); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Second): // want `waits a fixed delay between attempts`
		}
	}
	return errors.New("gave up")
}
