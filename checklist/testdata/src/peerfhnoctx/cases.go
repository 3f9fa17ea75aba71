// Package peerfhnoctx pins http-no-context on the kinds of case noctx's
// tests cover: every package-level and Client helper, NewRequest with and
// without a later WithContext, and NewRequestWithContext.
package peerfhnoctx

import (
	"context"
	"net/http"
	"net/url"
)

// NoCtxAtHand: noctx reports each of these; prodready asks only where a
// context is at hand, so it stays silent here.
func NoCtxAtHand(c *http.Client, u string) {
	_, _ = http.Get(u)
	_, _ = http.Head(u)
	_, _ = http.Post(u, "text/plain", nil)
	_, _ = http.PostForm(u, url.Values{})
	_, _ = c.Get(u)
	_, _ = http.NewRequest(http.MethodGet, u, nil)
}

// CtxAtHand: both report every helper that drops ctx.
func CtxAtHand(ctx context.Context, c *http.Client, u string) {
	_, _ = http.Get(u)                             // want `http.Get sends the request without ctx`
	_, _ = http.Head(u)                            // want `http.Head sends the request without ctx`
	_, _ = http.Post(u, "text/plain", nil)         // want `http.Post sends the request without ctx`
	_, _ = http.PostForm(u, url.Values{})          // want `http.PostForm sends the request without ctx`
	_, _ = c.Get(u)                                // want `Client.Get sends the request without ctx`
	_, _ = c.Head(u)                               // want `Client.Head sends the request without ctx`
	_, _ = c.Post(u, "text/plain", nil)            // want `Client.Post sends the request without ctx`
	_, _ = c.PostForm(u, url.Values{})             // want `Client.PostForm sends the request without ctx`
	_, _ = http.NewRequest(http.MethodGet, u, nil) // want `http.NewRequest sends the request without ctx`
}

// Attached: NewRequest followed by WithContext carries ctx; prodready stays
// silent, as does the WithContext variant everywhere.
func Attached(ctx context.Context, c *http.Client, u string) error {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req.WithContext(ctx))
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// WithContext is the fix both linters ask for.
func WithContext(ctx context.Context, c *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Handler has the request's context at hand.
func Handler(w http.ResponseWriter, r *http.Request) {
	resp, err := http.Get("http://127.0.0.1/upstream") // want `http.Get sends the request without r.Context\(\)`
	if err != nil {
		http.Error(w, "upstream", http.StatusBadGateway)
		return
	}
	_ = resp.Body.Close()
}
