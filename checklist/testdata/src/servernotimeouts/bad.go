package servernotimeouts

import (
	"crypto/tls"
	"net"
	"net/http"
	srvhttp "net/http"
	"time"
)

func serve(mux *http.ServeMux) error {
	return http.ListenAndServe(":8080", mux) // want `http.ListenAndServe serves with no timeouts`
}

func serveTLS(mux http.Handler) error {
	return srvhttp.ListenAndServeTLS(":8443", "cert.pem", "key.pem", mux) // want `http.ListenAndServeTLS serves with no timeouts`
}

func serveListener(ln net.Listener, h http.Handler) error {
	return http.Serve(ln, h) // want `http.Serve serves with no timeouts`
}

// Write and idle timeouts but nothing on reads.
func newServer(h http.Handler) *http.Server {
	return &http.Server{ // want `http.Server without ReadHeaderTimeout`
		Addr:         ":8080",
		Handler:      h,
		WriteTimeout: 10 * time.Second,
		IdleTimeout:  time.Minute,
	}
}

type webServer = http.Server

func viaAlias(h http.Handler, cfg *tls.Config) *webServer {
	return &webServer{Handler: h, TLSConfig: cfg} // want `http.Server without ReadHeaderTimeout`
}

func viaNew(h http.Handler) *http.Server {
	s := new(http.Server) // want `http.Server without ReadHeaderTimeout`
	s.Handler = h
	return s
}

// App is a framework server; its options configure App, not the
// http.Server it builds afterwards.
type App struct {
	Server *http.Server
	debug  bool
}

// AppOption configures an App.
type AppOption func(*App)

// NewApp builds the http.Server without read timeouts.
func NewApp(h http.Handler, opts ...AppOption) *App {
	app := &App{}
	for _, o := range opts {
		o(app)
	}
	app.Server = &http.Server{Handler: h} // want `http.Server without ReadHeaderTimeout`
	return app
}
