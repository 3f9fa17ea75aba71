// Package httpnocontext holds outbound requests that drop the context at
// hand, and requests that carry it.
package httpnocontext

import (
	"context"
	"encoding/json"
	"net/http"
	nethttp "net/http"
	"net/url"
	"strings"
	"time"
)

// Client talks to a pricing API.
type Client struct {
	hc   *http.Client
	base string
}

// Price builds its request without ctx.
func (c *Client) Price(ctx context.Context, sku string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, c.base+"/prices/"+sku, nil) // want `http.NewRequest sends the request without ctx`
	if err != nil {
		return nil, err
	}
	return c.hc.Do(req)
}

// Proxy forwards from a handler with Client.Get, ignoring r's context.
func (c *Client) Proxy(w http.ResponseWriter, r *http.Request) {
	resp, err := c.hc.Get(c.base + r.URL.Path) // want `Client.Get sends the request without r.Context\(\)`
	if err != nil {
		http.Error(w, "upstream", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
}

// Notify posts from a closure through an aliased import.
func Notify(ctx context.Context, hooks []string, body string) []error {
	var errs []error
	send := func(u string) {
		resp, err := nethttp.Post(u, "application/json", strings.NewReader(body)) // want `http.Post sends the request without ctx`
		if err != nil {
			errs = append(errs, err)
			return
		}
		resp.Body.Close()
	}
	for _, h := range hooks {
		send(h)
	}
	return errs
}

// Search calls through a method value.
func (c *Client) Search(ctx context.Context, q string) (map[string]any, error) {
	post := c.hc.PostForm
	resp, err := post(c.base+"/search", url.Values{"q": {q}}) // want `Client.PostForm sends the request without ctx`
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	return out, json.NewDecoder(resp.Body).Decode(&out)
}

// Warm has a local context with a deadline, then ignores it.
func Warm(base string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = ctx
	resp, err := http.Head(base + "/healthz") // want `http.Head sends the request without ctx`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// traceKey carries a request ID to the transport's logging.
type traceKey struct{}

// Audit tags the request with an ID on a fresh context: the caller's
// cancellation never reaches it.
func (c *Client) Audit(ctx context.Context, id string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, c.base+"/audit/"+id, nil)
	if err != nil {
		return nil, err
	}
	req = req.WithContext(context.WithValue(context.Background(), traceKey{}, id)) // want `req.WithContext attaches a context built on a fresh root, not ctx`
	return c.hc.Do(req)
}
