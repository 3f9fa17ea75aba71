package httpnocontext

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
)

// Fetch carries ctx into the request.
func (c *Client) Fetch(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	return c.hc.Do(req)
}

// Later attaches the context before sending.
func (c *Client) Later(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodDelete, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	return c.hc.Do(req.WithContext(ctx))
}

// Version has no context to pass: a one-shot CLI helper.
func Version(base string) (string, error) {
	resp, err := http.Get(base + "/version")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	return resp.Header.Get("X-Version"), nil
}

// Unnamed takes a context it explicitly does not use.
func Unnamed(_ context.Context, c *http.Client, u string) error {
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Fake builds a server-side request for a test helper.
func Fake(ctx context.Context, h http.Handler) int {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx))
	return rec.Code
}

// Forward reuses the incoming request's context.
func (c *Client) Forward(w http.ResponseWriter, r *http.Request) {
	req, err := http.NewRequestWithContext(r.Context(), r.Method, c.base+r.URL.Path, r.Body)
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		http.Error(w, "upstream", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
}

// Build returns the request to a caller that attaches the context.
func (c *Client) Build(ctx context.Context, path string) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", path, err)
	}
	return req, nil
}

// send attaches the context itself; callers hand it over with the request.
func send(ctx context.Context, hc *http.Client, req *http.Request) (*http.Response, error) {
	return hc.Do(req.WithContext(ctx))
}

// The context travels to the sender alongside the request.
func (c *Client) Deliver(ctx context.Context, path string) (int, error) {
	req, err := http.NewRequest(http.MethodPost, c.base+path, nil)
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := send(ctx, c.hc, req)
	if err != nil {
		return 0, fmt.Errorf("deliver %s: %w", path, err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// tunnel asks a proxy for a tunnel by writing the CONNECT request on the
// connection it dialled with ctx; no client sends it, so there is nothing
// for a context to cancel (the connection's deadline bounds it).
func tunnel(ctx context.Context, d *net.Dialer, proxyAddr, target string) (net.Conn, error) {
	conn, err := d.DialContext(ctx, "tcp", proxyAddr)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodConnect, "//"+target, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if err := req.Write(conn); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// tagKey carries a request ID to the transport's logging.
type tagKey struct{}

// Tagged tags the request with an ID on the caller's context.
func (c *Client) Tagged(ctx context.Context, id string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, c.base+"/audit/"+id, nil)
	if err != nil {
		return nil, err
	}
	req = req.WithContext(context.WithValue(ctx, tagKey{}, id))
	return c.hc.Do(req)
}

// Favicon serves an embedded asset by handing a request built here to the
// file server in the same process: nothing is sent over a connection.
func Favicon(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	_ = ctx
	req, err := http.NewRequest(http.MethodGet, "/favicon.svg", nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	http.FileServer(http.Dir("static")).ServeHTTP(w, req)
}

// validateURL builds a request only to check the URL: nothing is sent.
func validateURL(ctx context.Context, u string) error {
	if _, err := http.NewRequest(http.MethodPost, u, nil); err != nil {
		return err
	}
	return ctx.Err()
}
