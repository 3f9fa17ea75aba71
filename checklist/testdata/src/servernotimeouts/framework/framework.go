// Package framework starts servers through web frameworks' own start
// methods.
package framework

import (
	"context"
	"net"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/labstack/echo/v4"
)

// gin's Run is http.ListenAndServe underneath: no timeouts can be set.
func serveGin(addr string) error {
	r := gin.Default()
	return r.Run(addr) // want `gin.s Run serves through http.ListenAndServe with no timeouts`
}

func serveGinTLS(addr string) error {
	return gin.Default().RunTLS(addr, "cert.pem", "key.pem") // want `gin's RunTLS serves`
}

// at most info: gin on the loopback serves the operator.
func serveGinLocal() error {
	return gin.Default().Run("127.0.0.1:6060") // want `info only`
}

// echo's Start serves its Server field, which nobody in this package
// configures.
func serveEcho(addr string) error {
	e := echo.New()
	return e.Start(addr) // want `echo's Start serves on e.Server`
}

// at most info: the framework serves a Unix socket the function opened.
func serveEchoSocket(ctx context.Context, path string) error {
	e := echo.New()
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "unix", path)
	if err != nil {
		return err
	}
	e.Listener = ln
	return e.StartServer(new(http.Server)) // want `info only: it serves a Unix socket`
}

// The listener is a TCP one: the bare server is public.
func serveEchoTCP(ctx context.Context, addr string) error {
	e := echo.New()
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	e.Listener = ln
	return e.StartServer(new(http.Server)) // want `http.Server without ReadHeaderTimeout`
}
