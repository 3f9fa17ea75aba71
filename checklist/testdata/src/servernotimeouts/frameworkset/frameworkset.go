// Package frameworkset configures echo's server before starting it.
package frameworkset

import (
	"time"

	"github.com/labstack/echo/v4"
)

func newServer() *echo.Echo {
	e := echo.New()
	e.Server.ReadHeaderTimeout = 5 * time.Second
	return e
}

// Silent: the package sets the framework server's timeouts.
func serve(addr string) error {
	return newServer().Start(addr)
}
