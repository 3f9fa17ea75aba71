package retrynobackoff

import (
	"context"
	"errors"
	"net/http"
	"time"
)

type object struct{ Name string }

type objects struct{ c *http.Client }

// Get reads the object from the API.
func (s *objects) Get(ctx context.Context, name string, obj *object) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://api/objects/"+name, nil)
	if err != nil {
		return err
	}
	resp, err := s.c.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// at most info: an optimistic-concurrency loop re-reads the object before
// it tries the change again.
func (s *objects) retryModify(ctx context.Context, obj *object, f func(*object) error) error {
	i := 0
	for { // want `no pause between attempts.*info: each attempt re-reads the object it changes`
		i++
		err := f(obj)
		if err == nil {
			return nil
		}
		if i >= 5 {
			return err
		}
		if err := s.Get(ctx, obj.Name, obj); err != nil {
			return err
		}
	}
}

type rateLimitError struct{ retryAfter time.Duration }

func (e *rateLimitError) Error() string { return "rate limited" }

type chatBot struct{}

func (b *chatBot) handleRatelimit(err error) (time.Duration, bool) {
	var rl *rateLimitError
	if errors.As(err, &rl) {
		return rl.retryAfter, true
	}
	return 0, false
}

// at most info: the loop waits what the peer's rate limit asks, and any
// other error ends it.
func (b *chatBot) retry(c *http.Client, url string) error {
	for { // want `waiting what the peer's rate limit asks`
		resp, err := c.Get(url)
		if err == nil {
			return resp.Body.Close()
		}
		if backoff, ok := b.handleRatelimit(err); ok {
			time.Sleep(backoff)
		} else {
			return err
		}
	}
}

// Posted: a growing pause that no rate limit gave, in a loop with no cap,
// retries forever.
func pollForever(c *http.Client, url string) error {
	wait := time.Second
	for { // want `retries an HTTP request forever`
		resp, err := c.Get(url)
		if err == nil {
			return resp.Body.Close()
		}
		time.Sleep(wait)
		wait *= 2
	}
}
