package retrypostwithoutkey

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"github.com/cenkalti/backoff/v4"
)

type payments struct{ hc *http.Client }

// charge sends the POST; the retry is in its callers.
func (p *payments) charge(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://pay.example/charges", bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// chargeKeyed sends the same POST with the key its caller made once.
func (p *payments) chargeKeyed(ctx context.Context, key string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://pay.example/charges", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Idempotency-Key", key)
	resp, err := p.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// submit is one more call between the loop and the POST.
func (p *payments) submit(ctx context.Context, body []byte) error { return p.charge(ctx, body) }

// A retry loop around a helper that POSTs.
func (p *payments) chargeWithRetry(ctx context.Context, body []byte) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if err = p.charge(ctx, body); err == nil { // want `a POST is sent inside a retry loop, by .\(\*payments\)\.charge. \(retrypostwithoutkey/chain\.go:\d+\), with no Idempotency-Key`
			return nil
		}
		time.Sleep(time.Duration(attempt) * time.Second)
	}
	return err
}

// A closure handed to a retry helper, two calls away from the POST.
func (p *payments) submitWithBackoff(ctx context.Context, body []byte) error {
	return backoff.Retry(func() error {
		return p.submit(ctx, body) // want `by .\(\*payments\)\.submit. via .\(\*payments\)\.charge.`
	}, backoff.NewExponentialBackOff())
}

// The callee sends the key: silent.
func (p *payments) chargeKeyedWithRetry(ctx context.Context, key string, body []byte) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if err = p.chargeKeyed(ctx, key, body); err == nil {
			return nil
		}
		time.Sleep(time.Duration(attempt) * time.Second)
	}
	return err
}
