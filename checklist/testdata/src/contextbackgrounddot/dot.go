// Package contextbackgrounddot calls context.Background through a dot
// import, a shape with no selector to read the name from.
package contextbackgrounddot

import (
	. "context"
)

func call(ctx Context) error { return ctx.Err() }

// Dot passes a fresh context.
func Dot(ctx Context) error {
	return call(Background()) // want `context.Background\(\) drops ctx`
}
