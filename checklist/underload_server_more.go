package checklist

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
)

// More servers the public does not reach, or whose timeouts are set
// elsewhere: a tailnet listener (tsnet), a server started only in
// development, and a server handed to another module's Serve function.

// tailnetWhy says why a server on a tailnet listener is info.
const tailnetWhy = "it serves a tsnet listener, reachable only by authenticated peers of the tailnet"

// tsnetPkg is the import path of Tailscale's embedded node.
const tsnetPkg = "tailscale.com/tsnet"

// tailnetListen reports whether e is a call of (*tsnet.Server).Listen or
// ListenTLS, a listener only authenticated peers of the tailnet reach.
// ListenFunnel faces the internet and is not one.
func tailnetListen(info *types.Info, file *ast.File, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	ref := code.Resolve(info, file, call.Fun)
	return ref.Is(tsnetPkg, "Server.Listen") || ref.Is(tsnetPkg, "Server.ListenTLS")
}

// tailnetListeners returns the expressions body assigns only tailnet
// listeners to (ln, err := ts.Listen("tcp", ":80")).
func tailnetListeners(info *types.Info, file *ast.File, body *ast.BlockStmt) map[string]bool {
	return onlyListeners(body, func(e ast.Expr) bool { return tailnetListen(info, file, e) })
}

// tailnetListener reports whether ln is a tailnet listener: a tsnet Listen
// call itself or a variable body assigns one to.
func tailnetListener(info *types.Info, file *ast.File, body *ast.BlockStmt, ln ast.Expr) bool {
	return tailnetListen(info, file, ln) || tailnetListeners(info, file, body)[types.ExprString(ln)]
}

// servesOnlyOn reports whether every Serve call body makes on server is on
// a listener ok accepts, and body never calls server's ListenAndServe.
func servesOnlyOn(body *ast.BlockStmt, server ast.Expr, ok func(ln ast.Expr) bool) bool {
	if body == nil {
		return false
	}
	srv := types.ExprString(server)
	serves, all := 0, true
	ast.Inspect(body, func(n ast.Node) bool {
		call, isCall := n.(*ast.CallExpr)
		if !isCall {
			return true
		}
		sel, isSel := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !isSel || types.ExprString(sel.X) != srv {
			return true
		}
		switch sel.Sel.Name {
		case "Serve", "ServeTLS":
			serves++
			all = all && len(call.Args) > 0 && ok(call.Args[0])
		case "ListenAndServe", "ListenAndServeTLS":
			serves++
			all = false
		}
		return true
	})
	return serves > 0 && all
}

// devCond reports whether the condition e holds only in development: a
// flag, field or call named for it, or a comparison with "dev",
// "development" or "local"; a negation or != says the opposite.
func devCond(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.BinaryExpr:
		switch x.Op {
		case token.LAND:
			return devCond(x.X) || devCond(x.Y)
		case token.LOR:
			return devCond(x.X) && devCond(x.Y)
		case token.EQL:
			return devValue(x.X) || devValue(x.Y)
		}
		return false
	case *ast.UnaryExpr:
		return false // !cfg.Dev: production
	case *ast.Ident, *ast.SelectorExpr, *ast.CallExpr:
		return devName(x)
	}
	return false
}

// devValue reports whether one side of an == names development: a string
// literal "dev", "development", "develop" or "local", or a name that does.
func devValue(e ast.Expr) bool {
	if bl, ok := ast.Unparen(e).(*ast.BasicLit); ok && bl.Kind == token.STRING {
		return devWord(strings.ToLower(strings.Trim(bl.Value, "\"`")))
	}
	if id, ok := ast.Unparen(e).(*ast.Ident); ok && (id.Name == "true" || id.Name == "false" || id.Name == "nil") {
		return false
	}
	return devName(e)
}

// devName reports whether the last name of e (cfg.IsDev, isLocal(),
// devMode, env.Development) has a word for development: dev,
// development, develop or local.
func devName(e ast.Expr) bool {
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok {
		e = ast.Unparen(call.Fun)
	}
	var name string
	switch x := e.(type) {
	case *ast.Ident:
		name = x.Name
	case *ast.SelectorExpr:
		name = x.Sel.Name
	default:
		return false
	}
	words := code.IdentWords(name)
	local := false
	for _, w := range words {
		if w == "dev" || w == "development" || w == "develop" {
			return true
		}
		local = local || w == "local"
	}
	// "local" names a run only beside words that say so (isLocal,
	// localMode, runLocally), not in useLocalStorage.
	for _, w := range words {
		switch w {
		case "local", "is", "mode", "env", "run", "running", "only":
		default:
			return false
		}
	}
	return local
}

// devWord reports whether a lower-case word names development.
func devWord(w string) bool {
	switch w {
	case "dev", "development", "develop", "local":
		return true
	}
	return false
}

// handedToServe returns the name of a function of another module (not
// net/http) that the server built at c is handed to and whose name says it
// serves (zhttp.Serve(0, ch, srv), graceful.Serve(srv)), or "" when there is
// none: such a function may set the timeouts itself.
func handedToServe(pass *analysis.Pass, file *ast.File, c inspector.Cursor) string {
	info := pass.TypesInfo
	want := ""
	if target := assignedTo(c); target != nil {
		want = types.ExprString(target)
	}
	lit := c.Node()
	_, body := code.OuterFuncOf(c)
	if body == nil {
		return ""
	}
	name := ""
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || name != "" {
			return name == ""
		}
		handed := false
		for _, a := range call.Args {
			a = ast.Unparen(a)
			if u, ok := a.(*ast.UnaryExpr); ok && u.Op == token.AND && ast.Unparen(u.X) == lit {
				handed = true
			}
			if want != "" && types.ExprString(a) == want {
				handed = true
			}
		}
		if !handed {
			return true
		}
		ref := code.Resolve(info, file, call.Fun)
		if ref.Pkg == "" || ref.Pkg == netHTTP || ref.Pkg == pass.Pkg.Path() || ownModule(pass, ref.Pkg) {
			return true
		}
		if serveName(ref.Name) {
			name = shortPkg(ref.Pkg) + "." + ref.Name
		}
		return true
	})
	return name
}

// serveName reports whether a function's name says it serves a server:
// Serve, ServeTLS, ListenAndServe, GracefulServe, Listen; not
// ConfigureServer or NewServer, which only prepare one.
func serveName(name string) bool {
	n := strings.ReplaceAll(name, "Server", "")
	return strings.Contains(n, "Serve") || strings.HasPrefix(n, "Listen")
}

// shortPkg is the last element of an import path.
func shortPkg(path string) string {
	return path[strings.LastIndex(path, "/")+1:]
}

// ownModule reports whether the package at path is of the module of pass,
// when the module is known.
func ownModule(pass *analysis.Pass, path string) bool {
	return pass.Module != nil && pass.Module.Path != "" && sameModule(pass, path)
}
