package retrynewidempotencykey

import (
	"bytes"
	"context"
	"math/rand"
	"net/http"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/google/uuid"
)

// The key is made once, before the loop.
func (p *payments) chargeOnce(ctx context.Context, body []byte) error {
	key := uuid.NewString()
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Idempotency-Key", key)
		resp, err := p.hc.Do(req)
		if err == nil {
			return resp.Body.Close()
		}
		lastErr = err
		time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
	}
	return lastErr
}

// Jitter from math/rand inside the loop is not a key.
func (p *payments) poll(ctx context.Context) error {
	b := backoff.NewExponentialBackOff()
	for attempt := 0; attempt < 5; attempt++ {
		if err := p.ping(ctx); err == nil {
			return nil
		}
		jitter := time.Duration(rand.Int63n(int64(100 * time.Millisecond)))
		time.Sleep(b.NextBackOff() + jitter)
	}
	return context.DeadlineExceeded
}

func (p *payments) ping(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url, nil)
	if err != nil {
		return err
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A fresh ID per item in a loop over a collection is not a retry.
func ids(items []string) map[string]string {
	out := make(map[string]string, len(items))
	for _, it := range items {
		requestID := uuid.NewString()
		out[it] = requestID
	}
	return out
}

// A trace timestamp inside a retry callback is not a key.
func (p *payments) timed(ctx context.Context) error {
	return backoff.Retry(func() error {
		start := time.Now()
		err := p.ping(ctx)
		_ = time.Since(start)
		return err
	}, backoff.NewExponentialBackOff())
}
