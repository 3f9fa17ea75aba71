// Package limitlist chains a body limit of another package around its
// root handler from a list of middleware: every route of the package reads
// a limited body.
package limitlist

import (
	"net/http"

	"routes/capmw"
	"routes/limithandlers"
)

func New(h *limithandlers.H) http.Handler {
	middleware := []func(http.Handler) http.Handler{
		capmw.Log,
		capmw.Cap(1 << 20),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /listed", h.Listed) // want `route POST /listed .*H\).Listed: public, limit capmw.Cap`
	var out http.Handler = mux
	for _, m := range middleware {
		out = m(out)
	}
	return out
}
