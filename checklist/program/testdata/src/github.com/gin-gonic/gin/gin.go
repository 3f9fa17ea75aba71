// Package gin stands in for github.com/gin-gonic/gin.
package gin

import "net/http"

type Context struct{ Request *http.Request }
type HandlerFunc func(*Context)
type RouterGroup struct{}
type Engine struct{ RouterGroup }

func Default() *Engine                                               { return &Engine{} }
func (g *RouterGroup) Use(h ...HandlerFunc)                          {}
func (g *RouterGroup) Group(p string, h ...HandlerFunc) *RouterGroup { return g }
func (g *RouterGroup) POST(p string, h ...HandlerFunc)               {}
func (g *RouterGroup) GET(p string, h ...HandlerFunc)                {}
