// Package httpretry is an http.RoundTripper that retries what is worth
// retrying: timeouts, dropped connections, 5xx, 429 and GitHub's 403 secondary
// rate limits. Waits grow exponentially with jitter and a cap
// (github.com/cenkalti/backoff/v4), and a server's Retry-After,
// x-ratelimit-reset or x-ratelimit-reset-* hint is honoured.
//
// Both the GitHub client and the LLM client send their requests through it.
// go-retryablehttp was considered; it wraps the client rather than the
// transport, which go-github and go-openai cannot take, and it has no injectable
// clock for tests.
package httpretry

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// Transport retries requests through Base. The zero value is usable; every
// field has a default.
type Transport struct {
	// Base sends one attempt; http.DefaultTransport if nil.
	Base http.RoundTripper
	// MaxAttempts bounds attempts per request, the first included (default 5).
	MaxAttempts int
	// AttemptTimeout bounds one attempt, body reading included (default 60s).
	AttemptTimeout time.Duration
	// MaxWait caps one wait. A server asking for longer is not waited for: its
	// answer is returned as is (default 60s).
	MaxWait time.Duration
	// NewBackOff makes the schedule for one request (default: 500ms doubling to
	// 30s, ±50% jitter).
	NewBackOff func() backoff.BackOff
	// Sleep waits d or until ctx ends; a test injects a fake clock here.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now tells the time, for x-ratelimit-reset epochs (default time.Now).
	Now func() time.Time
	// Logger receives one line per retry (default: discard).
	Logger *slog.Logger
}

// Sleep waits d, or returns ctx's error if ctx ends first.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// DefaultBackOff is 500ms doubling up to 30s with ±50% jitter and no elapsed
// limit (MaxAttempts bounds the attempts).
func DefaultBackOff() backoff.BackOff {
	return backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(500*time.Millisecond),
		backoff.WithMultiplier(2),
		backoff.WithRandomizationFactor(0.5),
		backoff.WithMaxInterval(30*time.Second),
		backoff.WithMaxElapsedTime(0),
	)
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	attempts := t.MaxAttempts
	if attempts <= 0 {
		attempts = 5
	}
	attemptTimeout := t.AttemptTimeout
	if attemptTimeout <= 0 {
		attemptTimeout = 60 * time.Second
	}
	maxWait := t.MaxWait
	if maxWait <= 0 {
		maxWait = 60 * time.Second
	}
	sleep := t.Sleep
	if sleep == nil {
		sleep = Sleep
	}
	now := t.Now
	if now == nil {
		now = time.Now
	}
	var b backoff.BackOff
	if t.NewBackOff != nil {
		b = t.NewBackOff()
	} else {
		b = DefaultBackOff()
	}
	getBody, err := replayable(req)
	if err != nil {
		return nil, err
	}
	ctx := req.Context()
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, attemptTimeout)
		areq := req.Clone(actx)
		if getBody != nil {
			body, err := getBody()
			if err != nil {
				cancel()
				return nil, fmt.Errorf("httpretry: rewind request body: %w", err)
			}
			areq.Body = body
		}
		resp, err := t.base().RoundTrip(areq)
		if err == nil {
			// The attempt's deadline must cover reading the body too.
			resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
		} else {
			cancel()
		}
		if ctx.Err() != nil {
			if resp != nil {
				resp.Body.Close()
			}
			if err == nil {
				err = ctx.Err()
			}
			return nil, err
		}
		retry, hint := t.classify(resp, err, now())
		if !retry || attempt >= attempts {
			return resp, err
		}
		wait := b.NextBackOff()
		if wait == backoff.Stop {
			return resp, err
		}
		if hint > maxWait {
			// Waiting that long would hold a worker for minutes; let the caller see why.
			return resp, err
		}
		if hint > wait {
			wait = hint
		}
		if wait > maxWait {
			wait = maxWait
		}
		cause := "error: " + errString(err)
		if resp != nil {
			cause = "status " + resp.Status
			// Drain a little so the connection can be reused, then let it go.
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		}
		t.logger().LogAttrs(ctx, slog.LevelWarn, "retrying request",
			slog.String("method", req.Method), slog.String("host", req.URL.Host),
			slog.String("path", req.URL.Path), slog.Int("attempt", attempt),
			slog.String("cause", cause), slog.String("wait", wait.String())) // "1.5s": JSON logs would show nanoseconds
		if err := sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("httpretry: waiting to retry %s %s: %w", req.Method, req.URL.Path, err)
		}
	}
}

func (t *Transport) logger() *slog.Logger {
	if t.Logger != nil {
		return t.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// replayable returns a function that yields a fresh copy of req's body for
// each attempt, or nil when there is no body.
func replayable(req *http.Request) (func() (io.ReadCloser, error), error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	if req.GetBody != nil {
		return req.GetBody, nil
	}
	data, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("httpretry: read request body: %w", err)
	}
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }, nil
}

// classify says whether an attempt is worth retrying, and how long the server
// asked us to wait (0 if it did not say).
func (t *Transport) classify(resp *http.Response, err error, now time.Time) (bool, time.Duration) {
	if err != nil {
		// Timeouts, resets, refused connections: all transient from our side.
		// Errors of our own making (bad URL, unsupported scheme) are not.
		msg := err.Error()
		if strings.Contains(msg, "unsupported protocol scheme") || strings.Contains(msg, "invalid URL") {
			return false, 0
		}
		return true, 0
	}
	hint := RetryAfter(resp.Header, now)
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return true, hint
	case resp.StatusCode == http.StatusForbidden:
		// GitHub's secondary rate limit is a 403 with Retry-After, or with
		// x-ratelimit-remaining: 0, or with a body that says so.
		if resp.Header.Get("Retry-After") != "" || resp.Header.Get("X-Ratelimit-Remaining") == "0" {
			return true, hint
		}
		if bodyMentions(resp, "rate limit") {
			return true, hint
		}
		return false, 0
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		return true, hint
	}
	return false, 0
}

// bodyMentions peeks at up to 64 KiB of the body for s, and puts it back.
func bodyMentions(resp *http.Response, s string) bool {
	peek, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body = &multiCloser{Reader: io.MultiReader(bytes.NewReader(peek), resp.Body), closer: resp.Body}
	if err != nil {
		return false
	}
	return bytes.Contains(bytes.ToLower(peek), []byte(s))
}

// RetryAfter reads how long a response asks the client to wait: Retry-After
// (seconds or an HTTP date), GitHub's x-ratelimit-reset (a Unix time, when
// x-ratelimit-remaining is 0) or OpenAI's x-ratelimit-reset-requests and
// x-ratelimit-reset-tokens (durations such as "1s" or "6m0s"). The longest wins.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	var d time.Duration
	longer := func(v time.Duration) {
		if v > d {
			d = v
		}
	}
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
			longer(time.Duration(secs) * time.Second)
		} else if at, err := http.ParseTime(v); err == nil {
			longer(at.Sub(now))
		}
	}
	if h.Get("X-Ratelimit-Remaining") == "0" {
		if secs, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64); err == nil {
			longer(time.Unix(secs, 0).Sub(now))
		}
	}
	for _, k := range []string{"X-Ratelimit-Reset-Requests", "X-Ratelimit-Reset-Tokens"} {
		if v := h.Get(k); v != "" {
			if dur, err := time.ParseDuration(v); err == nil {
				longer(dur)
			}
		}
	}
	return d
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

type multiCloser struct {
	io.Reader
	closer io.Closer
}

func (m *multiCloser) Close() error { return m.closer.Close() }
