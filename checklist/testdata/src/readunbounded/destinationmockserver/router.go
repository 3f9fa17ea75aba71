// Package destinationmockserver is a mock destination the tests post to:
// silent, whatever it reads.
package destinationmockserver

import (
	"io"
	"net/http"
)

func receive(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	_, _ = w.Write(b)
}

var _ = receive
