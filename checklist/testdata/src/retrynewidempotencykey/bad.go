package retrynewidempotencykey

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"net/http"
	"strconv"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/google/uuid"
)

type payments struct {
	hc  *http.Client
	url string
}

// A header set from a fresh UUID on every attempt.
func (p *payments) charge(ctx context.Context, body []byte) error {
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Idempotency-Key", uuid.NewString()) // want `idempotency key is created inside the retry loop`
		resp, err := p.hc.Do(req)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		lastErr = err
		time.Sleep(time.Duration(attempt) * time.Second)
	}
	return lastErr
}

// Through a variable, in a backoff.Retry callback.
func (p *payments) refund(ctx context.Context, body []byte) error {
	op := func() error {
		key := uuid.Must(uuid.NewRandom()) // want `idempotency key is created inside the retry loop`
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(body))
		if err != nil {
			return backoff.Permanent(err)
		}
		req.Header["Idempotency-Key"] = []string{key.String()}
		resp, err := p.hc.Do(req)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}
	return backoff.Retry(op, backoff.NewExponentialBackOff())
}

type chargeParams struct {
	Amount         int64
	IdempotencyKey string
}

// A struct field, from math/rand, in an endless loop that counts retries.
func (p *payments) send(ctx context.Context, do func(chargeParams) error) error {
	retries := 0
	for {
		params := chargeParams{Amount: 100, IdempotencyKey: strconv.Itoa(rand.Int())} // want `idempotency key is created inside the retry loop`
		if err := do(params); err == nil || retries > 3 {
			return err
		}
		retries++
	}
}

// A request ID from the clock, in a wrapper named like a retry helper.
func (p *payments) notify(ctx context.Context) error {
	return withRetry(ctx, 3, func() error {
		requestID := fmt.Sprint(time.Now().UnixNano()) // want `request ID is created inside the retry loop`
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, p.url, nil)
		if err != nil {
			return err
		}
		req.Header.Set("X-Request-ID", requestID)
		resp, err := p.hc.Do(req)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	})
}

func withRetry(ctx context.Context, n int, f func() error) error {
	var err error
	for range n {
		if err = f(); err == nil {
			return nil
		}
	}
	return err
}
