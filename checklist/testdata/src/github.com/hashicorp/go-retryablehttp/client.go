// Package retryablehttp is a minimal stand-in for github.com/hashicorp/go-retryablehttp.
package retryablehttp

import (
	"io"
	"net/http"
)

// Request wraps an http.Request.
type Request struct{ *http.Request }

// Client retries requests.
type Client struct{ HTTPClient *http.Client }

// NewClient returns a client.
func NewClient() *Client { return &Client{} }

// NewRequest builds a request.
func NewRequest(method, url string, body any) (*Request, error) {
	r, err := http.NewRequest(method, url, nil)
	return &Request{r}, err
}

// Do sends the request, retrying.
func (c *Client) Do(req *Request) (*http.Response, error) { return c.HTTPClient.Do(req.Request) }

// Post sends a POST, retrying. The library's own helper carries no key:
// the check reports its callers, not the library.
func (c *Client) Post(url, contentType string, body any) (*http.Response, error) {
	req, err := NewRequest("POST", url, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", contentType)
	return c.Do(req)
}

var _ io.Reader

// StandardClient returns an *http.Client whose Transport retries with c.
func (c *Client) StandardClient() *http.Client { return &http.Client{} }
