package servernotimeouts

import (
	"log"
	"net/http"
	"net/http/pprof"
	"os"
)

type options struct {
	Debug, TLS bool
	Addr       string
}

// at most info: a profiling server started only in debug mode.
func startDebug(opts options, h http.Handler) {
	if opts.Debug {
		go func() {
			log.Println(http.ListenAndServe(":9090", h)) // want `http.ListenAndServe serves with no timeouts.*info only: it starts only when debugging`
		}()
	}
}

// at most info: a pprof mux built inside the goroutine, beside a router
// variable of the same name outside it.
func startProfiler(r *http.ServeMux) {
	r.HandleFunc("/orders", func(http.ResponseWriter, *http.Request) {})
	go func() {
		r := http.NewServeMux()
		r.HandleFunc("/debug/pprof/", pprof.Index)
		log.Println(http.ListenAndServe(":9091", r)) // want `info only: it serves only metrics, profiling`
	}()
	if os.Getenv("ENABLE_PROFILING") != "" {
		srv := &http.Server{Addr: ":9092", Handler: r} // want `http.Server without ReadHeaderTimeout.*info only: it starts only when debugging`
		go func() { log.Println(srv.ListenAndServe()) }()
	}
}

// The public listener in a branch on something else stays posted.
func startPublic(opts options, h http.Handler) error {
	if opts.TLS {
		return http.ListenAndServeTLS(opts.Addr, "cert.pem", "key.pem", h) // want `http.ListenAndServeTLS serves with no timeouts`
	}
	return http.ListenAndServe(opts.Addr, h) // want `http.ListenAndServe serves with no timeouts`
}

// at most info: the listen address comes from a profiling variable in the
// if's own init statement.
func startPprofFromEnv(h http.Handler) {
	if hostPort := os.Getenv("PPROFLISTEN"); hostPort != "" {
		go func() {
			log.Println(http.ListenAndServe(hostPort, h)) // want `info only: it starts only when debugging`
		}()
	}
}

// An init that reads something else leaves the listener posted.
func startFromEnv(h http.Handler) {
	if addr := os.Getenv("LISTEN_ADDR"); addr != "" {
		log.Println(http.ListenAndServe(addr, h)) // want `http.ListenAndServe serves with no timeouts`
	}
}
