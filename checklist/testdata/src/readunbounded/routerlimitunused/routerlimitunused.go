// Package routerlimitunused declares a body-limit middleware but never
// installs it: its handlers still read without a limit.
package routerlimitunused

import (
	"io"
	"net/http"
)

func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		next.ServeHTTP(w, r)
	})
}

func upload(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body) // want `io.ReadAll of the request body has no size limit`
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	_, _ = w.Write(data)
}

func serve() error {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /upload", upload)
	return http.ListenAndServe(":8080", mux)
}
