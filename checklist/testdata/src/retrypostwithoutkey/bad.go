package retrypostwithoutkey

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/cenkalti/backoff/v4"
	retryablehttp "github.com/hashicorp/go-retryablehttp"
)

type orders struct {
	hc   *http.Client
	base string
}

// A POST built inside the attempt loop.
func (o *orders) create(ctx context.Context, body []byte) error {
	for attempt := 1; attempt <= 3; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.base+"/orders", bytes.NewReader(body)) // want `a POST is sent inside a retry loop with no Idempotency-Key`
		if err != nil {
			return err
		}
		resp, err := o.hc.Do(req)
		if err == nil {
			return resp.Body.Close()
		}
		time.Sleep(time.Duration(attempt) * time.Second)
	}
	return nil
}

// A PATCH built once and sent on every attempt.
func (o *orders) update(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, "PATCH", o.base+"/orders/1", bytes.NewReader(body))
	if err != nil {
		return err
	}
	var lastErr error
	for retries := 0; retries < 3; retries++ {
		resp, err := o.hc.Do(req) // want `a PATCH is sent again on every attempt`
		if err == nil {
			return resp.Body.Close()
		}
		lastErr = err
	}
	return lastErr
}

// client.PostForm in a backoff.Retry callback.
func (o *orders) cancel(form url.Values) error {
	return backoff.Retry(func() error {
		resp, err := o.hc.PostForm(o.base+"/cancel", form) // want `a POST is sent in a function retried by backoff\.Retry \(retrypostwithoutkey/bad\.go:\d+\)`
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}, backoff.NewExponentialBackOff())
}

// Through go-retryablehttp, which retries POSTs by itself.
func (o *orders) viaRetryable(rc *retryablehttp.Client, body []byte) error {
	req, err := retryablehttp.NewRequest(http.MethodPost, o.base+"/orders", body) // want `through go-retryablehttp`
	if err != nil {
		return err
	}
	resp, err := rc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (o *orders) viaRetryablePost(rc *retryablehttp.Client, body []byte) error {
	resp, err := rc.Post(o.base+"/orders", "application/json", body) // want `through go-retryablehttp`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// retryTransport retries failed attempts, POSTs included.
type retryTransport struct{ next http.RoundTripper }

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.next.RoundTrip(req)
}

func newRetryTransport() http.RoundTripper { return &retryTransport{next: http.DefaultTransport} }

type billing struct {
	hc   *http.Client
	base string
}

func newBilling(base string) *billing {
	return &billing{hc: &http.Client{Transport: &retryTransport{next: http.DefaultTransport}, Timeout: 10 * time.Second}, base: base}
}

// Through a struct field holding a retrying client.
func (b *billing) invoice(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+"/invoices", bytes.NewReader(body)) // want `through a client whose Transport retries`
	if err != nil {
		return err
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var retrying = &http.Client{Transport: newRetryTransport(), Timeout: 10 * time.Second}

// Through a package variable, with the client's own Post; at most info:
// a notification to a URL that names nothing costly.
func notifyAll(u string, body []byte) error {
	resp, err := retrying.Post(u, "application/json", bytes.NewReader(body)) // want `through a client whose Transport retries`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
