package checklist

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist/internal/code"
)

// routerBodyLimit reports whether the package installs a middleware of its
// own that limits every request body: a function or method whose body (or a
// function literal in it) sets X.Body = http.MaxBytesReader(...), which is
// handed to a router's Use (r.Use(limitBody), e.Use(s.limit(1<<20))) or
// wraps the router itself (limitBody(mux)). The package's handlers then read
// bodies that are already bounded. A middleware that is declared but never
// installed, or only wraps one handler, limits nothing router-wide.
func routerBodyLimit(pass *analysis.Pass) bool {
	info := pass.TypesInfo
	if info == nil {
		return false
	}
	limiters := map[types.Object]bool{}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			if setsMaxBytesBody(info, f, fd.Body) {
				if obj := info.Defs[fd.Name]; obj != nil {
					limiters[obj] = true
				}
			}
		}
	}
	if len(limiters) == 0 {
		return false
	}
	installed := false
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || installed {
				return !installed
			}
			// r.Use(limitBody), r.Use(s.limit(n)), router.Use(mw.Limit)
			if name := code.CallName(call); name == "Use" || name == "Pre" {
				for _, a := range call.Args {
					if refersTo(info, a, limiters) {
						installed = true
					}
				}
				return true
			}
			// limitBody(mux): the middleware wraps the router.
			if refersTo(info, call.Fun, limiters) {
				for _, a := range call.Args {
					if routerValue(info, a) {
						installed = true
					}
				}
			}
			return true
		})
		if installed {
			return true
		}
	}
	return false
}

// setsMaxBytesBody reports whether body assigns http.MaxBytesReader(...)
// to a Body field (r.Body, c.Request.Body).
func setsMaxBytesBody(info *types.Info, file *ast.File, body *ast.BlockStmt) bool {
	found := false
	eachAssign(body, func(l, r ast.Expr) {
		sel, ok := ast.Unparen(l).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Body" {
			return
		}
		if rc, ok := ast.Unparen(r).(*ast.CallExpr); ok && code.Resolve(info, file, rc.Fun).Is(netHTTP, "MaxBytesReader") {
			found = true
		}
	})
	return found
}

// refersTo reports whether e names one of objs, or calls one that returns
// the middleware (s.limit(1<<20)).
func refersTo(info *types.Info, e ast.Expr, objs map[types.Object]bool) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		return objs[info.Uses[x]]
	case *ast.SelectorExpr:
		return objs[info.Uses[x.Sel]]
	case *ast.CallExpr:
		return refersTo(info, x.Fun, objs)
	}
	return false
}

// routerWords name the types of routers and the variables holding them.
var routerWords = []string{"mux", "router", "engine"}

// routerValue reports whether e is a router: its type or name says mux,
// router or engine (*http.ServeMux, chi.Mux, *gin.Engine, mux.Router).
func routerValue(info *types.Info, e ast.Expr) bool {
	names := []string{types.ExprString(e)}
	if t := code.TypeOf(info, e); t != nil {
		if _, n := code.TypeName(t); n != "" {
			names = append(names, n)
		}
	}
	for _, n := range names {
		for _, w := range code.IdentWords(n) {
			for _, rw := range routerWords {
				if strings.HasPrefix(w, rw) {
					return true
				}
			}
		}
	}
	return false
}
