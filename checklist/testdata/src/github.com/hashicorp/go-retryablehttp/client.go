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

// Post sends a POST, retrying.
func (c *Client) Post(url, contentType string, body any) (*http.Response, error) {
	return nil, nil
}

var _ io.Reader
