// Package probes serves a worker's probes on the default mux.
package probes

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// at most info: a Server with no Handler serves the default mux, on which
// the function registers only probes and metrics.
func Serve(addr string) error {
	http.Handle("/metrics", promhttp.Handler())
	http.HandleFunc("/api/health/ready", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	srv := &http.Server{Addr: addr} // want `http.Server without ReadHeaderTimeout.*info only: it serves only metrics, profiling or health`
	return srv.ListenAndServe()
}
