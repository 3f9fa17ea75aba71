// Package probe checks mirrors and upstreams before it downloads from them.
package probe

import (
	"context"
	"net/http"
)

// Size asks for a file's size with HEAD: the response has http.NoBody and
// its connection is back in the pool already, so there is nothing to close.
func Size(url string) (int64, error) {
	resp, err := http.Head(url)
	if err != nil {
		return 0, err
	}
	return resp.ContentLength, nil
}

// Alive sends a HEAD request built with the method constant.
func Alive(ctx context.Context, c *http.Client, url string) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return false, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return false, err
	}
	return resp.StatusCode == http.StatusOK, nil
}

// Exists asks through the client's Head.
func Exists(c *http.Client, url string) bool {
	resp, err := c.Head(url)
	return err == nil && resp.StatusCode == http.StatusOK
}

// at most info: an OPTIONS probe's reply is rarely more than headers.
func AllowsPut(ctx context.Context, c *http.Client, url string) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, "OPTIONS", url, nil)
	if err != nil {
		return false, err
	}
	resp, err := c.Do(req) // want `the response Body is never closed.*info: an OPTIONS probe`
	if err != nil {
		return false, err
	}
	return resp.Header.Get("Allow") != "", nil
}

// Download's GET leaks the whole body on every call: posted.
func Download(ctx context.Context, c *http.Client, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req) // want `the response Body is never closed`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Post's leak stays posted too.
func Post(c *http.Client, url string) (int, error) {
	resp, err := c.Post(url, "application/json", nil) // want `the response Body is never closed`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
