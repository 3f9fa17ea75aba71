// Package echo stands in for github.com/labstack/echo/v4: only what the
// checks resolve.
package echo

import (
	"net"
	"net/http"
)

// Echo is a router with its own server.
type Echo struct {
	Server   *http.Server
	Listener net.Listener
}

// New returns a router whose Server has no timeouts.
func New() *Echo { return &Echo{Server: new(http.Server)} }

// Start serves e.Server on addr.
func (e *Echo) Start(addr string) error { return nil }

// StartTLS serves e.Server with TLS on addr.
func (e *Echo) StartTLS(addr string, certFile, keyFile any) error { return nil }

// StartServer serves s, on e.Listener when it is set.
func (e *Echo) StartServer(s *http.Server) error { return nil }
