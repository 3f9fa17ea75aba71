// Package echo stands in for github.com/labstack/echo/v4.
package echo

type Context interface{}
type HandlerFunc func(Context) error
type MiddlewareFunc func(HandlerFunc) HandlerFunc
type Echo struct{}
type Group struct{}

func New() *Echo                                                   { return &Echo{} }
func (e *Echo) Use(m ...MiddlewareFunc)                            {}
func (e *Echo) Group(p string, m ...MiddlewareFunc) *Group         { return &Group{} }
func (e *Echo) POST(p string, h HandlerFunc, m ...MiddlewareFunc)  {}
func (g *Group) Use(m ...MiddlewareFunc)                           {}
func (g *Group) POST(p string, h HandlerFunc, m ...MiddlewareFunc) {}
