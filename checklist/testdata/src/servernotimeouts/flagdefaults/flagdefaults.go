// Package flagdefaults holds servers whose address a flag or a config
// default sets: the loopback by default is written for the host only.
package flagdefaults

import (
	"flag"
	"net/http"
)

type options struct {
	listenAddr string
	publicAddr string
}

// Config is read from the environment; its fields' tags give defaults.
type Config struct {
	DebugAddr string `env:"DEBUG_ADDR" envDefault:"127.0.0.1:6060"`
	HTTPAddr  string `env:"HTTP_ADDR" envDefault:":8080"`
}

func (o *options) register(fs *flag.FlagSet) {
	fs.StringVar(&o.listenAddr, "listen-addr", "127.0.0.1:4242", "address the kube proxy listens on")
	fs.StringVar(&o.publicAddr, "public-addr", ":8080", "address the API listens on")
}

// at most info: the flag's default is the loopback.
func (o *options) serveProxy(h http.Handler) error {
	srv := &http.Server{Addr: o.listenAddr, Handler: h} // want `info only: it listens on the loopback`
	return srv.ListenAndServe()
}

// Posted: the API's default binds every interface.
func (o *options) serveAPI(h http.Handler) error {
	srv := &http.Server{Addr: o.publicAddr, Handler: h} // want `http.Server without ReadHeaderTimeout`
	return srv.ListenAndServe()
}

var zpages = flag.String("zpages-addr", "localhost:9999", "address of the zPages debug server")

// at most info: *zpages defaults to the loopback.
func serveZPages(h http.Handler) error {
	return http.ListenAndServe(*zpages, h) // want `info only: it listens on the loopback`
}

// at most info: the config's tag defaults the debug address to the loopback.
func serveDebug(c *Config, h http.Handler) error {
	srv := &http.Server{Addr: c.DebugAddr, Handler: h} // want `info only: it listens on the loopback`
	return srv.ListenAndServe()
}

// Posted: the HTTP address defaults to every interface.
func serveHTTP(c *Config, h http.Handler) error {
	srv := &http.Server{Addr: c.HTTPAddr, Handler: h} // want `http.Server without ReadHeaderTimeout`
	return srv.ListenAndServe()
}
