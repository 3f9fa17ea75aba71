package clientperrequest

import (
	"context"
	"crypto/tls"
	"net/http"
	neturl "net/url"
	"sync"
)

type apiClient struct {
	tls  *tls.Config
	once sync.Once
	hc   *http.Client
}

// A client method that builds its Transport each time it is called.
// Reported at most info: how often it runs is not in sight.
func (c *apiClient) get(ctx context.Context, url string) (*http.Response, error) {
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: c.tls}} // want `a new http.Transport in a function that sends a request with it, so one is built on every call`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return hc.Do(req)
}

// Built once, on first use, and kept in a field.
func (c *apiClient) post(ctx context.Context, url string) (*http.Response, error) {
	if c.hc == nil {
		c.hc = &http.Client{Transport: &http.Transport{TLSClientConfig: c.tls}}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	if err != nil {
		return nil, err
	}
	return c.hc.Do(req)
}

// Start-up probes the upstream once with a client of its own.
func init() {
	hc := &http.Client{Transport: &http.Transport{}}
	if resp, err := hc.Get("https://upstream.example.com/health"); err == nil {
		_ = resp.Body.Close()
	}
}

// A Transport shaped for this call (the proxy the caller chose): a design,
// not a shared pool rebuilt by mistake.
func (c *apiClient) viaProxy(ctx context.Context, url string, proxy func(*http.Request) (*neturl.URL, error)) (*http.Response, error) {
	hc := &http.Client{Transport: &http.Transport{Proxy: proxy, TLSClientConfig: c.tls}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return hc.Do(req)
}

// A Transport that asks for no keep-alives wants no reuse.
func (c *apiClient) noReuse(ctx context.Context, url string) (*http.Response, error) {
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return hc.Do(req)
}
