// Package healthcheck answers the orchestrator's probes.
package healthcheck

import "net/http"

// at most info: a server of a package named for health checks serves the
// probes.
func Start(addr string, h http.Handler) error {
	return http.ListenAndServe(addr, h) // want `info only: it is the listener of a package named for debugging, health checks`
}
