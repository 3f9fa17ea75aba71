package retrylibs

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"time"

	backoff4 "github.com/cenkalti/backoff/v4"
	"github.com/cenkalti/backoff/v5"

	retrygo "github.com/avast/retry-go/v4"
	"github.com/buildkite/roko"
	failsafe "github.com/failsafe-go/failsafe-go"
	goretry "github.com/sethvargo/go-retry"
	"k8s.io/client-go/util/retry"
)

// roko's Retrier runs the closure again: the annotation is appended twice,
// a nuisance rather than a loss, so at most info.
func annotate(ctx context.Context, c *Client, job string, a *Annotation) error {
	return roko.NewRetrier(
		roko.WithMaxAttempts(5),
		roko.WithStrategy(roko.Constant(time.Second)),
		roko.WithJitter(),
	).DoWithContext(ctx, func(r *roko.Retrier) error {
		return c.Annotate(ctx, job, a) // want `a POST is sent in a function retried by roko\.Retrier\.DoWithContext \(retrylibs/libs\.go:\d+\), by .\(\*Client\)\.Annotate. via .\(\*Client\)\.newRequest. \(retrylibs/api\.go:\d+\), with no Idempotency-Key.*info only`
	})
}

// The same retrier around a read: silent.
func annotations(ctx context.Context, c *Client, job string) error {
	return roko.NewRetrier(roko.WithMaxAttempts(5)).DoWithContext(ctx, func(r *roko.Retrier) error {
		return c.GetAnnotations(ctx, job)
	})
}

// at most info: a heartbeat repeated changes nothing anyone reads.
func heartbeat(ctx context.Context, c *Client, agent string) error {
	r := roko.NewRetrier(roko.WithMaxAttempts(3))
	return r.Do(func(r *roko.Retrier) error {
		return c.Heartbeat(ctx, agent) // want `retried by roko\.Retrier\.Do .*harmless twice`
	})
}

// avast/retry-go's Do sends the order again.
func createOrder(ctx context.Context, hc *http.Client, body []byte) error {
	return retrygo.Do(func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://shop.example/orders", bytes.NewReader(body)) // want `retried by retry\.Do \(retrylibs/libs\.go:\d+\)`
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}, retrygo.Attempts(3))
}

// A notify hook handed to the same library is not the operation retried.
func createOrderOnce(ctx context.Context, hc *http.Client, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://shop.example/orders", bytes.NewReader(body))
	if err != nil {
		return err
	}
	return retrygo.Do(func() error { return errors.New("gave up") }, retrygo.OnRetry(func(n uint, err error) {
		if resp, err := hc.Do(req); err == nil {
			_ = resp.Body.Close()
		}
	}))
}

// sethvargo/go-retry's Do sends the payment again.
func sendMessage(ctx context.Context, hc *http.Client, body []byte) error {
	return goretry.Do(ctx, goretry.NewConstant(time.Second), func(ctx context.Context) error {
		resp, err := hc.Post("https://pay.example/payments", "application/json", bytes.NewReader(body)) // want `retried by retry\.Do`
		if err != nil {
			return goretry.RetryableError(err)
		}
		return resp.Body.Close()
	})
}

// cenkalti/backoff v5's generic Retry, and v4's RetryNotify.
func transfer(ctx context.Context, hc *http.Client, body []byte) (*http.Response, error) {
	return backoff.Retry(ctx, func() (*http.Response, error) {
		return hc.Post("https://bank.example/transfers", "application/json", bytes.NewReader(body)) // want `retried by backoff\.Retry`
	}, backoff.WithMaxTries(3))
}

// A request built once and sent by every attempt of backoff.Retry.
func refund(ctx context.Context, hc *http.Client, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://pay.example/refunds", bytes.NewReader(body))
	if err != nil {
		return err
	}
	return backoff4.Retry(func() error {
		resp, err := hc.Do(req) // want `a POST is sent again on every attempt of backoff\.Retry`
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}, backoff4.NewExponentialBackOff())
}

// failsafe-go's Run with a retry policy; at most info: an upload names
// nothing costly or seen by a person.
func upload(policy failsafe.Policy[any], hc *http.Client, body []byte) error {
	return failsafe.Run(func() error {
		resp, err := hc.Post("https://files.example/uploads", "application/octet-stream", bytes.NewReader(body)) // want `retried by failsafe\.Run`
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}, policy)
}

// k8s.io's OnError retries on any error it is told to.
func placeOrder(hc *http.Client, body []byte) error {
	return retry.OnError(retry.DefaultRetry, func(error) bool { return true }, func() error {
		resp, err := hc.Post("https://shop.example/orders", "application/json", bytes.NewReader(body)) // want `retried by retry\.OnError`
		if err != nil {
			return err
		}
		return resp.Body.Close()
	})
}

func isConflict(err error) bool { return err != nil }

// RetryOnConflict re-runs a read-modify-write the server refused: nothing
// was done twice. Silent.
func createTicketOnConflict(hc *http.Client, body []byte) error {
	return retry.RetryOnConflict(retry.DefaultRetry, func() error {
		resp, err := hc.Post("https://shop.example/orders", "application/json", bytes.NewReader(body))
		if err != nil {
			return err
		}
		return resp.Body.Close()
	})
}

var _ = isConflict

// at most info: the change carries a UUID its caller made once, which the
// server dedupes by.
func uploadPipeline(ctx context.Context, c *Client, job string, ch *PipelineChange) error {
	return roko.NewRetrier(roko.WithMaxAttempts(5)).DoWithContext(ctx, func(r *roko.Retrier) error {
		return c.UploadPipeline(ctx, job, ch) // want `the request carries PipelineChange\.UUID`
	})
}

// The same upload with nothing to dedupe by: reported, at most info (an
// upload names nothing costly or seen by a person).
func uploadPipelineBare(ctx context.Context, c *Client, job string, a *Annotation) error {
	return roko.NewRetrier(roko.WithMaxAttempts(5)).DoWithContext(ctx, func(r *roko.Retrier) error {
		return c.UploadPipelineBare(ctx, job, a) // want `by .\(\*Client\)\.UploadPipelineBare. via .\(\*Client\)\.newRequest. \(retrylibs/api\.go:\d+\), with no Idempotency-Key: .*header \(info only: nothing in the URL`
	})
}
