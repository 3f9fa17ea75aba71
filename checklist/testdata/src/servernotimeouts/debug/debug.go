// Package debug serves the operator's metrics, pprof and probes on a port
// of their own.
package debug

import (
	"net/http"
	"os"
)

// at most info: the debug package's listener serves the operator's tools.
func Serve(h http.Handler) error {
	srv := &http.Server{Addr: os.Getenv("DEBUG_ADDR"), Handler: h} // want `info only: it is the listener of a package named for debugging`
	return srv.ListenAndServe()
}
