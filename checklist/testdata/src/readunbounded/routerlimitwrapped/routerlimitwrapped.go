// Package routerlimitwrapped builds its router in a constructor and wraps
// whatever the constructor returns in http.MaxBytesHandler before serving:
// its handlers read bounded bodies.
package routerlimitwrapped

import (
	"io"
	"net/http"
)

func evaluate(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusRequestEntityTooLarge)
		return
	}
	_, _ = w.Write(data)
}

// NewHandler registers the routes.
func NewHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /evaluate", evaluate)
	return mux
}

func serve(limit int64) error {
	var h http.Handler = NewHandler()
	if limit > 0 {
		h = http.MaxBytesHandler(h, limit)
	}
	srv := &http.Server{Addr: ":8080", Handler: h}
	return srv.ListenAndServe()
}
