// Package echo stands in for labstack/echo.
package echo

import "context"

// Context is a request's context.
type Context interface {
	Request() any
	Bind(v any) error
	NoContent(code int) error
	Ctx() context.Context
}
