package httpretry

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// fakeClock records waits instead of sleeping.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// script serves the statuses in order (then 200) and records request bodies.
type script struct {
	mu       sync.Mutex
	statuses []int
	headers  []http.Header
	bodies   []string
}

func (s *script) handler(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bodies = append(s.bodies, string(body))
	i := len(s.bodies) - 1
	status := http.StatusOK
	if i < len(s.statuses) {
		status = s.statuses[i]
	}
	if i < len(s.headers) {
		for k, v := range s.headers[i] {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, "attempt "+strconv.Itoa(i+1))
}

func newTransport(c *fakeClock) *Transport {
	return &Transport{
		Sleep: c.Sleep, Now: c.Now,
		NewBackOff: func() backoff.BackOff {
			return backoff.NewExponentialBackOff(backoff.WithInitialInterval(100*time.Millisecond),
				backoff.WithRandomizationFactor(0.5), backoff.WithMaxInterval(time.Second), backoff.WithMaxElapsedTime(0))
		},
	}
}

// do sends one request through rt and returns the final status and body.
func do(t *testing.T, rt http.RoundTripper, method, url, body string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatalf("RoundTrip: %v", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(data)
}

func TestRetries5xxAndReplaysBody(t *testing.T) {
	s := &script{statuses: []int{502, 503}}
	srv := httptest.NewServer(http.HandlerFunc(s.handler))
	defer srv.Close()
	c := &fakeClock{}
	status, body := do(t, newTransport(c), "POST", srv.URL, `{"x":1}`)
	if status != 200 || body != "attempt 3" {
		t.Fatalf("got %d %q, want 200 on attempt 3", status, body)
	}
	for i, b := range s.bodies {
		if b != `{"x":1}` {
			t.Errorf("attempt %d body = %q, want the original replayed", i+1, b)
		}
	}
	if len(c.waits) != 2 {
		t.Fatalf("waits = %v, want 2", c.waits)
	}
	for _, w := range c.waits {
		if w <= 0 || w > time.Second {
			t.Errorf("wait %v outside the capped schedule (0, 1s]", w)
		}
	}
}

func TestHonoursRetryAfter(t *testing.T) {
	s := &script{statuses: []int{429}, headers: []http.Header{{"Retry-After": {"7"}}}}
	srv := httptest.NewServer(http.HandlerFunc(s.handler))
	defer srv.Close()
	c := &fakeClock{}
	status, _ := do(t, newTransport(c), "GET", srv.URL, "")
	if status != 200 || len(c.waits) != 1 || c.waits[0] != 7*time.Second {
		t.Fatalf("status %d, waits %v; want 200 after one 7s wait", status, c.waits)
	}
}

func TestHonoursRateLimitReset(t *testing.T) {
	c := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	reset := strconv.FormatInt(c.now.Add(42*time.Second).Unix(), 10)
	s := &script{statuses: []int{403}, headers: []http.Header{{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {reset}}}}
	srv := httptest.NewServer(http.HandlerFunc(s.handler))
	defer srv.Close()
	status, _ := do(t, newTransport(c), "GET", srv.URL, "")
	if status != 200 || len(c.waits) != 1 || c.waits[0] != 42*time.Second {
		t.Fatalf("status %d, waits %v; want 200 after a 42s wait", status, c.waits)
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	for _, status := range []int{400, 401, 404, 422} {
		s := &script{statuses: []int{status}}
		srv := httptest.NewServer(http.HandlerFunc(s.handler))
		c := &fakeClock{}
		got, _ := do(t, newTransport(c), "POST", srv.URL, "{}")
		srv.Close()
		if got != status || len(s.bodies) != 1 || len(c.waits) != 0 {
			t.Errorf("status %d: got %d after %d attempts and %d waits; want no retry", status, got, len(s.bodies), len(c.waits))
		}
	}
}

func TestPlain403IsNotRetried(t *testing.T) {
	s := &script{statuses: []int{403}}
	srv := httptest.NewServer(http.HandlerFunc(s.handler))
	defer srv.Close()
	c := &fakeClock{}
	status, _ := do(t, newTransport(c), "POST", srv.URL, "{}")
	if status != 403 || len(s.bodies) != 1 {
		t.Errorf("got %d after %d attempts; a permission 403 must not be retried", status, len(s.bodies))
	}
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	s := &script{statuses: []int{500, 500, 500, 500, 500, 500}}
	srv := httptest.NewServer(http.HandlerFunc(s.handler))
	defer srv.Close()
	c := &fakeClock{}
	tr := newTransport(c)
	tr.MaxAttempts = 3
	status, _ := do(t, tr, "GET", srv.URL, "")
	if status != 500 || len(s.bodies) != 3 {
		t.Errorf("got %d after %d attempts, want 500 after 3", status, len(s.bodies))
	}
}

func TestRetryAfterBeyondMaxWaitIsReturned(t *testing.T) {
	s := &script{statuses: []int{503}, headers: []http.Header{{"Retry-After": {"3600"}}}}
	srv := httptest.NewServer(http.HandlerFunc(s.handler))
	defer srv.Close()
	c := &fakeClock{}
	status, _ := do(t, newTransport(c), "GET", srv.URL, "")
	if status != 503 || len(c.waits) != 0 {
		t.Errorf("got %d with waits %v; an hour-long Retry-After must be returned, not waited", status, c.waits)
	}
}

// A retry's wait is logged as people read it ("7s"), not in nanoseconds,
// in the JSON logs serve writes.
func TestRetryWaitLoggedReadable(t *testing.T) {
	s := &script{statuses: []int{429}, headers: []http.Header{{"Retry-After": {"7"}}}}
	srv := httptest.NewServer(http.HandlerFunc(s.handler))
	defer srv.Close()
	var logs strings.Builder
	tr := newTransport(&fakeClock{})
	tr.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	if status, _ := do(t, tr, "GET", srv.URL, ""); status != 200 {
		t.Fatalf("status %d, want 200 after a retry", status)
	}
	if !strings.Contains(logs.String(), `"wait":"7s"`) {
		t.Fatalf("retry log = %s; want \"wait\":\"7s\"", logs.String())
	}
}
