package httpnotimeout

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// A client built with a timeout.
func goodClient(rt http.RoundTripper) *http.Client {
	return &http.Client{Transport: rt, Timeout: 15 * time.Second}
}

// A client whose timeout is set right after it is built.
func configured(d time.Duration) *http.Client {
	c := &http.Client{}
	c.Timeout = d
	return c
}

// Setting the default client's timeout at start-up is the fix, not the bug.
func init() {
	http.DefaultClient.Timeout = 30 * time.Second
}

// Requests go through a client that has one.
type service struct {
	client *http.Client
}

func (s *service) status(ctx context.Context, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, u, nil)
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("head %s: %w", u, err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// A server-side handler: http.Get here is a method of our own type.
type getter struct{}

func (getter) Get(u string) string { return u }

func useGetter(g getter) string { return g.Get("x") }

// A variable named like the package does not confuse the check.
func shadowed() string {
	http := getter{}
	return http.Get("y")
}

// refusing answers every request with the error it was built with, without
// a peer: a placeholder client for a target whose real client failed to
// build, so its requests fail fast instead of going elsewhere.
type refusing struct{ cause error }

func (r refusing) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("no client for this target: %w", r.cause)
}

// FailingClient has no Timeout because its transport never dials.
func FailingClient(cause error) *http.Client {
	return &http.Client{Transport: refusing{cause: cause}}
}
