// Package httpnocontextfix checks the suggested fix of http-no-context.
package httpnocontextfix

import (
	"context"
	"net/http"
)

// Get builds its request without ctx.
func Get(ctx context.Context, c *http.Client, u string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil) // want `http.NewRequest sends the request without ctx`
	if err != nil {
		return nil, err
	}
	return c.Do(req)
}

// Forward builds its request without the incoming request's context.
func Forward(w http.ResponseWriter, r *http.Request) {
	req, err := http.NewRequest(r.Method, "http://127.0.0.1/up", r.Body) // want `http.NewRequest sends the request without r.Context\(\)`
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	_ = req
}
