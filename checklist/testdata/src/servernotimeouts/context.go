package servernotimeouts

import (
	"net/http"
	_ "net/http/pprof"
)

// at most info: a pprof listener on the loopback serves the operator.
func debugServer() {
	go func() {
		_ = http.ListenAndServe("localhost:6060", nil) // want `http.ListenAndServe serves with no timeouts`
	}()
}

// The public listener is the serious case.
func public(h http.Handler) error {
	return http.ListenAndServe(":8080", h) // want `http.ListenAndServe serves with no timeouts`
}
