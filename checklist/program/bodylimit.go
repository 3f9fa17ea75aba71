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

// BodyBuffer is the fact that a function's body (or a function literal in
// it) reads a request's body whole and puts the copy back as the body
// (body, _ := io.ReadAll(c.Request.Body); c.Request.Body =
// io.NopCloser(bytes.NewReader(body))), as logging and signature
// middleware do. A route behind a middleware built from it reads that copy:
// the unbounded read, and the place for a limit, is the middleware's, so
// the handler's own whole read adds nothing (read O: ten webhook handlers
// behind one logging middleware).
type BodyBuffer struct {
	// Pos is the read.
	Pos token.Pos
}

// AFact marks BodyBuffer as an analysis fact.
func (*BodyBuffer) AFact() {}

func (*BodyBuffer) String() string { return "body buffer" }

// exportBodyLimiters exports a [BodyLimiter] fact for each declared
// function of the package that limits a request's body (see
// [maxBytesCall]), and returns them; and a [BodyBuffer] fact for each that
// buffers one instead, returning the positions of their reads.
func exportBodyLimiters(pass *analysis.Pass) (map[*types.Func]bool, map[token.Pos]bool) {
	out, reads := map[*types.Func]bool{}, map[token.Pos]bool{}
	if pass.TypesInfo == nil {
		return out, reads
	}
	for _, f := range pass.Files {
		if !code.ImportsPath(f, "net/http") && !code.ImportsPath(f, "io") && !code.ImportsPath(f, "io/ioutil") {
			continue // a file that imports none of these can call neither http.MaxBytesReader nor a whole read
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
			} else if at := bufferCall(pass.TypesInfo, fd.Body); at.IsValid() {
				pass.ExportObjectFact(fn, &BodyBuffer{Pos: at})
				reads[at] = true
			}
		}
	}
	return out, reads
}

// maxBytesCall returns the first call in body that limits a request's
// body: http.MaxBytesReader, or an io.LimitReader over a request's Body
// when the function also replaces that Body (body, err :=
// io.ReadAll(io.LimitReader(r.Body, max+1)) ... r.Body =
// io.NopCloser(bytes.NewReader(body))), so that what reads it afterwards
// reads the bounded copy.
func maxBytesCall(info *types.Info, body *ast.BlockStmt) token.Pos {
	return firstBodyCall(info, body, func(fn *types.Func, call *ast.CallExpr, replaced map[string]bool) bool {
		switch {
		case fn.Pkg().Path() == "net/http" && fn.Name() == "MaxBytesReader":
			return true
		case fn.Pkg().Path() == "io" && fn.Name() == "LimitReader" && len(call.Args) == 2:
			return replaced[requestOfBody(info, call.Args[0])]
		}
		return false
	})
}

// bufferCall returns the first whole read (io.ReadAll, ioutil.ReadAll) of a
// request's Body in body when the function also replaces that Body, or
// token.NoPos: see [BodyBuffer].
func bufferCall(info *types.Info, body *ast.BlockStmt) token.Pos {
	return firstBodyCall(info, body, func(fn *types.Func, call *ast.CallExpr, replaced map[string]bool) bool {
		p := fn.Pkg().Path()
		return (p == "io" || p == "io/ioutil") && fn.Name() == "ReadAll" && len(call.Args) == 1 && replaced[requestOfBody(info, call.Args[0])]
	})
}

// firstBodyCall returns the first call in body to a package-level function
// that match accepts, given the requests whose Body the function assigns
// (by [requestOfBody]'s key).
func firstBodyCall(info *types.Info, body *ast.BlockStmt, match func(fn *types.Func, call *ast.CallExpr, replaced map[string]bool) bool) token.Pos {
	at := token.NoPos
	replaced := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok {
			for _, l := range as.Lhs {
				if k := requestOfBody(info, l); k != "" {
					replaced[k] = true
				}
			}
		}
		return true
	})
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && !at.IsValid() {
			if fn, ok := typeutil.Callee(info, call).(*types.Func); ok && fn.Pkg() != nil && match(fn, call, replaced) {
				at = call.Pos()
			}
		}
		return !at.IsValid()
	})
	return at
}

// requestOfBody returns the text of r when e is r.Body and r is an
// *http.Request (a variable, or a framework context's field: c.Request),
// else "".
func requestOfBody(info *types.Info, e ast.Expr) string {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Body" {
		return ""
	}
	switch x := ast.Unparen(sel.X).(type) {
	case *ast.Ident, *ast.SelectorExpr:
		if code.IsPointerTo(info.TypeOf(x), "net/http", "Request") {
			return types.ExprString(x)
		}
	}
	return ""
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
// [BodyLimiter], in this package or another), or reads the body whole and
// puts the copy back (a [BodyBuffer]: what the handler reads after it is
// memory spent already); "" otherwise.
func (s *routeScan) limiter(e ast.Expr) string {
	n := middlewareName(e)
	if BodyLimitName(n) {
		return n
	}
	if fn := s.middlewareFunc(e); fn != nil && (s.pass.ImportObjectFact(fn.Origin(), new(BodyLimiter)) || s.pass.ImportObjectFact(fn.Origin(), new(BodyBuffer))) {
		return n
	}
	return ""
}

// middlewareFunc returns the function a middleware expression names, or
// the constructor called to build it; nil when neither is known.
func (s *routeScan) middlewareFunc(e ast.Expr) *types.Func {
	var fn *types.Func
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		fn, _ = typeutil.Callee(s.info, x).(*types.Func)
	default:
		fn = funcValue(s.info, x)
	}
	if fn == nil || fn.Pkg() == nil {
		return nil
	}
	return fn
}

// bufferRoutes returns, for a router's Use (or Pre), a route for each
// middleware handed to it that reads the request body whole and puts the
// copy back (a [BodyBuffer]): it runs on every request of that chain, so
// its own read is judged as a handler's is, public unless the chain
// authenticates or something else limits the body (a middleware does not
// limit its own read).
func (s *routeScan) bufferRoutes(call *ast.CallExpr) []Route {
	buffers := func(e ast.Expr) bool {
		fn := s.middlewareFunc(e)
		return fn != nil && s.pass.ImportObjectFact(fn.Origin(), new(BodyBuffer))
	}
	route := func(mw, router ast.Expr) []Route {
		key, _, _ := s.handlerOf(mw, 0)
		ci := s.chain(router, 0)
		if key == "" || (ci.opaque && ci.auth == "") {
			return nil
		}
		limit := s.bodyLimit
		if limit == middlewareName(mw) {
			limit = ""
		}
		return []Route{{Handler: key, Pattern: "middleware", Pos: call.Pos(), Auth: ci.auth, Limit: limit, From: ci.from}}
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && (sel.Sel.Name == "Use" || sel.Sel.Name == "Pre") {
		var out []Route
		for _, a := range s.expand(call.Args) {
			if buffers(a) {
				out = append(out, route(a, sel.X)...)
			}
		}
		return out
	}
	// A middleware wrapping a router whole: logBody(mux).
	if len(call.Args) == 0 || !handlerResult(s.info.TypeOf(call)) || !buffers(call.Fun) {
		return nil
	}
	for _, a := range call.Args {
		if s.routerValue(a) {
			return route(call.Fun, a)
		}
	}
	return nil
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
