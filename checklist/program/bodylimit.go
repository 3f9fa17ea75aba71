package program

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/prodready/prodready/checklist/internal/code"
)

// BodyLimiter is the fact that a function's body (or a function literal in
// it) limits a request's body (see [maxBytesCall]): a middleware built from it limits request
// bodies. It lets a router package see that a middleware of another
// package limits what its routes read.
type BodyLimiter struct {
	// Pos is the MaxBytesReader call.
	Pos token.Pos
}

// AFact marks BodyLimiter as an analysis fact.
func (*BodyLimiter) AFact() {}

func (*BodyLimiter) String() string { return "body limiter" }

// exportBodyLimiters exports a [BodyLimiter] fact for each declared
// function of the package that limits a request's body (see
// [maxBytesCall]), and returns them.
func exportBodyLimiters(pass *analysis.Pass) map[*types.Func]bool {
	out := map[*types.Func]bool{}
	if pass.TypesInfo == nil {
		return out
	}
	for _, f := range pass.Files {
		if !code.ImportsPath(f, "net/http") {
			continue // a file that does not import net/http cannot name http.MaxBytesReader
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if !ok {
				continue
			}
			if at := maxBytesCall(pass.TypesInfo, fd.Body); at.IsValid() {
				pass.ExportObjectFact(fn, &BodyLimiter{Pos: at})
				out[fn] = true
			}
		}
	}
	return out
}

// maxBytesCall returns the first call in body that limits a request's
// body: http.MaxBytesReader, or an io.LimitReader over a request's Body
// when the function also replaces that Body (body, err :=
// io.ReadAll(io.LimitReader(r.Body, max+1)) ... r.Body =
// io.NopCloser(bytes.NewReader(body))), so that what reads it afterwards
// reads the bounded copy.
func maxBytesCall(info *types.Info, body *ast.BlockStmt) token.Pos {
	at := token.NoPos
	replaced := map[types.Object]bool{} // requests whose Body the function assigns
	ast.Inspect(body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok {
			for _, l := range as.Lhs {
				if obj := requestOfBody(info, l); obj != nil {
					replaced[obj] = true
				}
			}
		}
		return true
	})
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && !at.IsValid() {
			fn, ok := typeutil.Callee(info, call).(*types.Func)
			switch {
			case !ok || fn.Pkg() == nil:
			case fn.Pkg().Path() == "net/http" && fn.Name() == "MaxBytesReader":
				at = call.Pos()
			case fn.Pkg().Path() == "io" && fn.Name() == "LimitReader" && len(call.Args) == 2:
				if obj := requestOfBody(info, call.Args[0]); obj != nil && replaced[obj] {
					at = call.Pos()
				}
			}
		}
		return !at.IsValid()
	})
	return at
}

// requestOfBody returns the variable of r when e is r.Body and r is an
// *http.Request, else nil.
func requestOfBody(info *types.Info, e ast.Expr) types.Object {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Body" {
		return nil
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok || !code.IsPointerTo(info.TypeOf(id), "net/http", "Request") {
		return nil
	}
	return info.Uses[id]
}

// BodyLimitName reports whether a middleware's name (an identifier or an
// expression's text) says it limits the request body: body limit, max body,
// max bytes, size limit, request size (echo's middleware.BodyLimit,
// http.MaxBytesHandler, gin-contrib's limits.RequestSizeLimiter,
// maxBodySizeMiddleware).
func BodyLimitName(s string) bool {
	if !containsFold(s, "body") && !containsFold(s, "max") && !containsFold(s, "size") {
		// Every rule below needs a word starting body, max or size, and
		// such a word is a piece of s: most names (every call the route
		// scan sees) end here without being split into words.
		return false
	}
	var words []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '(' || r == ')' || r == ' ' }) {
		words = append(words, code.IdentWords(part)...)
	}
	has := func(w string) bool {
		for _, x := range words {
			if strings.HasPrefix(x, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("body") && (has("limit") || has("max") || has("size")):
		return true
	case has("max") && has("bytes"):
		return true
	case has("size") && (has("limit") || has("request")):
		return true
	}
	return false
}

// limiter returns the name of a middleware expression that limits request
// bodies: one named so ([BodyLimitName]), or one whose function, or the
// constructor called to build it, calls http.MaxBytesReader (a
// [BodyLimiter], in this package or another); "" otherwise.
func (s *routeScan) limiter(e ast.Expr) string {
	n := middlewareName(e)
	if BodyLimitName(n) {
		return n
	}
	var fn *types.Func
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		fn, _ = typeutil.Callee(s.info, x).(*types.Func)
	default:
		fn = funcValue(s.info, x)
	}
	if fn != nil && fn.Pkg() != nil && s.pass.ImportObjectFact(fn.Origin(), new(BodyLimiter)) {
		return n
	}
	return ""
}

// collectLimit records a body limit the package installs for every route:
// a limiter handed to a router's Use or Pre (r.Use(limitBody),
// e.Use(middleware.BodyLimit("2M"))), a limiter called on a router
// (limitBody(mux), http.MaxBytesHandler(mux, n)), or a limiter listed among
// the middleware a package chains around its root handler
// ([]func(http.Handler) http.Handler{..., maxBody(n), ...}).
func (s *routeScan) collectLimit(n ast.Node) {
	if s.bodyLimit != "" {
		return
	}
	switch x := n.(type) {
	case *ast.CallExpr:
		if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && (sel.Sel.Name == "Use" || sel.Sel.Name == "Pre") {
			for _, a := range s.expand(x.Args) {
				if l := s.limiter(a); l != "" {
					s.bodyLimit = l
					return
				}
			}
			return
		}
		if len(x.Args) == 0 || !handlerResult(s.info.TypeOf(x)) {
			return // a limiter called on a router returns the limited handler
		}
		if fn, ok := typeutil.Callee(s.info, x).(*types.Func); ok && code.IsPkgFunc(fn, "net/http", "MaxBytesHandler") {
			// The standard library's limiter wraps a whole handler: in
			// the package that builds the routes, the handler it wraps
			// is the routes' (h = http.MaxBytesHandler(h, n) with h from
			// the package's NewHandler), whatever the variable is called.
			s.bodyLimit = "http.MaxBytesHandler"
			return
		}
		if l := s.limiter(x.Fun); l != "" {
			for _, a := range x.Args {
				if s.routerValue(a) {
					s.bodyLimit = l
					return
				}
			}
		}
	case *ast.CompositeLit:
		if !middlewareList(s.info.TypeOf(x)) {
			return
		}
		for _, e := range x.Elts {
			if l := s.limiter(e); l != "" {
				s.bodyLimit = l
				return
			}
		}
	}
}

// handlerResult reports whether a call's result type t may be a handler
// that wraps a router: a function, an interface (http.Handler), or a type
// that declares ServeHTTP. Unknown types (nil) are kept.
func handlerResult(t types.Type) bool {
	if t == nil {
		return true
	}
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	switch t.Underlying().(type) {
	case *types.Signature, *types.Interface:
		return true
	case *types.Struct:
		// A handler type of its own: it declares ServeHTTP.
		if n, ok := t.(*types.Named); ok {
			for i := range n.NumMethods() {
				if n.Method(i).Name() == "ServeHTTP" {
					return true
				}
			}
		}
	}
	return false
}

// middlewareList reports whether t is a slice or array of functions (a
// chain of middleware).
func middlewareList(t types.Type) bool {
	if t == nil {
		return false
	}
	var elem types.Type
	switch u := t.Underlying().(type) {
	case *types.Slice:
		elem = u.Elem()
	case *types.Array:
		elem = u.Elem()
	default:
		return false
	}
	_, ok := elem.Underlying().(*types.Signature)
	return ok
}

// routerValue reports whether e is a router or the root handler: its type
// is a router's, or its name or its type's name says mux, router or engine.
func (s *routeScan) routerValue(e ast.Expr) bool {
	t := s.info.TypeOf(e)
	if t != nil && routerType(t) {
		return true
	}
	names := []string{types.ExprString(e)}
	if t != nil {
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := t.(*types.Named); ok {
			names = append(names, n.Obj().Name())
		}
	}
	for _, n := range names {
		for _, w := range code.IdentWords(n) {
			if strings.HasPrefix(w, "mux") || strings.HasPrefix(w, "router") || strings.HasPrefix(w, "engine") {
				return true
			}
		}
	}
	return false
}
