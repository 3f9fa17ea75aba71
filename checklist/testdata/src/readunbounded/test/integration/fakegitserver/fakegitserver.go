// Package fakegitserver is an integration test's stand-in server, kept
// under test/: its handler literals read what the test harness sends.
package fakegitserver

import (
	"io"
	"net/http"
)

// SetupHandler returns a handler that reads the harness's instructions.
func SetupHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		_, _ = w.Write(b[:0])
	})
}

// Mount serves it.
func Mount(mux *http.ServeMux) {
	mux.Handle("/setup", SetupHandler())
}
