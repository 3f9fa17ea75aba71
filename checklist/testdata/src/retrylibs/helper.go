package retrylibs

import (
	"bytes"
	"context"
	"net/http"

	"retrylibs/attempt"
)

// The module's own helper in another package runs the closure again.
// at most info: an enqueue names nothing costly or seen by a person.
func enqueueJob(ctx context.Context, hc *http.Client, body []byte) error {
	return attempt.Do(ctx, 3, func(ctx context.Context) error {
		resp, err := hc.Post("https://jobs.example/enqueue", "application/json", bytes.NewReader(body)) // want `retried by attempt\.Do \(retrylibs/helper\.go:\d+\)`
		if err != nil {
			return err
		}
		return resp.Body.Close()
	})
}

// A helper that runs the closure once per item does not retry: silent.
func enqueueEach(ctx context.Context, hc *http.Client, items []string) error {
	return attempt.Each(ctx, items, func(ctx context.Context, it string) error {
		resp, err := hc.Post("https://jobs.example/enqueue", "text/plain", bytes.NewReader([]byte(it)))
		if err != nil {
			return err
		}
		return resp.Body.Close()
	})
}
