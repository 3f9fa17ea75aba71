// Package contextbackgrounddot calls context.Background through a dot
// import, a shape with no selector to read the name from.
package contextbackgrounddot

import (
	. "context"
	"net"
)

// call dials a peer under ctx.
func call(ctx Context) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", "inventory.internal:443")
	if err != nil {
		return err
	}
	return conn.Close()
}

// Dot passes a fresh context.
func Dot(ctx Context) error {
	return call(Background()) // want `context.Background\(\) drops ctx`
}
