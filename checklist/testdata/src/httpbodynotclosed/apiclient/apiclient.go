// Package apiclient wraps an HTTP API.
package apiclient

import (
	"encoding/json"
	"net/http"
)

// Client sends requests to the API.
type Client struct{ hc *http.Client }

// Do sends req and decodes the answer into v; the body is closed here, the
// response handed back for its status.
func (c *Client) Do(req *http.Request, v any) (*http.Response, error) { // want Do:"closes every response it returns"
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return resp, json.NewDecoder(resp.Body).Decode(v)
}

// Raw sends req and hands the open response back: the caller closes it.
func (c *Client) Raw(req *http.Request) (*http.Response, error) {
	return c.hc.Do(req)
}
