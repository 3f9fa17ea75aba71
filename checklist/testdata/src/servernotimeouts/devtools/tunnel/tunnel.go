// Package tunnel is a developers' tool under devtools/: it serves the
// developer who runs it, so server-no-timeouts is silent.
package tunnel

import (
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
)

// Serve proxies a private tunnel stream to a local dev server.
func Serve(ln net.Listener, target *url.URL) error {
	srv := &http.Server{Handler: httputil.NewSingleHostReverseProxy(target)}
	return srv.Serve(ln)
}
