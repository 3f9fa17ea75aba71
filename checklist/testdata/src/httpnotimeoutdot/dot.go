// Package httpnotimeoutdot reaches net/http through a dot import, where
// DefaultClient and Get are bare names that only type information can tell.
package httpnotimeoutdot

import (
	. "net/http"
)

// Fetch uses the default client through the dot import.
func Fetch(req *Request) (*Response, error) {
	return DefaultClient.Do(req) // want `http.DefaultClient has no timeout`
}
