package retrylibs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/cenkalti/backoff/v4"
	"github.com/google/uuid"
)

// Comment is posted on an issue.
type Comment struct {
	RequestID string `json:"request_id"`
	Body      string `json:"body"`
}

// A comment retried with nothing to tell the attempts apart: posted twice.
func postComment(hc *http.Client, body string) error {
	return backoff.Retry(func() error {
		b, _ := json.Marshal(Comment{Body: body})
		resp, err := hc.Post("https://shop.example/orders/1/refunds", "application/json", bytes.NewReader(b)) // want `retried by backoff\.Retry \(retrylibs/precision\.go:\d+\) with no Idempotency-Key: .*header$`
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}, backoff.NewExponentialBackOff())
}

// at most info: the request ID made before the first attempt goes with
// every attempt, and the server can dedupe by it.
func postCommentOnce(hc *http.Client, body string) error {
	id := uuid.NewString()
	return backoff.Retry(func() error {
		b, _ := json.Marshal(Comment{RequestID: id, Body: body})
		resp, err := hc.Post("https://shop.example/orders/1/refunds", "application/json", bytes.NewReader(b)) // want `an ID made once, before the first attempt`
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}, backoff.NewExponentialBackOff())
}

// at most info: an anonymous daily analytics ping keyed by the instance:
// a second one is harmless.
func sendUsageAnalytics(ctx context.Context, hc *http.Client, instance string) error {
	return backoff.Retry(func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://stats.example/analytics/daily", bytes.NewReader([]byte(instance))) // want `harmless twice`
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}, backoff.NewExponentialBackOff())
}

// Shipping is no ping: a label bought twice is paid twice.
func createShippingLabel(hc *http.Client, body []byte) error {
	return backoff.Retry(func() error {
		resp, err := hc.Post("https://ship.example/shipping/labels", "application/json", bytes.NewReader(body)) // want `retried by backoff\.Retry \(retrylibs/precision\.go:\d+\) with no Idempotency-Key: .*header$`
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}, backoff.NewExponentialBackOff())
}

// at most info: a status report keyed by the instance is harmless twice.
func reportStatus(hc *http.Client, instance string) error {
	return backoff.Retry(func() error {
		resp, err := hc.Post("https://fleet.example/instances/"+instance+"/status", "application/json", nil) // want `harmless twice`
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}, backoff.NewExponentialBackOff())
}

// at most info: a language model's completion asked again costs tokens
// and changes nothing.
func askLLM(ctx context.Context, hc *http.Client, url string, prompt []byte) error {
	return backoff.Retry(func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(prompt)) // want `harmless twice`
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}, backoff.NewExponentialBackOff())
}

// at most info: "create" is only in the error message, which describes a
// failure, not the request.
func postDocument(ctx context.Context, hc *http.Client, url string, body []byte) error {
	return backoff.Retry(func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body)) // want `nothing in the URL, the client or the function says`
		if err != nil {
			return fmt.Errorf("failed to create request: %w", err)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}, backoff.NewExponentialBackOff())
}

// The same POST to a URL that says it creates an order stays posted.
func postOrder(ctx context.Context, hc *http.Client, body []byte) error {
	return backoff.Retry(func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://shop.example/orders", bytes.NewReader(body)) // want `retried by backoff\.Retry \(retrylibs/precision\.go:\d+\) with no Idempotency-Key: .*header$`
		if err != nil {
			return fmt.Errorf("failed to build request: %w", err)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}, backoff.NewExponentialBackOff())
}

// at most info: a forwarded batch whose names hold "order" and "label"
// only inside other words (recorder, labels) says nothing costly.
func forwardToRecorder(hc *http.Client, labels map[string]string, body []byte) error {
	_ = labels
	return backoff.Retry(func() error {
		resp, err := hc.Post("https://transformer.example/recorder/batch", "application/json", bytes.NewReader(body)) // want `info only: nothing in the URL`
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}, backoff.NewExponentialBackOff())
}
