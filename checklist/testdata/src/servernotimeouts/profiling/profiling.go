// Package profiling starts the profiler's listener: net/http/pprof
// registers its handlers on the default mux, which nothing else here adds to.
package profiling

import (
	"log"
	"net/http"
	_ "net/http/pprof"
	"os"
	"strings"
)

// at most info: the default mux serves only what net/http/pprof registered.
func StartProfilingServer() {
	go func() {
		log.Println(http.ListenAndServe(":6060", nil)) // want `info only: it serves only metrics, profiling or health endpoints`
	}()
}

// at most info: the same, with the default mux named.
func StartPprof() {
	if strings.ToLower(os.Getenv("PPROF_ENABLED")) != "true" {
		return
	}
	go func() {
		log.Println(http.ListenAndServe(os.Getenv("PPROF_ADDR"), http.DefaultServeMux)) // want `info only: it serves only metrics, profiling or health endpoints`
	}()
}
