// Package httpx holds the module's request helpers, in a package of their own.
package httpx

import (
	"encoding/json"
	"io"
	"net/http"
)

// Decode reads a JSON document from body, all of it.
func Decode(body io.Reader, v any) error { // want Decode:`reads whole stream 0: Decode`
	return json.NewDecoder(body).Decode(v)
}

// Bind decodes a request's body: whoever calls it with a client's request
// reads it whole.
func Bind(r *http.Request, v any) error { // want Bind:`reads whole request 0: Bind → Decode`
	return Decode(r.Body, v)
}

// DecodeCapped puts its own limit in front of the stream.
func DecodeCapped(body io.Reader, v any) error {
	body = io.LimitReader(body, 1<<20)
	return json.NewDecoder(body).Decode(v)
}
