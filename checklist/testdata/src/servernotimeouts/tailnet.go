package servernotimeouts

import (
	"net/http"

	"tailscale.com/tsnet"
)

// at most info: a tsnet listener, reached only by authenticated peers of
// the tailnet.
func tailnetServe(ts *tsnet.Server, h http.Handler) error {
	ln, err := ts.Listen("tcp", ":80")
	if err != nil {
		return err
	}
	return http.Serve(ln, h) // want `http.Serve serves with no timeouts.*info only: it serves a tsnet listener`
}

// at most info: an http.Server serving only the tailnet's TLS listener.
func tailnetServer(ts *tsnet.Server, h http.Handler) error {
	ln, err := ts.ListenTLS("tcp", ":443")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h} // want `http.Server without ReadHeaderTimeout.*info only: it serves a tsnet listener`
	return srv.Serve(ln)
}

// A Funnel listener faces the internet: posted.
func funnelServe(ts *tsnet.Server, h http.Handler) error {
	ln, err := ts.ListenFunnel("tcp", ":443")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h} // want `http.Server without ReadHeaderTimeout`
	return srv.Serve(ln)
}
