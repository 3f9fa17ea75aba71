package checklist

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"unicode"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/fh"
	"github.com/prodready/prodready/review/finding"
)

func goroutineErrorDroppedCheck() *Check {
	return &Check{
		ID:       "goroutine-error-dropped",
		Question: finding.FailsHalfway,
		Severity: finding.SeverityWarning,
		Title:    "goroutine drops an error",
		Rationale: "Nothing waits for a goroutine started with go, so an error it drops is gone: the metrics server " +
			"that failed to bind, the background sync that stopped on its first failure, the cache refresh that " +
			"never ran. The service looks healthy while part of it is dead. The check reports `go f()` where f " +
			"returns an error, and, inside `go func() { … }()`, calls whose error is discarded and `if err != " +
			"nil { return }` branches that never use err. Errors sent on a channel, returned through errgroup, " +
			"logged or stored stay silent, and so do Close, Shutdown and Unlock-style cleanup calls, setters " +
			"(opts.SetRange) and hash writes, and a dropped " +
			"errgroup Wait whose functions each log their own error first, an early return from a goroutine that " +
			"hands its result back through a captured variable (leaving it unset is the report), and a Kubernetes wait poller whose " +
			"conditions never fail (it can only report that it was stopped).",
		Fix: "Run it with errgroup.Group.Go, send the error on a channel someone reads, or log it with context.",
		Bad: `go srv.ListenAndServe()`,
		Good: `go func() {
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		slog.Error("metrics server stopped", "addr", srv.Addr, "err", err)
	}
}()`,
		Analyzer: goroutineErrorDroppedAnalyzer,
	}
}

var goroutineErrorDroppedAnalyzer = &analysis.Analyzer{
	Name:             "goroutineerrordropped",
	Doc:              "reports go statements that drop an error",
	Requires:         []*analysis.Analyzer{inspect.Analyzer},
	RunDespiteErrors: true,
	Run:              runGoroutineErrorDropped,
}

// benignPrefixes start the names of calls whose error a goroutine may drop:
// cleanup, cancellation and deadlines, whose failure has no one to tell.
var benignPrefixes = []string{"close", "cancel", "interrupt", "unlock", "runlock", "done", "release", "stop", "shutdown", "disable",
	"remove", "setdeadline", "setreaddeadline", "setwritedeadline", "abort", "kill"}

func runGoroutineErrorDropped(pass *analysis.Pass) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := fh.Info(pass)
	ins.Preorder([]ast.Node{(*ast.GoStmt)(nil)}, func(n ast.Node) {
		g := n.(*ast.GoStmt)
		if fh.IsTestFile(pass.Fset, g.Pos()) {
			return
		}
		if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
			if !teardown(lit.Body) {
				checkGoroutineBody(pass, info, lit)
			}
			return
		}
		if droppable(info, g.Call) {
			pass.ReportRangef(g, "this go statement drops the error %s returns: nothing waits for the goroutine, so its failure is silent; use errgroup, send the error on a channel, or log it", types.ExprString(g.Call.Fun))
		}
	})
	return nil, nil
}

// droppable reports whether call returns an error that matters when lost.
func droppable(info *types.Info, call *ast.CallExpr) bool {
	sig := fh.CallSig(info, call)
	if sig == nil || !fh.ReturnsError(sig) {
		return false
	}
	var name string
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		name = f.Name
	case *ast.SelectorExpr:
		name = f.Sel.Name
	}
	for _, p := range benignPrefixes {
		if strings.HasPrefix(strings.ToLower(name), p) {
			return false
		}
	}
	if len(name) > 3 && (strings.HasPrefix(name, "Set") || strings.HasPrefix(name, "set")) && unicode.IsUpper(rune(name[3])) {
		return false // a setter (opts.SetRange): its error is argument validation, not a failure of work
	}
	if fh.IsPkgCall(info, nil, call, "io", "Copy", "CopyN") && len(call.Args) > 0 {
		if sel, ok := ast.Unparen(call.Args[0]).(*ast.SelectorExpr); ok && sel.Sel.Name == "Discard" {
			return false // draining
		}
	}
	if fn := fh.Callee(info, call); fn != nil {
		switch fh.FuncPath(fn) {
		case "fmt", "log", "log/slog":
			return false
		case "k8s.io/apimachinery/pkg/util/wait":
			// Its pollers fail only when their condition does or when they
			// are stopped; with conditions that never fail, the error can
			// only say "stopped".
			if conditionsNeverFail(info, call) {
				return false
			}
		}
		if p, n := fh.RecvNamed(fn); (p == "bytes" && n == "Buffer") || (p == "strings" && n == "Builder") || p == "hash" {
			return false
		}
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && isHasher(fh.TypeOf(info, sel.X)) {
			return false // a hash's Write never fails
		}
	}
	return true
}

// checkGoroutineBody reports dropped errors in the body of go func(){…}().
func checkGoroutineBody(pass *analysis.Pass, info *types.Info, lit *ast.FuncLit) {
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt:
			return false // its own goroutine or a callback: judged on its own
		case *ast.DeferStmt:
			return false
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(n.X).(*ast.CallExpr); ok && droppable(info, call) {
				pass.ReportRangef(call, "this goroutine drops the error of %s: nothing waits for it, so the failure is silent; send it on a channel, use errgroup, or log it", types.ExprString(call.Fun))
			}
		case *ast.IfStmt:
			v, ok := errNotNilCond(info, n.Cond)
			if ok && v.Obj != nil && (v.Obj.Pos() < lit.Pos() || v.Obj.Pos() > lit.End()) {
				ok = false // a captured variable: whoever started the goroutine reads it
			}
			if ok && returnsOnly(n.Body) && !fh.Mentions(info, n.Body, v) && !groupFuncsReport(info, lit.Body, n.Init) &&
				!setsCaptured(info, lit) {
				pass.ReportRangef(n.Cond, "this goroutine returns on %s without reporting it: nothing waits for it, so the failure is silent; send it on a channel, use errgroup, or log it", v.Name)
			}
		}
		return true
	})
}

// errNotNilCond reports whether cond is `err != nil` (possibly joined with
// && to other tests) for an error variable, and returns it.
func errNotNilCond(info *types.Info, cond ast.Expr) (fh.Var, bool) {
	be, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok {
		return fh.Var{}, false
	}
	if be.Op == token.LAND {
		return errNotNilCond(info, be.X)
	}
	if be.Op != token.NEQ || !isNilIdent(be.Y) {
		return fh.Var{}, false
	}
	v, ok := fh.VarOf(info, be.X)
	if !ok {
		return fh.Var{}, false
	}
	if t := fh.TypeOf(info, be.X); t != nil && !fh.IsError(t) {
		return fh.Var{}, false
	}
	if fh.TypeOf(info, be.X) == nil && v.Name != "err" {
		return fh.Var{}, false
	}
	return v, true
}

// returnsOnly reports whether block consists of a bare return (or return of
// constants): nothing carries the error.
func returnsOnly(block *ast.BlockStmt) bool {
	if len(block.List) != 1 {
		return false
	}
	ret, ok := block.List[0].(*ast.ReturnStmt)
	return ok && len(ret.Results) == 0
}

// teardown reports whether a goroutine body is a best-effort cleanup: it
// defers a Close, so what it does on the way is tearing something down.
func teardown(body *ast.BlockStmt) bool {
	for _, st := range body.List {
		if d, ok := st.(*ast.DeferStmt); ok {
			if _, name, ok := fh.Selector(d.Call); ok && name == "Close" {
				return true
			}
		}
	}
	return false
}

// groupFuncsReport reports whether init is `err := g.Wait()` on an
// errgroup.Group whose functions, started with g.Go in body, each report
// their own error (pass it to a call such as a logger) before returning
// it: the error Wait hands back has been told already.
func groupFuncsReport(info *types.Info, body *ast.BlockStmt, init ast.Stmt) bool {
	as, ok := init.(*ast.AssignStmt)
	if !ok || len(as.Rhs) != 1 {
		return false
	}
	wait, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := ast.Unparen(wait.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Wait" {
		return false
	}
	// Without type information, a Wait whose receiver also has Go calls
	// below stands for an errgroup.
	if fn := fh.Callee(info, wait); fn != nil && !fh.IsMethod(fn, errgroupPkg, "Group", "Wait") {
		return false
	}
	group := types.ExprString(sel.X)
	started, reporting := 0, 0
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return true
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Go" || types.ExprString(sel.X) != group {
			return true
		}
		started++
		if lit, ok := ast.Unparen(call.Args[0]).(*ast.FuncLit); ok && reportsError(info, lit.Body) {
			reporting++
		}
		return true
	})
	return started > 0 && started == reporting
}

// reportsError reports whether body has a call statement that is handed an
// error value: a logger, a metric, an error collector.
func reportsError(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		st, ok := n.(*ast.ExprStmt)
		if !ok {
			return true
		}
		call, ok := ast.Unparen(st.X).(*ast.CallExpr)
		if !ok {
			return true
		}
		for _, a := range call.Args {
			t := fh.TypeOf(info, a)
			if t != nil && fh.IsError(t) {
				found = true
			}
			if id, ok := ast.Unparen(a).(*ast.Ident); ok && t == nil && id.Name == "err" {
				found = true // no types: go by the conventional name
			}
		}
		return true
	})
	return found
}

// conditionsNeverFail reports whether call is handed at least one function
// literal and every one returns a nil error on every path.
func conditionsNeverFail(info *types.Info, call *ast.CallExpr) bool {
	lits := 0
	for _, a := range call.Args {
		lit, ok := ast.Unparen(a).(*ast.FuncLit)
		if !ok {
			continue
		}
		lits++
		res := lit.Type.Results
		if res == nil || res.NumFields() == 0 {
			continue
		}
		last := res.List[len(res.List)-1].Type
		if t := fh.TypeOf(info, last); t == nil || !fh.IsError(t) {
			continue
		}
		fails := false
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if _, ok := n.(*ast.FuncLit); ok {
				return false
			}
			if ret, ok := n.(*ast.ReturnStmt); ok && len(ret.Results) > 0 && !isNilIdent(ret.Results[len(ret.Results)-1]) {
				fails = true
			}
			return !fails
		})
		if fails {
			return false
		}
	}
	return lits > 0
}

// setsCaptured reports whether the goroutine hands a result back through a
// variable declared outside it (verified = true, result = v): whoever
// started it reads that variable, and an early return leaves it unset,
// which is the report.
func setsCaptured(info *types.Info, lit *ast.FuncLit) bool {
	declared := declaredIn(lit)
	found := false
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || found || as.Tok != token.ASSIGN {
			return !found
		}
		for _, l := range as.Lhs {
			id, ok := ast.Unparen(l).(*ast.Ident)
			if !ok {
				continue
			}
			var obj types.Object
			if info != nil {
				obj = info.Uses[id]
			}
			if obj == nil {
				// No types: a name the literal does not declare, other
				// than an error, belongs to the enclosing function.
				if id.Name != "_" && id.Name != "err" && !declared[id.Name] {
					found = true
				}
				continue
			}
			if fh.IsError(obj.Type()) {
				continue
			}
			if obj.Pos() < lit.Pos() || obj.Pos() > lit.End() {
				if _, isVar := obj.(*types.Var); isVar && obj.Parent() != nil && obj.Parent() != obj.Pkg().Scope() {
					found = true // a local of the enclosing function, not a package variable
				}
			}
		}
		return !found
	})
	return found
}

// declaredIn returns the names a function literal declares: its parameters
// and results, := and var declarations, and range variables.
func declaredIn(lit *ast.FuncLit) map[string]bool {
	names := map[string]bool{}
	for _, fl := range []*ast.FieldList{lit.Type.Params, lit.Type.Results} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			for _, n := range f.Names {
				names[n.Name] = true
			}
		}
	}
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				for _, l := range x.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range x.Names {
				names[id.Name] = true
			}
		case *ast.RangeStmt:
			if x.Tok == token.DEFINE {
				for _, e := range []ast.Expr{x.Key, x.Value} {
					if id, ok := e.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		}
		return true
	})
	return names
}

// isHasher reports whether t has hash.Hash's method set (Sum, Reset, Size,
// BlockSize besides Write): a checksum whose writes cannot fail.
func isHasher(t types.Type) bool {
	if t == nil {
		return false
	}
	for _, m := range []string{"Sum", "Reset", "Size", "BlockSize"} {
		if obj, _, _ := types.LookupFieldOrMethod(t, true, nil, m); obj == nil {
			return false
		}
	}
	return true
}
