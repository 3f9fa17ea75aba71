// Package limitnone chains only a logger around its root handler, and
// wraps one route in the body limit: the other routes are not limited.
package limitnone

import (
	"net/http"

	"routes/capmw"
	"routes/limithandlers"
)

func New(h *limithandlers.H) http.Handler {
	middleware := []func(http.Handler) http.Handler{capmw.Log}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /unlisted", h.Unlisted)                               // want `route POST /unlisted .*H\).Unlisted: public$`
	mux.Handle("POST /wrapped", capmw.Cap(1<<10)(http.HandlerFunc(h.Wrapped))) // want `route POST /wrapped .*H\).Wrapped: public, limit capmw.Cap`
	var out http.Handler = mux
	for _, m := range middleware {
		out = m(out)
	}
	return out
}
