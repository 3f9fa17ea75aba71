// Package peergosec holds our own cases of the kinds gosec's G112
// (slowloris: no ReadHeaderTimeout) and G114 (net/http serve functions
// without timeouts) tests cover, to compare server-no-timeouts with them.
package peergosec

import (
	"net"
	"net/http"
	"time"
)

// G114: each of the four package-level serve functions.
func serveAll(ln net.Listener, h http.Handler) {
	_ = http.ListenAndServe(":8080", h)                      // want `http.ListenAndServe serves with no timeouts`
	_ = http.ListenAndServeTLS(":8443", "c.pem", "k.pem", h) // want `http.ListenAndServeTLS serves with no timeouts`
	_ = http.Serve(ln, h)                                    // want `http.Serve serves with no timeouts`
	_ = http.ServeTLS(ln, h, "c.pem", "k.pem")               // want `http.ServeTLS serves with no timeouts`
}

// The methods of a server with timeouts are fine.
func serveConfigured(ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 3 * time.Second}
	return srv.Serve(ln)
}

// G112: a literal with no ReadHeaderTimeout.
func bare(h http.Handler) *http.Server {
	return &http.Server{Addr: ":8080", Handler: h} // want `http.Server without ReadHeaderTimeout`
}

// ReadTimeout alone also bounds the headers (net/http falls back to it);
// prodready accepts it, G112 as documented asks for ReadHeaderTimeout.
func readTimeoutOnly(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadTimeout: 10 * time.Second}
}

// The timeout set on the variable after the literal: prodready sees it.
func setAfter(h http.Handler) *http.Server {
	s := &http.Server{Handler: h}
	s.ReadHeaderTimeout = 2 * time.Second
	return s
}

// A value literal, not a pointer.
func value(h http.Handler) http.Server {
	return http.Server{Handler: h} // want `http.Server without ReadHeaderTimeout`
}

// A literal in a slice of servers.
func many(h http.Handler) []*http.Server {
	return []*http.Server{
		{Addr: ":1", Handler: h, ReadHeaderTimeout: time.Second},
		{Addr: ":2", Handler: h}, // want `http.Server without ReadHeaderTimeout`
	}
}

type apiServer = http.Server

// Through a type alias.
func aliased(h http.Handler) *apiServer {
	return &apiServer{Handler: h} // want `http.Server without ReadHeaderTimeout`
}

// Built with new and never given a read timeout.
func viaNew(h http.Handler) *http.Server {
	s := new(http.Server) // want `http.Server without ReadHeaderTimeout`
	s.Handler = h
	return s
}
