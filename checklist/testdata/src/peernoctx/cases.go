// Package peernoctx holds our own cases of the kinds noctx's tests cover,
// to compare http-no-timeout with it. noctx asks for a context on each
// request; http-no-timeout asks for a bound on how long a request can take.
// They meet on the package-level helpers, which have neither.
package peernoctx

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The package helpers: both report these.
func helpers(u string) {
	_, _ = http.Get(u)                                        // want `http.Get uses http.DefaultClient`
	_, _ = http.Head(u)                                       // want `http.Head uses http.DefaultClient`
	_, _ = http.Post(u, "text/plain", strings.NewReader("x")) // want `http.Post uses http.DefaultClient`
	_, _ = http.PostForm(u, url.Values{})                     // want `http.PostForm uses http.DefaultClient`
}

// A client's own helpers without a context: noctx reports them; a client with
// a Timeout is bounded, so http-no-timeout does not (http-no-context does).
func clientHelpers(u string) {
	c := &http.Client{Timeout: 5 * time.Second}
	_, _ = c.Get(u)
	_, _ = c.Head(u)
}

// A request with a context sent through DefaultClient: noctx is satisfied,
// http-no-timeout is not, since the context may have no deadline.
func withContext(ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return http.DefaultClient.Do(req) // want `http.DefaultClient has no timeout`
}

// http.NewRequest without a context: noctx reports it; it is no timeout
// problem when the client has one.
func noContext(c *http.Client, u string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return c.Do(req)
}
