// Package acme serves the internet directly, with certificates it fetches
// from Let's Encrypt itself.
package acme

import (
	"context"
	"io"
	"log"
	"net/http"

	"golang.org/x/crypto/acme/autocert"
)

// Serve is raised to warning: Let's Encrypt reaches this server from the
// internet, so nothing in front of it buffers slow headers.
func Serve(hosts []string, h http.Handler) error {
	m := autocert.Manager{
		Prompt:     autocert.AcceptTOS,
		HostPolicy: autocert.HostWhitelist(hosts...),
		Cache:      autocert.DirCache("certs"),
	}
	go http.ListenAndServe(":http", m.HTTPHandler(nil))       // want `http.ListenAndServe serves with no timeouts at all.*answers the internet directly`
	srv := &http.Server{Handler: h, TLSConfig: m.TLSConfig()} // want `http.Server without ReadHeaderTimeout.*answers the internet directly`
	return srv.Serve(m.Listener())
}

// Plain has no sign of its exposure: its check's default.
func Plain(h http.Handler) error {
	srv := &http.Server{Addr: ":8080", Handler: h} // want `http.Server without ReadHeaderTimeout: a client`
	return srv.ListenAndServe()
}

// Quiet runs a file server by hand with its error log silenced: the
// server value only carries the log in the request's context.
func Quiet(fs http.Handler, w http.ResponseWriter, r *http.Request) {
	r = r.WithContext(context.WithValue(r.Context(), http.ServerContextKey, &http.Server{
		ErrorLog: log.New(io.Discard, "", 0),
	}))
	fs.ServeHTTP(w, r)
}
