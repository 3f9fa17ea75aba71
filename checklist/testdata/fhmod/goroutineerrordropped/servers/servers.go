// Package servers starts a service's listeners: the public ones and the
// ones an operator switches on for debugging.
package servers

import (
	"log"
	"net/http"
	"net/http/pprof"
	"os"
)

// Config is the service's configuration.
type Config struct {
	Debug       bool
	RedirectTLS bool
}

// StartRedirect drops the bind error of the production HTTP→HTTPS
// redirect server: the redirects die unseen.
func StartRedirect(cfg Config, redirect http.Handler) {
	if cfg.RedirectTLS {
		go http.ListenAndServe(":80", redirect) // want `this go statement drops the error http.ListenAndServe returns`
	}
}

// at most info: a profiling server started only in debug mode.
func StartDebug(cfg Config) {
	if cfg.Debug {
		go func() {
			log.Println("pprof on :9090")
			mux := http.NewServeMux()
			mux.HandleFunc("/debug/pprof/", pprof.Index)
			http.ListenAndServe(":9090", mux) // want `this goroutine drops the error of http.ListenAndServe`
		}()
	}
}

// at most info: a listener serving only pprof's handlers.
func StartProfiler() {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	go http.ListenAndServe(os.Getenv("PROFILER_ADDR"), mux) // want `this go statement drops the error http.ListenAndServe returns`
}

// at most info: the health server's failure shows in the probes that call
// it.
func startHealthServer(addr string, h http.Handler) {
	go func() {
		http.ListenAndServe(addr, h) // want `this goroutine drops the error of http.ListenAndServe`
	}()
}
