package checklist

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func goroutineSharedWriteCheck() *Check {
	return &Check{
		Question: finding.RunsTwice,
		Severity: finding.SeverityWarning,
		Title:    "goroutines started in a loop append to, or write, a variable they share, with no lock",
		Rationale: "A goroutine per item that appends its result to a slice declared outside it " +
			"(failed = append(failed, token)), writes a map declared outside it, or adds to a counter " +
			"declared outside it runs that code many times at once. Appends overwrite each other and lose " +
			"elements, a lost increment miscounts, and concurrent map writes stop the whole process with a " +
			"fatal error that no recover catches. The race shows only when several items finish together, " +
			"so under the load of a real outage, not in a test. The check reports such a write inside a " +
			"function literal started with go, errgroup's Go or a WaitGroup's Go in a loop, when the " +
			"variable (or the variable whose field it is) belongs to the enclosing function. Left alone: a " +
			"literal that takes a lock (any Lock call) before the write, a write to an element of a slice by " +
			"index (each goroutine its own element), variables the literal declares or receives as " +
			"parameters, and test code.",
		Fix: "Guard the shared variable with a sync.Mutex held around the write, or send each result on a " +
			"channel that one goroutine collects, or give each goroutine its own slot (results[i] = r).",
		Bad: `for _, token := range tokens {
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := push(ctx, token); err != nil {
			failed = append(failed, token)
		}
	}()
}`,
		Good: `var mu sync.Mutex
for _, token := range tokens {
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := push(ctx, token); err != nil {
			mu.Lock()
			failed = append(failed, token)
			mu.Unlock()
		}
	}()
}`,
		Analyzer: goroutineSharedWriteAnalyzer,
	}
}

var goroutineSharedWriteAnalyzer = &analysis.Analyzer{
	Name:             "goroutine_shared_write",
	Doc:              "reports goroutines started in a loop that append to, or write, a variable of the enclosing function with no lock",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              placed(runGoroutineSharedWrite, false),
}

func runGoroutineSharedWrite(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	for c := range insp.Root().Preorder((*ast.FuncLit)(nil)) {
		lit := c.Node().(*ast.FuncLit)
		if !startedPerItem(info, c) || code.IsTestFile(pass.Fset, lit.Pos()) || takesLock(lit.Body) {
			continue
		}
		if w, target, what := sharedWrite(info, lit); w != nil {
			pass.Report(analysis.Diagnostic{Pos: w.Pos(), End: w.End(), Message: fmt.Sprintf(
				"`%s` is written by a goroutine started for every iteration, with no lock: the goroutines write it at once, so %s; hold a sync.Mutex around the write, or send each result on a channel that one goroutine collects",
				target, what)})
		}
	}
	return nil, nil
}

// startedPerItem reports whether the literal at c is started as a goroutine
// (go func(){…}(), g.Go(func…), wg.Go(func…)) inside a loop of the
// function that holds it.
func startedPerItem(info *types.Info, c inspector.Cursor) bool {
	parent := c.Parent()
	call, ok := parent.Node().(*ast.CallExpr)
	if !ok {
		return false
	}
	started := false
	if ast.Unparen(call.Fun) == c.Node() {
		_, started = parent.Parent().Node().(*ast.GoStmt) // go func(){…}()
	} else if fn := code.Callee(info, call); fn != nil && fn.Name() == "Go" && fn.Pkg() != nil {
		switch fn.Pkg().Path() {
		case "golang.org/x/sync/errgroup", "sync":
			started = true
		}
	}
	if !started {
		return false
	}
	for p := range code.Ancestors(parent) {
		switch p.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		}
	}
	return false
}

// takesLock reports whether body takes or releases a lock: a call named
// Lock, TryLock or Unlock (a lock taken before the go statement and
// released inside counts too).
func takesLock(body *ast.BlockStmt) bool {
	return code.AnyCall(body, func(call *ast.CallExpr) bool {
		switch code.CallName(call) {
		case "Lock", "TryLock", "Unlock", "RLock", "RUnlock":
			return true
		}
		return false
	})
}

// sharedWrite returns the first statement of lit (outside nested literals)
// that appends to, increments or writes a map of a variable declared outside
// lit, with what it writes and what goes wrong.
func sharedWrite(info *types.Info, lit *ast.FuncLit) (ast.Stmt, string, string) {
	outside := func(e ast.Expr) bool {
		id := code.RootIdent(e)
		if id == nil {
			return false
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || v.IsField() || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
			return false // a package variable is another question
		}
		return v.Pos() < lit.Pos() || v.Pos() > lit.End()
	}
	var found ast.Stmt
	target, what := "", ""
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			for i, l := range x.Lhs {
				if ix, ok := ast.Unparen(l).(*ast.IndexExpr); ok && outside(ix.X) {
					if t := info.TypeOf(ix.X); t != nil {
						if _, isMap := t.Underlying().(*types.Map); isMap {
							found, target, what = x, types.ExprString(ix.X), "concurrent map writes stop the process with a fatal error"
						}
					}
					continue
				}
				if i >= len(x.Rhs) || !outside(l) {
					continue
				}
				if call, ok := ast.Unparen(x.Rhs[i]).(*ast.CallExpr); ok && appendsTo(info, call, l) {
					found, target, what = x, types.ExprString(l), "appends overwrite each other and elements are lost"
				} else if x.Tok == token.ADD_ASSIGN || x.Tok == token.SUB_ASSIGN {
					if isNumber(info, l) {
						found, target, what = x, types.ExprString(l), "updates are lost"
					}
				}
			}
		case *ast.IncDecStmt:
			if _, indexed := ast.Unparen(x.X).(*ast.IndexExpr); !indexed && outside(x.X) && isNumber(info, x.X) {
				found, target, what = x, types.ExprString(x.X), "increments are lost"
			}
		}
		return found == nil
	})
	return found, target, what
}

// appendsTo reports whether call is append(l, …).
func appendsTo(info *types.Info, call *ast.CallExpr, l ast.Expr) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok || id.Name != "append" || len(call.Args) == 0 {
		return false
	}
	if _, builtin := info.Uses[id].(*types.Builtin); !builtin {
		return false
	}
	return types.ExprString(call.Args[0]) == types.ExprString(l)
}

// isNumber reports whether e has a numeric type.
func isNumber(info *types.Info, e ast.Expr) bool {
	t := info.TypeOf(e)
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsNumeric != 0
}
