// Package e2ee relays end-to-end encrypted messages: serving code, though its
// name starts like an e2e harness's.
package e2ee

import "net/http"

// Serve starts the relay.
func Serve(h http.Handler) error {
	return http.ListenAndServe(":8443", h) // want `http.ListenAndServe serves with no timeouts`
}
