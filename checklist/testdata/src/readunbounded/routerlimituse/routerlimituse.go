// Package routerlimituse installs its body limit with the router's Use.
package routerlimituse

import (
	"encoding/json"
	"net/http"
)

type router struct {
	mws []func(http.Handler) http.Handler
}

func (rt *router) Use(mw ...func(http.Handler) http.Handler) { rt.mws = append(rt.mws, mw...) }

type api struct{}

func (a *api) limitRequestBody(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

type client struct{ Name string }

func (a *api) register(w http.ResponseWriter, r *http.Request) {
	var in client
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, "json", http.StatusBadRequest)
	}
}

func (a *api) routes(rt *router) {
	rt.Use(a.limitRequestBody(1 << 20))
}
