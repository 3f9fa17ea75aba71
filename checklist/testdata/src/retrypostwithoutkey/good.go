package retrypostwithoutkey

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
	retryablehttp "github.com/hashicorp/go-retryablehttp"
)

// One key for every attempt.
func (o *orders) createOnce(ctx context.Context, body []byte) error {
	key := uuid.NewString()
	for attempt := 1; attempt <= 3; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.base+"/orders", bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Idempotency-Key", key)
		resp, err := o.hc.Do(req)
		if err == nil {
			return resp.Body.Close()
		}
		time.Sleep(time.Duration(attempt) * time.Second)
	}
	return nil
}

// GETs are safe to retry.
func (o *orders) list(ctx context.Context) error {
	for attempt := 0; attempt < 3; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.base+"/orders", nil)
		if err != nil {
			return err
		}
		resp, err := o.hc.Do(req)
		if err == nil {
			return resp.Body.Close()
		}
	}
	return nil
}

// A POST sent once per item, not retried.
func (o *orders) createAll(ctx context.Context, bodies [][]byte) error {
	for _, b := range bodies {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.base+"/orders", bytes.NewReader(b))
		if err != nil {
			return err
		}
		resp, err := o.hc.Do(req)
		if err != nil {
			return err
		}
		if err := resp.Body.Close(); err != nil {
			return err
		}
	}
	return nil
}

// A read-only POST (a search) in a retry loop.
func (o *orders) search(ctx context.Context, q []byte) error {
	for attempt := 0; attempt < 3; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://api.example.com/search", bytes.NewReader(q))
		if err != nil {
			return err
		}
		resp, err := o.hc.Do(req)
		if err == nil {
			return resp.Body.Close()
		}
	}
	return nil
}

// go-retryablehttp with a key.
func (o *orders) viaRetryableWithKey(rc *retryablehttp.Client, body []byte) error {
	req, err := retryablehttp.NewRequest(http.MethodPost, o.base+"/orders", body)
	if err != nil {
		return err
	}
	req.Header.Set("Idempotency-Key", uuid.NewString())
	resp, err := rc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// The retrying client with a key on the request.
func (b *billing) refund(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+"/refunds", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Idempotency-Key", uuid.NewString())
	resp, err := b.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// GETs through the retrying client are safe.
func (b *billing) status(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/status", nil)
	if err != nil {
		return err
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A POST through a plain client is not retried.
func (o *orders) once(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.base+"/orders", bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := o.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A login POST to a URL built from pieces, retried: logging in twice is
// harmless.
func (o *orders) login(ctx context.Context, creds []byte) error {
	for attempt := 0; attempt < 3; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/watchers/login", o.base), bytes.NewReader(creds))
		if err != nil {
			return err
		}
		resp, err := o.hc.Do(req)
		if err == nil {
			return resp.Body.Close()
		}
	}
	return nil
}

// A function named for refreshing a token sends only an authentication
// POST, whatever its URL says.
func (o *orders) refreshJwtToken(ctx context.Context, creds []byte) error {
	for attempt := 0; attempt < 3; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.base+"/v1/session", bytes.NewReader(creds))
		if err != nil {
			return err
		}
		resp, err := o.hc.Do(req)
		if err == nil {
			return resp.Body.Close()
		}
	}
	return nil
}
