package checklist

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/prodready/prodready/checklist/internal/code"
)

// Debug-only servers: a listener started only when the operator asks for
// debugging or profiling serves that operator, for a while, on a port the
// public does not reach. goroutine-error-dropped and server-no-timeouts
// lower their findings on one to info.

// gatedBy reports whether pos lies in the then-branch of an if in root
// whose condition, or a value its init statement assigns, cond accepts:
// namesDebug (if cfg.Debug, if os.Getenv("PPROF") != "", if addr :=
// os.Getenv("PPROFLISTEN"); addr != "", if opts.EnableProfiling) or
// devCond (if cfg.Dev, if env == "development").
func gatedBy(root ast.Node, pos token.Pos, cond func(ast.Expr) bool) bool {
	if root == nil {
		return false
	}
	found := false
	ast.Inspect(root, func(n ast.Node) bool {
		if found || n == nil || !code.Contains(n, pos) {
			return false
		}
		if ifs, ok := n.(*ast.IfStmt); ok && code.Contains(ifs.Body, pos) && (cond(ifs.Cond) || initNames(ifs.Init, cond)) {
			found = true
		}
		return !found
	})
	return found
}

// initNames reports whether an if statement's init assigns a value whose
// expression satisfies cond: if addr := os.Getenv("PPROFLISTEN"); addr != "".
func initNames(init ast.Stmt, cond func(ast.Expr) bool) bool {
	as, ok := init.(*ast.AssignStmt)
	if !ok {
		return false
	}
	for _, r := range as.Rhs {
		if cond(r) {
			return true
		}
	}
	return false
}

// namesDebug reports whether an expression's text names debugging or
// profiling: debug, pprof or profil(e, ing), in any case.
func namesDebug(e ast.Expr) bool {
	s := strings.ToLower(types.ExprString(e))
	return strings.Contains(s, "debug") || strings.Contains(s, "pprof") || strings.Contains(s, "profil")
}

// pprofListener reports whether a ListenAndServe call serves only
// net/http/pprof: its handler is the default mux (nil or
// http.DefaultServeMux) in a file that imports net/http/pprof and adds no
// route of its own to that mux, or a pprof handler, or a mux built in body whose
// every route is under /debug/ or a pprof handler.
func pprofListener(info *types.Info, file *ast.File, body *ast.BlockStmt, call *ast.CallExpr) bool {
	if len(call.Args) == 0 {
		return false
	}
	h := ast.Unparen(call.Args[len(call.Args)-1])
	if defaultMux(info, file, h) {
		return code.ImportsPath(file, "net/http/pprof") && !routesOnDefaultMux(info, file)
	}
	isPprof := func(h ast.Expr) bool { return handlerOf(info, file, h, "net/http/pprof") }
	return onlyRoutes(info, body, h, func(path string, handler ast.Expr) bool {
		return strings.HasPrefix(strings.ToLower(routePath(path)), "/debug/") || (handler != nil && isPprof(handler))
	}) || isPprof(h)
}

// handlerOf reports whether h (a handler, or a call returning one) is a
// function of the package at pkg.
func handlerOf(info *types.Info, file *ast.File, h ast.Expr, pkg string) bool {
	fn := ast.Unparen(h)
	if call, ok := fn.(*ast.CallExpr); ok {
		fn = call.Fun
	}
	return code.Resolve(info, file, fn).Pkg == pkg
}

// routePath strips the method of a pattern ("GET /healthz").
func routePath(p string) string {
	if _, path, ok := strings.Cut(p, " "); ok {
		return path
	}
	return p
}
