// Package authtype authenticates routes with middleware whose names say
// nothing: a method of an auth-named type, and a method of a value an
// auth-named constructor built; a rate checker's method is no login check.
package authtype

import (
	"net/http"

	"routes/capmw"
	"routes/limithandlers"
)

type app struct{ gate *capmw.AuthHandler }

func (a *app) New(h *limithandlers.H) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /typed", a.gate.WrapHandler(http.HandlerFunc(h.Typed))) // want `route POST /typed .*H\).Typed: auth a.gate.WrapHandler`
	chk := capmw.NewSessionChecker()
	mux.Handle("POST /built", chk.Handler(http.HandlerFunc(h.Built))) // want `route POST /built .*H\).Built: auth chk.Handler`
	rate := capmw.NewRateChecker()
	mux.Handle("POST /rated", rate.Handler(http.HandlerFunc(h.Rated))) // want `route POST /rated .*H\).Rated: public`
	return mux
}
