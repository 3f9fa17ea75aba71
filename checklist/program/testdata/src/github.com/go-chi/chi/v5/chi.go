// Package chi stands in for github.com/go-chi/chi/v5.
package chi

import "net/http"

type Router interface {
	http.Handler
	Use(middlewares ...func(http.Handler) http.Handler)
	With(middlewares ...func(http.Handler) http.Handler) Router
	Group(fn func(r Router)) Router
	Route(pattern string, fn func(r Router)) Router
	Post(pattern string, h http.HandlerFunc)
	Get(pattern string, h http.HandlerFunc)
	Handle(pattern string, h http.Handler)
}

type Mux struct{ Router }

func NewRouter() *Mux { return &Mux{} }
