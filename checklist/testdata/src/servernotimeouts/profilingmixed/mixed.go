// Package profilingmixed imports net/http/pprof but also serves the
// application's own routes on the default mux: that server faces clients.
package profilingmixed

import (
	"net/http"
	_ "net/http/pprof"
)

// Serve serves the orders API and the profiler on one default mux.
func Serve() error {
	http.HandleFunc("/orders", func(http.ResponseWriter, *http.Request) {})
	return http.ListenAndServe(":8080", nil) // want `http.ListenAndServe serves with no timeouts`
}
