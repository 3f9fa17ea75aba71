package checklist

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/internal/sqltext"
	"github.com/prodready/prodready/checklist/program"
)

var dbPoolUnboundedAnalyzer = &analysis.Analyzer{
	Name:             "db_pool_unbounded",
	Doc:              "reports sql.Open handles that never get SetMaxOpenConns",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              runDBPoolUnbounded,
}

// isSQLOpen reports whether call opens a database/sql pool (directly or
// through sqlx).
func isSQLOpen(info *types.Info, file *ast.File, call *ast.CallExpr) bool {
	ref := code.Resolve(info, file, call.Fun)
	if ref.Recv != "" {
		return false
	}
	switch ref.Pkg {
	case "database/sql":
		return ref.Name == "Open" || ref.Name == "OpenDB"
	case "github.com/jmoiron/sqlx":
		switch ref.Name {
		case "Open", "Connect", "MustOpen", "MustConnect", "ConnectContext", "NewDb":
			return true
		}
	}
	return false
}

func runDBPoolUnbounded(pass *analysis.Pass) (any, error) {
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	info := pass.TypesInfo
	where := whereOf(pass)
	limitsSomewhere := false
	for _, c := range callIdx.Everywhere() {
		if code.CallName(c.Node().(*ast.CallExpr)) == "SetMaxOpenConns" {
			limitsSomewhere = true
		}
	}
	for file, c := range callIdx.All() {
		call := c.Node().(*ast.CallExpr)
		if file == nil || !isSQLOpen(info, file, call) {
			continue
		}
		if embeddedDriver(info, call) || where.Of(c) == program.TestSupport {
			continue
		}
		// In a server's main package, the pool opened at start-up is the one
		// every request uses; unless the package limits a pool somewhere,
		// this one is unbounded, however it is handed on.
		if where.ServerProcess() && !limitsSomewhere && !shortLived(info, c, call) {
			report(pass, call, "this connection pool has no SetMaxOpenConns, and the process serves requests with it: under load it opens a connection per concurrent query until the database refuses more (max_connections) and every request fails; call db.SetMaxOpenConns (and SetMaxIdleConns, SetConnMaxLifetime)")
			continue
		}
		var id *ast.Ident
		switch p := c.Parent().Node().(type) {
		case *ast.AssignStmt:
			if len(p.Rhs) == 1 && len(p.Lhs) > 0 {
				id, _ = ast.Unparen(p.Lhs[0]).(*ast.Ident)
				if id == nil {
					continue // stored in a field: configured where the owner is
				}
			}
		case *ast.ValueSpec:
			if len(p.Values) == 1 && len(p.Names) > 0 {
				id = p.Names[0]
			}
		default:
			continue // returned or handed on: the caller configures it
		}
		if id == nil || id.Name == "_" {
			continue
		}
		_, body := code.OuterFuncOf(c)
		if body == nil {
			continue
		}
		v := code.VarOf(info, id)
		if v.Obj != nil && v.Obj.Pkg() != nil && v.Obj.Parent() == v.Obj.Pkg().Scope() {
			continue // package variable: configured anywhere
		}
		if poolConfigured(info, body, v) || !shared(info, body, v) {
			continue
		}
		report(pass, call, "this connection pool has no SetMaxOpenConns, so under load it opens a connection per concurrent query until the database refuses more (max_connections) and every request fails; call db.SetMaxOpenConns (and SetMaxIdleConns, SetConnMaxLifetime)")
	}
	return nil, nil
}

// poolConfigured reports whether the handle v gets SetMaxOpenConns, or leaves
// the function (returned, stored, or given to a function that may configure it).
func poolConfigured(info *types.Info, body *ast.BlockStmt, v code.Var) bool {
	return anyUse(info, body, v, func(id *ast.Ident, stack []ast.Node) bool {
		switch p := stack[len(stack)-2].(type) {
		case *ast.SelectorExpr:
			return p.X == id && p.Sel.Name == "SetMaxOpenConns"
		case *ast.ReturnStmt, *ast.CompositeLit, *ast.KeyValueExpr, *ast.SendStmt:
			return true
		case *ast.AssignStmt:
			return slices.Contains(p.Rhs, ast.Expr(id))
		case *ast.CallExpr:
			if p.Fun != id {
				l := strings.ToLower(code.CallName(p))
				for _, w := range []string{"pool", "config", "tune", "setup", "limit"} {
					if strings.Contains(l, w) {
						return true
					}
				}
			}
		}
		return false
	})
}

// anyUse reports whether match holds for some use of v in body; it gets the
// identifier and the path to it from body, the identifier last.
func anyUse(info *types.Info, body *ast.BlockStmt, v code.Var, match func(id *ast.Ident, stack []ast.Node) bool) bool {
	found := false
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		if id, ok := n.(*ast.Ident); ok && v.Is(info, id) && len(stack) >= 2 && match(id, stack) {
			found = true
		}
		return true
	})
	return found
}

// embeddedDriver reports whether sql.Open names an in-process database
// (SQLite, DuckDB), which has no server-side connection limit to exhaust.
func embeddedDriver(info *types.Info, call *ast.CallExpr) bool {
	if len(call.Args) == 0 {
		return false
	}
	name, ok := sqltext.String(info, nil, call.Args[0])
	if !ok {
		return false
	}
	l := strings.ToLower(name)
	return strings.Contains(l, "sqlite") || strings.Contains(l, "duckdb")
}

// shared reports whether the handle v is used where calls can overlap, as
// far as this function shows: captured by a function literal (a handler, a
// goroutine), or handed on (to a store, a router) in a function that also
// starts a server, which is where a service meets its load. A pool handed
// to a constructor elsewhere is left alone: on real code that was mostly a
// migration driver or tool taking one connection at a time, and the check
// cannot see whether calls will overlap. A pool only this function uses,
// one call after another (open, ping, close), never holds more than one
// connection either.
func shared(info *types.Info, body *ast.BlockStmt, v code.Var) bool {
	serves := startsServer(body)
	return anyUse(info, body, v, func(id *ast.Ident, stack []ast.Node) bool {
		if as, ok := stack[len(stack)-2].(*ast.AssignStmt); ok && slices.Contains(as.Lhs, ast.Expr(id)) {
			return false // db, err = sql.Open(...) inside a retry closure sets it, shares nothing
		}
		for i, anc := range stack[:len(stack)-1] {
			switch anc.(type) {
			case *ast.GoStmt:
				return true
			case *ast.FuncLit:
				if !retryOperation(info, body, stack[:i+1]) {
					return true
				}
			}
		}
		call, ok := stack[len(stack)-2].(*ast.CallExpr)
		return serves && ok && call.Fun != ast.Expr(id) // an argument: handed on to what the server runs
	})
}

// retryOperation reports whether the function literal at the end of stack
// is an operation a retry helper runs, one attempt after another: handed
// straight to a call named for retrying or from a backoff or retry package
// (backoff.Retry(func() error {...}, b)), or held in a local variable that
// only such calls take (operation := func() error {...};
// backoff.RetryNotify(operation, b, notify)).
func retryOperation(info *types.Info, body *ast.BlockStmt, stack []ast.Node) bool {
	lit := stack[len(stack)-1]
	if len(stack) < 2 {
		return false
	}
	var lhs, rhs []ast.Expr
	switch p := stack[len(stack)-2].(type) {
	case *ast.CallExpr:
		return p.Fun != lit && retryCall(info, p)
	case *ast.AssignStmt:
		lhs, rhs = p.Lhs, p.Rhs
	case *ast.ValueSpec:
		for _, n := range p.Names {
			lhs = append(lhs, n)
		}
		rhs = p.Values
	}
	if len(lhs) == len(rhs) {
		for i, r := range rhs {
			if r != lit {
				continue
			}
			id, ok := lhs[i].(*ast.Ident)
			if !ok {
				return false
			}
			op := code.VarOf(info, id)
			handed, other := false, false
			anyUse(info, body, op, func(use *ast.Ident, st []ast.Node) bool {
				switch q := st[len(st)-2].(type) {
				case *ast.ValueSpec:
					if slices.Contains(q.Names, use) {
						return false // its declaration
					}
				case *ast.AssignStmt:
					if slices.Contains(q.Lhs, ast.Expr(use)) {
						return false // set again to another attempt
					}
				case *ast.CallExpr:
					if q.Fun != ast.Expr(use) && retryCall(info, q) {
						handed = true
						return false
					}
				}
				other = true
				return false
			})
			return handed && !other
		}
	}
	return false
}

// retryCall reports whether call runs a function again and again until it
// succeeds: its name says retry, or it comes from a backoff or retry package.
func retryCall(info *types.Info, call *ast.CallExpr) bool {
	if strings.Contains(strings.ToLower(code.CallName(call)), "retry") {
		return true
	}
	fn := code.Callee(info, call)
	return fn != nil && fn.Pkg() != nil && (strings.Contains(fn.Pkg().Path(), "backoff") || strings.Contains(fn.Pkg().Path(), "retry"))
}

// shortLived reports whether the pool opened by call is held in a local
// variable that the function closes with a deferred Close and does not
// share (a start-up connection that runs CREATE DATABASE and is closed):
// no request ever uses it.
func shortLived(info *types.Info, c inspector.Cursor, call *ast.CallExpr) bool {
	as, ok := c.Parent().Node().(*ast.AssignStmt)
	if !ok || len(as.Lhs) == 0 {
		return false
	}
	id, ok := ast.Unparen(as.Lhs[0]).(*ast.Ident)
	if !ok || id.Name == "_" {
		return false
	}
	_, body := code.OuterFuncOf(c)
	if body == nil {
		return false
	}
	v := code.VarOf(info, id)
	closed := anyUse(info, body, v, func(id *ast.Ident, stack []ast.Node) bool {
		if len(stack) < 4 {
			return false
		}
		sel, ok := stack[len(stack)-2].(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Close" {
			return false
		}
		_, deferred := stack[len(stack)-4].(*ast.DeferStmt)
		return deferred
	})
	return closed && !shared(info, body, v) && !poolConfigured(info, body, v)
}

// startsServer reports whether body starts a network server: it calls
// ListenAndServe, ListenAndServeTLS, Serve or ServeTLS, or builds an
// http.Server.
func startsServer(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			switch code.CallName(n) {
			case "ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS":
				found = true
			}
		case *ast.CompositeLit:
			if sel, ok := ast.Unparen(n.Type).(*ast.SelectorExpr); ok && sel.Sel.Name == "Server" {
				found = true
			}
		}
		return !found
	})
	return found
}
