// Package chat stands in for a chat API's SDK.
package chat

import "net/http"

// Client posts messages.
type Client struct{ hc *http.Client }

// NewClient returns a client that sends through hc.
func NewClient(token string, hc *http.Client) *Client { return &Client{hc: hc} }
