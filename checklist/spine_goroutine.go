package checklist

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/astq"
)

const errgroupPkg = "golang.org/x/sync/errgroup"

var goroutineUnboundedAnalyzer = &analysis.Analyzer{
	Name:             "goroutineunbounded",
	Doc:              "reports goroutines started once per loop iteration with no bound on how many run at once",
	Requires:         []*analysis.Analyzer{inspect.Analyzer},
	RunDespiteErrors: true,
	Run:              runGoroutineUnbounded,
}

func runGoroutineUnbounded(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	for c := range insp.Root().Preorder((*ast.GoStmt)(nil), (*ast.CallExpr)(nil)) {
		file := astq.FileOf(c)
		if file == nil {
			continue
		}
		var msg string
		switch n := c.Node().(type) {
		case *ast.GoStmt:
			msg = "a goroutine is started for every iteration with nothing bounding how many run at once; a large input or a traffic spike starts thousands. Use errgroup with SetLimit, a semaphore channel or a fixed worker pool"
		case *ast.CallExpr:
			grp, ok := groupGo(info, file, n)
			if !ok {
				continue
			}
			switch grp {
			case "errgroup":
				if limited(c, info, n) {
					continue
				}
				msg = "errgroup.Group.Go in a loop with no SetLimit starts one goroutine per item; call g.SetLimit(n) before the loop"
			default:
				msg = "sync.WaitGroup.Go in a loop starts one goroutine per item with no bound; a WaitGroup waits but does not limit. Use errgroup with SetLimit or a semaphore"
			}
		}
		loop, ok := perItemLoop(c, info)
		if !ok || bounded(c, loop, info) {
			continue
		}
		pass.Report(analysis.Diagnostic{Pos: c.Node().Pos(), End: c.Node().End(), Message: msg})
	}
	return nil, nil
}

// groupGo reports whether call is errgroup.Group.Go or sync.WaitGroup.Go.
func groupGo(info *types.Info, file *ast.File, call *ast.CallExpr) (string, bool) {
	sel, ok := astq.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Go" {
		return "", false
	}
	ref := astq.Resolve(info, file, sel)
	switch {
	case ref.Is(errgroupPkg, "Group.Go"):
		return "errgroup", true
	case ref.Is("sync", "WaitGroup.Go"):
		return "waitgroup", true
	}
	return "", false
}

// limited reports whether the errgroup whose Go is called gets SetLimit in
// the enclosing function, or comes from elsewhere (a parameter or field) so
// that its limit cannot be seen here.
func limited(c inspector.Cursor, info *types.Info, call *ast.CallExpr) bool {
	sel := astq.Unparen(call.Fun).(*ast.SelectorExpr)
	root := astq.RootIdent(sel.X)
	if root == nil {
		return true
	}
	v := astq.VarOf(info, root)
	_, body := astq.OuterFuncOf(c)
	if body == nil {
		return true
	}
	if v.Obj != nil && !astq.Contains(body, v.Obj.Pos()) {
		return true // a parameter, field or package variable: configured elsewhere
	}
	if _, isSel := astq.Unparen(sel.X).(*ast.SelectorExpr); isSel {
		return true // s.group.Go: configured elsewhere
	}
	want := types.ExprString(sel.X)
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		ce, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		if s, ok := astq.Unparen(ce.Fun).(*ast.SelectorExpr); ok && s.Sel.Name == "SetLimit" && types.ExprString(s.X) == want {
			found = true
		}
		return true
	})
	return found
}

// perItemLoop returns the innermost loop around c in the same function when
// its iteration count is set by the input: a range over a slice, map,
// channel, string or iterator, a for loop bounded by len(...), or an endless
// or conditional loop. A loop over an integer count, a constant or a literal
// list is a fixed pool and is not per item.
func perItemLoop(c inspector.Cursor, info *types.Info) (ast.Node, bool) {
	for p := c.Parent(); p.Valid(); p = p.Parent() {
		switch l := p.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return nil, false
		case *ast.RangeStmt:
			if !astq.Contains(l.Body, c.Node().Pos()) {
				continue
			}
			x := astq.Unparen(l.X)
			if _, ok := x.(*ast.CompositeLit); ok {
				return nil, false // a literal list: its length is fixed in the code
			}
			if t := astq.TypeOf(info, x); t != nil {
				switch u := t.Underlying().(type) {
				case *types.Basic:
					if u.Info()&types.IsInteger != 0 {
						return nil, false // for range n: a pool of n
					}
				case *types.Array:
					return nil, false
				case *types.Pointer:
					if _, ok := u.Elem().Underlying().(*types.Array); ok {
						return nil, false
					}
				}
				return l, true
			}
			// No types: a call to len is per item; a bare name or literal may be an int.
			if call, ok := x.(*ast.CallExpr); ok && astq.CallName(call) == "len" {
				return l, true
			}
			if _, ok := x.(*ast.BasicLit); ok {
				return nil, false
			}
			if id, ok := x.(*ast.Ident); ok && info != nil && info.Uses[id] == nil {
				return nil, false
			}
			return l, true
		case *ast.ForStmt:
			if !astq.Contains(l.Body, c.Node().Pos()) {
				continue
			}
			if l.Cond == nil {
				return l, true
			}
			be, ok := astq.Unparen(l.Cond).(*ast.BinaryExpr)
			if !ok {
				return l, true // for scanner.Scan(), for !done
			}
			switch be.Op {
			case token.LSS, token.LEQ, token.GTR, token.GEQ:
				if usesLen(be.X) || usesLen(be.Y) {
					return l, true
				}
				return nil, false // for i := 0; i < workers; i++: a fixed pool
			}
			return l, true
		}
	}
	return nil, false
}

func usesLen(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && astq.CallName(call) == "len" {
			found = true
		}
		return !found
	})
	return found
}

// bounded looks, between the loop's start and the goroutine, for something
// that limits how many run: a channel send (a semaphore slot or a hand-off to
// a pool), a bare receive (taking a token), a semaphore Acquire, or a Wait that
// drains a batch; and it accepts a goroutine started once before leaving the
// loop.
func bounded(c inspector.Cursor, loop ast.Node, info *types.Info) bool {
	target := c.Node()
	var body *ast.BlockStmt
	switch l := loop.(type) {
	case *ast.RangeStmt:
		body = l.Body
	case *ast.ForStmt:
		body = l.Body
	}
	if body == nil {
		return false
	}
	// Started once and then leaving the loop.
	if next, ok := nextStmt(c); ok {
		switch s := next.(type) {
		case *ast.ReturnStmt:
			return true
		case *ast.BranchStmt:
			if s.Tok == token.BREAK || s.Tok == token.GOTO {
				return true
			}
		}
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == nil || n == target {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false // closures run elsewhere; what they do bounds nothing here
		}
		switch x := n.(type) {
		case *ast.SendStmt:
			found = true // a semaphore slot, or a hand-off that blocks when full
		case *ast.ExprStmt:
			if u, ok := astq.Unparen(x.X).(*ast.UnaryExpr); ok && u.Op == token.ARROW && isTokenChan(u.X) {
				found = true // taking a token from a pool
			}
		case *ast.CallExpr:
			switch astq.CallName(x) {
			case "Acquire", "TryAcquire":
				found = true // golang.org/x/sync/semaphore
			case "Wait", "Take", "Allow", "Reserve":
				// wg.Wait draining each batch, or a rate limiter pacing the loop.
				found = true
			}
		}
		return !found
	})
	return found
}

// isTokenChan reports whether a receive operand names a channel variable (a
// token pool) rather than a call such as ctx.Done() or time.After(d).
func isTokenChan(e ast.Expr) bool {
	switch astq.Unparen(e).(type) {
	case *ast.Ident, *ast.SelectorExpr:
		return true
	}
	return false
}

// nextStmt returns the statement after the one at c in its block.
func nextStmt(c inspector.Cursor) (ast.Stmt, bool) {
	cur := c
	for _, ok := cur.Node().(ast.Stmt); !ok; _, ok = cur.Node().(ast.Stmt) {
		cur = cur.Parent()
		if !cur.Valid() {
			return nil, false
		}
	}
	next, ok := cur.NextSibling()
	if !ok {
		return nil, false
	}
	s, ok := next.Node().(ast.Stmt)
	return s, ok
}
