// Package mux stands in for gorilla/mux.
package mux

import "net/http"

// Router routes requests.
type Router struct{}

// Route is one route.
type Route struct{}

// NewRouter returns a router.
func NewRouter() *Router { return &Router{} }

// Path adds a route for a path.
func (r *Router) Path(tpl string) *Route { return &Route{} }

// HandleFunc adds a route with its handler.
func (r *Router) HandleFunc(path string, f func(http.ResponseWriter, *http.Request)) *Route {
	return &Route{}
}

// HandlerFunc sets the route's handler.
func (r *Route) HandlerFunc(f func(http.ResponseWriter, *http.Request)) *Route { return r }

// Methods limits the route to methods.
func (r *Route) Methods(m ...string) *Route { return r }

// ServeHTTP serves.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {}
