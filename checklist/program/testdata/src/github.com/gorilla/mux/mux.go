// Package mux stands in for github.com/gorilla/mux.
package mux

import "net/http"

type Router struct{}
type Route struct{}
type MiddlewareFunc func(http.Handler) http.Handler

func NewRouter() *Router                    { return &Router{} }
func (r *Router) Use(mwf ...MiddlewareFunc) {}
func (r *Router) HandleFunc(path string, f func(http.ResponseWriter, *http.Request)) *Route {
	return &Route{}
}
func (r *Router) Handle(path string, h http.Handler) *Route                    { return &Route{} }
func (r *Router) PathPrefix(tpl string) *Route                                 { return &Route{} }
func (r *Router) Path(tpl string) *Route                                       { return &Route{} }
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request)           {}
func (r *Route) Subrouter() *Router                                            { return &Router{} }
func (r *Route) Methods(m ...string) *Route                                    { return r }
func (r *Route) HandlerFunc(f func(http.ResponseWriter, *http.Request)) *Route { return r }
