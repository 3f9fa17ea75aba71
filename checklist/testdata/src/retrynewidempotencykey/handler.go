package retrynewidempotencykey

import (
	"bytes"
	"context"
	"net/http"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
)

// forwardPayment passes a payment message on to the provider with a key
// made per delivery: a redelivery of the message pays again.
func forwardPayment(ctx context.Context, hc *http.Client, m *nats.Msg) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://pay.example/charges", bytes.NewReader(m.Data))
	if err != nil {
		return err
	}
	req.Header.Set("Idempotency-Key", uuid.NewString()) // want `idempotency key is created inside a queue, event or webhook handler`
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// forwardRefund keys the request on the message: a redelivery sends the
// same key and the provider refunds once.
func forwardRefund(ctx context.Context, hc *http.Client, m *nats.Msg) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://pay.example/refunds", bytes.NewReader(m.Data))
	if err != nil {
		return err
	}
	if ids := m.Header["Nats-Msg-Id"]; len(ids) > 0 {
		req.Header.Set("Idempotency-Key", ids[0])
	}
	req.Header.Set("X-Trace-Id", uuid.NewString()) // a trace ID is no key
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
