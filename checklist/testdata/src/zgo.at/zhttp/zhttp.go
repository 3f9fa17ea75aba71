// Package zhttp stands in for a helper module that serves an http.Server.
package zhttp

import "net/http"

// Serve serves srv until ch closes, setting the timeouts it lacks.
func Serve(flags uint8, ch chan struct{}, srv *http.Server) error { return srv.ListenAndServe() }
