package retrypostwithoutkey

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"time"
)

// pipelines sends pipeline definitions to the configured modifier service.
type pipelines struct {
	hc       *http.Client
	modifier string
}

// at most info: the POST sends a pipeline and gets the modified pipeline
// back; nothing in it says it creates, charges or sends, and a repeat is
// harmless.
func (p *pipelines) modify(ctx context.Context, pipeline []byte) (*http.Response, error) {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.modifier, bytes.NewReader(pipeline)) // want `nothing in the URL, the client or the function says`
		if err != nil {
			return nil, err
		}
		resp, err := p.hc.Do(req)
		if err == nil {
			return resp, nil
		}
		lastErr = err
		time.Sleep(time.Duration(attempt+1) * time.Second)
	}
	return nil, lastErr
}

// sendSMS retries the SMS gateway's send: a retry after a lost answer
// texts the user twice.
func (p *pipelines) sendSMS(ctx context.Context, gateway string, body []byte) error {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, gateway, bytes.NewReader(body)) // want `a POST is sent inside a retry loop with no Idempotency-Key`
		if err != nil {
			return err
		}
		resp, err := p.hc.Do(req)
		if err == nil {
			return resp.Body.Close()
		}
		lastErr = err
		time.Sleep(time.Duration(attempt+1) * time.Second)
	}
	return lastErr
}

// userIDByEmail looks a user up by e-mail address through a POST: a repeat
// reads the same answer again, so at most info.
func (p *pipelines) userIDByEmail(ctx context.Context, directory, email string) error {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, directory+"/users/batch_get_id", strings.NewReader(email)) // want `nothing in the URL, the client or the function says this POST charges`
		if err != nil {
			return err
		}
		resp, err := p.hc.Do(req)
		if err == nil {
			return resp.Body.Close()
		}
		lastErr = err
		time.Sleep(time.Duration(attempt+1) * time.Second)
	}
	return lastErr
}

// subscription is a message queue's subscription that delivers events to
// a function.
type subscription struct {
	hc    *http.Client
	fnURL string
}

// at most info: a queue subscription redelivering an event at least once
// says nothing of a charge.
func (s *subscription) deliver(ctx context.Context, payload []byte) error {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.fnURL, bytes.NewReader(payload)) // want `nothing in the URL, the client or the function says`
		if err != nil {
			return err
		}
		resp, err := s.hc.Do(req)
		if err == nil {
			return resp.Body.Close()
		}
		lastErr = err
		time.Sleep(time.Duration(attempt+1) * time.Second)
	}
	return lastErr
}
