// Package routerlimitonehandler wraps one handler in its body limit, not
// the router: the other handlers are not limited.
package routerlimitonehandler

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

func avatar(w http.ResponseWriter, r *http.Request) {}

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
	mux.Handle("POST /avatar", limitBody(http.HandlerFunc(avatar)))
	mux.HandleFunc("POST /upload", upload)
	return http.ListenAndServe(":8080", mux)
}
