// Package payclient is a payments API client written the way production
// needs it: one shared client with timeouts, retries with capped and jittered
// backoff that honour Retry-After, one idempotency key per logical request,
// bounded reads and closed bodies.
package payclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
)

const (
	maxResponse = 1 << 20
	maxAttempts = 5
	baseDelay   = 200 * time.Millisecond
	maxDelay    = 10 * time.Second
)

// Client talks to the payments API.
type Client struct {
	base  string
	http  *http.Client
	sleep func(ctx context.Context, d time.Duration) error
}

// New returns a client for the API at base.
func New(base string) *Client {
	return &Client{
		base: base,
		http: &http.Client{
			Timeout: 15 * time.Second,
			Transport: &http.Transport{
				MaxIdleConnsPerHost: 16,
				IdleConnTimeout:     90 * time.Second,
			},
		},
		sleep: sleepCtx,
	}
}

// Charge is a request to take money.
type Charge struct {
	Customer string `json:"customer"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// Receipt is the API's answer to a charge.
type Receipt struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// StatusError is a non-2xx answer.
type StatusError struct {
	Code int
	Body string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("payments API answered %d: %s", e.Code, e.Body)
}

// Charge takes money once, however many attempts it needs: every attempt
// carries the same idempotency key, made before the first.
func (c *Client) Charge(ctx context.Context, ch Charge) (*Receipt, error) {
	body, err := json.Marshal(ch)
	if err != nil {
		return nil, fmt.Errorf("encode charge: %w", err)
	}
	key := uuid.NewString()
	var out Receipt
	err = c.withRetries(ctx, func() (time.Duration, error) {
		return c.post(ctx, "/v1/charges", key, body, &out)
	})
	if err != nil {
		return nil, fmt.Errorf("charge %s: %w", ch.Customer, err)
	}
	return &out, nil
}

// post sends one attempt. It returns how long the server asked us to wait,
// if it did.
func (c *Client) post(ctx context.Context, path, key string, body []byte, out any) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
		return retryAfter(resp.Header.Get("Retry-After")), &StatusError{Code: resp.StatusCode}
	}
	if resp.StatusCode/100 != 2 {
		msg, readErr := io.ReadAll(io.LimitReader(resp.Body, 4096))
		if readErr != nil {
			return 0, permanent{fmt.Errorf("read error answer: %w", readErr)}
		}
		return 0, permanent{&StatusError{Code: resp.StatusCode, Body: string(msg)}}
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxResponse)).Decode(out); err != nil {
		return 0, permanent{fmt.Errorf("decode answer: %w", err)}
	}
	return 0, nil
}

// permanent marks an error that no retry can fix.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// withRetries runs attempt until it succeeds, fails permanently, or
// maxAttempts is reached. Waits double from baseDelay up to maxDelay with
// full jitter, and a server's Retry-After wins when it is longer.
func (c *Client) withRetries(ctx context.Context, attempt func() (time.Duration, error)) error {
	var lastErr error
	for n := 0; n < maxAttempts; n++ {
		wait, err := attempt()
		if err == nil {
			return nil
		}
		var p permanent
		if errors.As(err, &p) {
			return p.err
		}
		lastErr = err
		d := backoffDelay(n)
		if wait > d {
			d = min(wait, maxDelay)
		}
		if err := c.sleep(ctx, d); err != nil {
			return fmt.Errorf("waiting to retry after %w: %w", lastErr, err)
		}
	}
	return fmt.Errorf("gave up after %d attempts: %w", maxAttempts, lastErr)
}

func backoffDelay(n int) time.Duration {
	d := baseDelay << n
	if d > maxDelay || d <= 0 {
		d = maxDelay
	}
	return time.Duration(rand.Int64N(int64(d)) + 1)
}

// retryAfter reads a Retry-After header given in seconds; 0 when absent.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	secs, err := strconv.Atoi(v)
	if err != nil || secs < 0 {
		return 0
	}
	return time.Duration(secs) * time.Second
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Receipt fetches a receipt; GETs are safe to retry without a key.
func (c *Client) Receipt(ctx context.Context, id string) (*Receipt, error) {
	var out Receipt
	err := c.withRetries(ctx, func() (time.Duration, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/v1/receipts/"+id, nil)
		if err != nil {
			return 0, permanent{err}
		}
		resp, err := c.http.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return retryAfter(resp.Header.Get("Retry-After")), &StatusError{Code: resp.StatusCode}
		}
		return 0, json.NewDecoder(io.LimitReader(resp.Body, maxResponse)).Decode(&out)
	})
	if err != nil {
		return nil, fmt.Errorf("receipt %s: %w", id, err)
	}
	return &out, nil
}
