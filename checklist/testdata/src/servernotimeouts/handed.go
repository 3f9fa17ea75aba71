package servernotimeouts

import (
	"net/http"

	"golang.org/x/net/http2"
	"zgo.at/zhttp"
)

// at most info: another module's Serve takes the server and may set the
// timeouts itself.
func serveThroughHelper(h http.Handler, stop chan struct{}) error {
	srv := &http.Server{Addr: ":8080", Handler: h} // want `http.Server without ReadHeaderTimeout.*info only: it is handed to zhttp.Serve, which may set the timeouts itself`
	return zhttp.Serve(0, stop, srv)
}

// at most info: the same, built in the call.
func serveInline(h http.Handler, stop chan struct{}) error {
	return zhttp.Serve(0, stop, &http.Server{Addr: ":8080", Handler: h}) // want `info only: it is handed to zhttp.Serve`
}

// Handed to a local function that only starts it: posted.
func serveLocally(h http.Handler) error {
	srv := &http.Server{Addr: ":8080", Handler: h} // want `http.Server without ReadHeaderTimeout: a client`
	return runServer(srv)
}

func runServer(srv *http.Server) error { return srv.ListenAndServe() }

// http2.ConfigureServer only prepares the server: posted.
func serveHTTP2(h http.Handler) error {
	srv := &http.Server{Addr: ":8443", Handler: h} // want `http.Server without ReadHeaderTimeout: a client`
	if err := http2.ConfigureServer(srv, nil); err != nil {
		return err
	}
	return srv.ListenAndServeTLS("cert.pem", "key.pem")
}
