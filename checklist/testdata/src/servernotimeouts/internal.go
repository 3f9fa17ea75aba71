package servernotimeouts

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"strconv"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const metricsAddr = "127.0.0.1:9090"

// at most info: a Prometheus port, scraped by the operator's monitoring.
func metricsServer(addr string) *http.Server {
	return &http.Server{Addr: addr, Handler: promhttp.Handler()} // want `http.Server without ReadHeaderTimeout.*info only: it serves only metrics`
}

// at most info: a mux that only registers profiling and health endpoints.
func profileServer(addr string) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.Handle("/metrics", promhttp.Handler())
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	srv := &http.Server{Addr: addr, Handler: mux} // want `http.Server without ReadHeaderTimeout.*info only: it serves only metrics, profiling or health`
	return srv.ListenAndServe()
}

// at most info: the metrics handler mounted on "/" through its ServeHTTP
// method value.
func metricsMounted(addr string) error {
	mh := promhttp.Handler()
	mux := http.NewServeMux()
	mux.HandleFunc("/", mh.ServeHTTP)
	srv := &http.Server{Addr: addr, Handler: mux} // want `http.Server without ReadHeaderTimeout.*info only: it serves only metrics`
	return srv.ListenAndServe()
}

// Posted: an application handler mounted the same way.
func appMounted(addr string, app http.Handler) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/", app.ServeHTTP)
	srv := &http.Server{Addr: addr, Handler: mux} // want `http.Server without ReadHeaderTimeout: a client`
	return srv.ListenAndServe()
}

// at most info: bound to the loopback through a constant.
func loopbackConst(h http.Handler) error {
	srv := &http.Server{Addr: metricsAddr, Handler: h} // want `info only: it listens on the loopback`
	return srv.ListenAndServe()
}

// callbackAddress is where a command-line login's callback listens.
func callbackAddress(port int) string {
	return fmt.Sprintf("127.0.0.1:%d", port)
}

// publicAddress listens on every interface unless told otherwise.
func publicAddress(host string, port int) string {
	if host == "" {
		return fmt.Sprintf(":%d", port)
	}
	return fmt.Sprintf("127.0.0.1:%d", port)
}

// at most info: the address comes from a function that only returns
// loopback ones.
func loopbackHelper(h http.Handler, port int) error {
	srv := &http.Server{Addr: callbackAddress(port), Handler: h} // want `info only: it listens on the loopback`
	return srv.ListenAndServe()
}

// A helper that may return an address on every interface: posted.
func mixedHelper(h http.Handler, port int) error {
	srv := &http.Server{Addr: publicAddress("", port), Handler: h} // want `http.Server without ReadHeaderTimeout`
	return srv.ListenAndServe()
}

// at most info: the loopback host joined with a configured port.
func loopbackJoined(h http.Handler, port int) error {
	addr := net.JoinHostPort("localhost", strconv.Itoa(port))
	return http.ListenAndServe(addr, h) // want `info only: it listens on the loopback`
}

// at most info: a Unix socket, reachable only from the host.
func unixSocket(ctx context.Context, path string, h http.Handler) error {
	ln, err := net.Listen("unix", path)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h} // want `info only: it serves a Unix socket`
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	return srv.Serve(ln)
}

// at most info: http.Serve on a Unix-socket listener.
func unixServe(path string, h http.Handler) error {
	ln, err := net.Listen("unix", path)
	if err != nil {
		return err
	}
	return http.Serve(ln, h) // want `http.Serve serves with no timeouts.*Unix socket`
}

// A metrics route beside the API's routes: the public listener.
func mixedMux(addr string, orders http.HandlerFunc) error {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.Handler())
	mux.HandleFunc("/api/orders", orders)
	return http.ListenAndServe(addr, mux) // want `http.ListenAndServe serves with no timeouts`
}

// at most info: a mux handed only to helpers named for the health checks
// and the profiler they register, beside the metrics route.
func helperRoutes(addr string, registerProfiler, serveHealthCheck func(*http.ServeMux)) error {
	mux := http.NewServeMux()
	serveHealthCheck(mux)
	mux.Handle("/metrics", promhttp.Handler())
	registerProfiler(mux)
	srv := &http.Server{Addr: addr, Handler: mux} // want `http.Server without ReadHeaderTimeout.*info only: it serves only metrics, profiling or health`
	return srv.ListenAndServe()
}

// An internal-looking mux handed to a function that may add any route.
func handedOn(addr string, register func(*http.ServeMux)) error {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.Handler())
	register(mux)
	srv := &http.Server{Addr: addr, Handler: mux} // want `http.Server without ReadHeaderTimeout`
	return srv.ListenAndServe()
}

// A Unix socket and a TCP port from the same server: the port faces clients.
func unixAndTCP(path string, h http.Handler) error {
	ln, err := net.Listen("unix", path)
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: ":8080", Handler: h} // want `http.Server without ReadHeaderTimeout`
	go func() { _ = srv.Serve(ln) }()
	return srv.ListenAndServe()
}

// An address on every interface, even when a loopback one is the fallback
// elsewhere: "0.0.0.0" is public.
func allInterfaces(h http.Handler, port string) error {
	return http.ListenAndServe("0.0.0.0:"+port, h) // want `http.ListenAndServe serves with no timeouts`
}

// A TCP listener handed to Serve.
func tcpServe(h http.Handler) error {
	ln, err := net.Listen("tcp", ":8080")
	if err != nil {
		return err
	}
	return http.Serve(ln, h) // want `http.Serve serves with no timeouts`
}

// at most info: the metrics route's path is configured, and its handler
// says what it serves.
func serveProm(path, addr string) error {
	mux := http.NewServeMux()
	mux.Handle(path, promhttp.Handler())
	return http.ListenAndServe(addr, mux) // want `info only: it serves only metrics`
}

// A configured path for the API's own handler: the public listener.
func serveConfigured(path, addr string, orders http.Handler) error {
	mux := http.NewServeMux()
	mux.Handle(path, orders)
	return http.ListenAndServe(addr, mux) // want `http.ListenAndServe serves with no timeouts`
}

// at most info: a function named for metrics serves the scrape port.
func serveMetrics(h http.Handler) {
	_ = http.ListenAndServe(":2112", h) // want `info only: it is started by a function named for metrics`
}

// A function named for the API serves clients: posted.
func serveAPI(h http.Handler) {
	_ = http.ListenAndServe(":8080", h) // want `http.ListenAndServe serves with no timeouts`
}

// at most info: a function named for monitoring serves the operator.
func startMonitoringServer(h http.Handler) {
	_ = http.ListenAndServe(":1032", h) // want `info only: it is started by a function named for metrics`
}

// at most info: the default mux holds only the metrics route this function
// registers.
func (s *scrapeServer) run(addr string) {
	http.Handle("/metrics", s.h)
	_ = http.ListenAndServe(addr, nil) // want `info only: it serves only metrics`
}

type scrapeServer struct{ h http.Handler }

// at most info: the mux answers "/" with an empty handler, a probe for the
// cluster's health checks; the work comes from a queue.
func probeServer(addr string) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("ok"))
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})
	srv := &http.Server{Addr: addr, Handler: mux} // want `http.Server without ReadHeaderTimeout.*info only: it serves only metrics, profiling or health`
	return srv.ListenAndServe()
}

// A literal that reads the request is no probe.
func echoServer(addr string) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(r.URL.Path))
	})
	srv := &http.Server{Addr: addr, Handler: mux} // want `http.Server without ReadHeaderTimeout: a client`
	return srv.ListenAndServe()
}

// at most info: the probes and metrics sit under an API prefix.
func prefixedProbes(addr string) error {
	mux := http.NewServeMux()
	mux.Handle("/api/metrics", promhttp.Handler())
	mux.HandleFunc("/api/health/live", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("/api/health/ready", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	srv := &http.Server{Addr: addr, Handler: mux} // want `http.Server without ReadHeaderTimeout.*info only: it serves only metrics, profiling or health`
	return srv.ListenAndServe()
}

// An API route beside them keeps it posted.
func prefixedAPI(addr string) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/health/live", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("/api/orders/status", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(r.URL.Path)) })
	srv := &http.Server{Addr: addr, Handler: mux} // want `http.Server without ReadHeaderTimeout: a client`
	return srv.ListenAndServe()
}
