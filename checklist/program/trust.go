package program

import (
	"go/ast"
	"go/types"
)

// Source says where a byte stream comes from, which decides how far it is
// trusted: a client of the service can send anything, of any size; an
// upstream the service chose is trusted as far as that choice goes.
type Source string

// Sources.
const (
	Unknown  Source = ""
	Client   Source = "client"   // a request body the service received
	Upstream Source = "upstream" // a response body from a peer the service called
)

// TrustOf says where the bytes of e come from: the Body of an
// *http.Request (r.Body, c.Request.Body in gin and echo) comes from a
// client, the Body of an *http.Response from an upstream. A request the
// service builds itself also has a Body; this answers for the handler's
// side, which is where an *http.Request is read.
func TrustOf(info *types.Info, e ast.Expr) Source {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Body" {
		return Unknown
	}
	t := info.TypeOf(sel.X)
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "net/http" {
		return Unknown
	}
	switch n.Obj().Name() {
	case "Request":
		return Client
	case "Response":
		return Upstream
	}
	return Unknown
}
