package checklist

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/iocall"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func contextBackgroundCheck() *Check {
	return &Check{
		Question: finding.FailsHalfway,
		Severity: finding.SeverityInfo,
		Title:    "context.Background() or TODO() used where a ctx is at hand",
		Rationale: "A function that receives a ctx (or an *http.Request) and passes context.Background() on cuts " +
			"the chain: when the client disconnects, the deadline passes or the service shuts down, the query or " +
			"call below keeps running, holding connections and locks, and its result is thrown away. Tracing and " +
			"request-scoped values are lost as well. The check reports a fresh context only where it visibly " +
			"reaches I/O: passed (directly, through context.With… wrappers or the variable holding it) to a " +
			"database, HTTP, gRPC or network call, to an outgoing request, or to a function of the package that " +
			"makes such a call. On real code, fresh contexts that went anywhere else (a service's start, a " +
			"validator, a value carrier, a callback) were nearly all deliberate, 13 of 14 judged false. It also " +
			"leaves alone the deliberate detachments: work " +
			"started in a go or defer statement, cleanup calls (Shutdown, Close, Rollback, Release, Unlock…) and " +
			"functions named for ending something (exitProcess, stopWorkers) that must run after ctx is done, code " +
			"that has already seen ctx.Done() or ctx.Err(), a nil-ctx default, and a detachment explained by a " +
			"comment in the function, on the statement or up to three lines above it, that speaks of the context " +
			"(context, background, detach, cancel, independent, outlive); a cancellable context " +
			"(context.WithCancel(context.Background())) whose cancel function is called from a goroutine or " +
			"callback, stored, handed on or returned, which is the lifetime of background work stopped by hand; " +
			"and a function that copies values from ctx into another context (trace.ContextWithSpan(" +
			"context.Background(), trace.SpanFromContext(ctx))), which keeps the trace and drops the " +
			"cancellation on purpose. A parameter of a framework type that embeds context.Context (a job's or " +
			"handler's context struct) counts as the ctx at hand. Where it speaks: every function with a ctx " +
			"at hand, at warning; test support (tests, mocks, fakes, examples, end-to-end harnesses) is silent, and one-shot code (start-up, migrations, CLI commands, build-time generators and dev tools under hack/, scripts/ or tools/) is at most info unless it loops for the life of the process.",
		Fix: "Pass the ctx you have; for work that must outlive it, use context.WithoutCancel(ctx).",
		Bad: `func (s *Store) Save(ctx context.Context, o Order) error {
	_, err := s.db.ExecContext(context.Background(), insertOrder, o.ID, o.Total)
	return err
}`,
		Good: `func (s *Store) Save(ctx context.Context, o Order) error {
	_, err := s.db.ExecContext(ctx, insertOrder, o.ID, o.Total)
	return err
}`,
		Analyzer: contextBackgroundAnalyzer,
	}
}

var contextBackgroundAnalyzer = &analysis.Analyzer{
	Name:             "context_background_in_scope",
	Doc:              "reports context.Background() and TODO() passed on in a function that has a ctx at hand",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.Analyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              placed(runContextBackground, false),
}

// returnedLater reports whether lit, assigned by as to a local variable,
// is returned by the function around it (outer, the innermost function
// of stack): a release func handed to the caller, which runs it later,
// when the ctx at hand may be done.
func returnedLater(info *types.Info, stack []ast.Node, as *ast.AssignStmt, lit *ast.FuncLit) bool {
	var v *ast.Ident
	for i, r := range as.Rhs {
		if ast.Unparen(r) == ast.Expr(lit) && i < len(as.Lhs) && len(as.Lhs) == len(as.Rhs) {
			v, _ = as.Lhs[i].(*ast.Ident)
		}
	}
	if v == nil || v.Name == "_" {
		return false
	}
	// The same variable: by object where types are known, else by name
	// (a package that did not type-check).
	same := func(id *ast.Ident) bool {
		if a, b := info.ObjectOf(id), info.ObjectOf(v); a != nil && b != nil {
			return a == b
		}
		return id.Name == v.Name
	}
	var body *ast.BlockStmt
	for i := len(stack) - 1; i >= 0 && body == nil; i-- {
		switch f := stack[i].(type) {
		case *ast.FuncDecl:
			body = f.Body
		case *ast.FuncLit:
			body = f.Body
		}
	}
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok || found {
			return false // a return inside another literal returns from that one
		}
		if ret, ok := n.(*ast.ReturnStmt); ok {
			for _, r := range ret.Results {
				if id, ok := ast.Unparen(r).(*ast.Ident); ok && same(id) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// cleanupNames are methods that must run after the caller's context is
// done, so a fresh context is right for them.
var cleanupNames = []string{"Shutdown", "Stop", "GracefulStop", "Close", "Rollback", "Release", "Unlock",
	"Abort", "Nack", "Flush", "Finish", "End", "Cleanup", "ForceFlush", "Drain", "Unsubscribe", "Disconnect"}

// shutdownName reports whether a function's name says it ends the process
// or a component (exitProcess, shutdownAll, stopWorkers): work that has to run
// to the end even when the request that asked for it is gone.
func shutdownName(name string) bool {
	l := strings.ToLower(name)
	for _, p := range []string{"exit", "shutdown", "stop", "terminate"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

func runContextBackground(pass *analysis.Pass) (any, error) {
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	info := code.Info(pass)
	var imps code.Imports
	var impsFile *ast.File
	outbound := sync.OnceValue(func() map[*types.Func]string { return iocall.OutboundFuncs(pass) })
	handsOn := sync.OnceValue(func() map[string]bool { return ctxHandedOn(info, callIdx) })
	for file, c := range callIdx.All() {
		call := c.Node().(*ast.CallExpr)
		if file != impsFile {
			impsFile, imps = file, code.FileImports(file)
		}
		if !code.IsPkgCall(info, imps, call, "context", "Background", "TODO") {
			continue
		}
		stack := code.Stack(c)
		body := code.Body(code.EnclosingFunc(stack))
		if body == nil || testOnlyCode(pass, call.Pos()) {
			continue
		}
		ctx, ok := code.CtxParam(info, imps, stack)
		if !ok || detachedOnPurpose(info, stack, call, ctx) || explainedDetach(pass.Fset, impsFile, stack, call) ||
			lifecycleContext(info, stack, call) || bridgesValues(info, code.Body(code.OutermostFunc(stack)), ctx) ||
			poolContext(info, imps, body, stack) {
			continue
		}
		if !reachesIO(info, impsFile, outbound, stack, call) {
			continue
		}
		name := "Background"
		if fn := code.Callee(info, call); fn != nil {
			name = fn.Name()
		} else if _, sel, ok := code.Selector(call); ok {
			name = sel
		}
		msg := "context." + name + "() drops " + ctx.Expr + ": the caller's cancellation and deadline no longer reach " +
			"this call, so it keeps running after the client is gone; pass " + ctx.Expr +
			" (or context.WithoutCancel(" + ctx.Expr + ") for work that must outlive it)"
		cat := ""
		if key, callee := ctxReceiver(info, stack, call); key != "" && !handsOn()[key] {
			// client.Get(context.Background(), k) where no call of the
			// package to that client hands on a caller's context: the
			// package's way with that peer, not a slip (read L: seventeen
			// such calls in one application, all judged deliberate or
			// harmless; the true ones were slips beside siblings that
			// pass ctx).
			cat = AtMostInfo
			msg += " (info: no call of the package to " + callee + " hands on a caller's context, so the fresh one looks chosen; posted where sibling calls pass one)"
		} else if cleanupOnFailure(stack) {
			// if err != nil { undo(context.Background()); return err }: the
			// failure may be ctx's own cancellation, and the clean-up must
			// still reach the peer. Usually deliberate; worth knowing.
			cat = AtMostInfo
			msg += " (info: clean-up on a failure path, where " + ctx.Expr + " may be what failed)"
		}
		pass.Report(analysis.Diagnostic{
			Pos: call.Pos(), End: call.End(), Category: cat,
			Message: msg,
			SuggestedFixes: []analysis.SuggestedFix{{
				Message:   "pass " + ctx.Expr,
				TextEdits: []analysis.TextEdit{{Pos: call.Pos(), End: call.End(), NewText: []byte(ctx.Expr)}},
			}},
		})
	}
	return nil, nil
}

// ctxReceiver returns, when the Background or TODO call at the top of
// stack is the context argument of a call, the key of what that call
// reaches (the method's receiver type, or the function) and its name for
// messages; "" otherwise.
func ctxReceiver(info *types.Info, stack []ast.Node, call *ast.CallExpr) (string, string) {
	if len(stack) < 2 {
		return "", ""
	}
	outer, ok := stack[len(stack)-2].(*ast.CallExpr)
	if !ok || !slices.Contains(outer.Args, ast.Expr(call)) {
		return "", ""
	}
	fn := code.Callee(info, outer)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() == "context" {
		return "", "" // context.WithCancel(context.Background()): judged by what the derived context reaches
	}
	return calleeKey(fn)
}

// calleeKey keys a function by the named type it is a method of, so that a
// client's methods are siblings, or else by itself.
func calleeKey(fn *types.Func) (string, string) {
	if path, name := code.RecvNamed(fn); name != "" {
		return path + "." + name, name
	}
	return fn.FullName(), fn.Name()
}

// ctxHandedOn returns the keys (see calleeKey) of what the package calls
// with a context that is not a fresh Background or TODO: a ctx parameter,
// a request's context, a derived one.
func ctxHandedOn(info *types.Info, calls *code.Calls) map[string]bool {
	out := map[string]bool{}
	for _, c := range calls.All() {
		call := c.Node().(*ast.CallExpr)
		if len(call.Args) == 0 {
			continue
		}
		var fn *types.Func
		for _, a := range call.Args {
			t := info.TypeOf(a)
			if t == nil || !code.IsNamed(t, "context", "Context") {
				continue
			}
			if inner, ok := ast.Unparen(a).(*ast.CallExpr); ok {
				if f := code.Callee(info, inner); f != nil && f.Pkg() != nil && f.Pkg().Path() == "context" && (f.Name() == "Background" || f.Name() == "TODO") {
					continue
				}
			}
			if fn == nil {
				fn = code.Callee(info, call)
			}
			if fn != nil {
				k, _ := calleeKey(fn)
				out[k] = true
			}
			break
		}
	}
	return out
}

// cleanupOnFailure reports whether the innermost block holding the call
// (stack's top) is the body of an `if err != nil` (or `err == nil` else)
// branch that ends by returning: clean-up after a failure.
func cleanupOnFailure(stack []ast.Node) bool {
	for i := len(stack) - 1; i > 0; i-- {
		switch n := stack[i].(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		case *ast.BlockStmt:
			ifs, ok := stack[i-1].(*ast.IfStmt)
			if !ok || ifs.Body != n || len(n.List) == 0 {
				continue
			}
			if _, ret := n.List[len(n.List)-1].(*ast.ReturnStmt); !ret {
				continue
			}
			if be, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr); ok && be.Op == token.NEQ {
				if id, ok := ast.Unparen(be.X).(*ast.Ident); ok && (id.Name == "err" || strings.HasSuffix(id.Name, "Err")) {
					return true
				}
			}
		}
	}
	return false
}

// explainedDetach reports whether a comment on the statement holding call,
// or ending up to three lines above it, speaks of the context (context,
// background, detach, cancel, independent, outlive): the author chose to
// detach and said why, as in "we use a background context here so that
// every batch runs even if ctx is cancelled".
func explainedDetach(fset *token.FileSet, file *ast.File, stack []ast.Node, call *ast.CallExpr) bool {
	from := call.Pos()
	if st := code.StmtOf(stack); st != nil {
		from = st.Pos()
	}
	body := code.Body(code.EnclosingFunc(stack))
	if body == nil {
		return false
	}
	return code.CommentNear(fset, file, body.Lbrace, from, call.End(), 3, func(text string) bool {
		l := strings.ToLower(text)
		for _, w := range []string{"context", "background", "detach", "cancel", "independent", "outlive"} {
			if strings.Contains(l, w) {
				return true
			}
		}
		return false
	})
}

// reachesIO reports whether the fresh context made at the end of stack goes
// into I/O: passed (directly, through context.With* wrappers, or through the
// variable it is assigned to) to a database, HTTP, gRPC or network call, to
// an outgoing request's constructor, or to a function of this package that
// makes such a call. A fresh context that only carries values, or goes to
// code that does no I/O the check can see (a service's start, a validator),
// has nothing for the caller's cancellation to stop; on real code those were
// nearly all deliberate (see PRECISION.md).
func reachesIO(info *types.Info, file *ast.File, outbound func() map[*types.Func]string, stack []ast.Node, call *ast.CallExpr) bool {
	isIO := func(c *ast.CallExpr) bool {
		if k, _ := iocall.Of(info, file, c); k != iocall.None {
			return true
		}
		if iocall.Outbound(info, code.FileImports(file), c) != "" {
			return true
		}
		if fn := code.Callee(info, c); fn != nil {
			if code.IsPkgFunc(fn, "net/http", "NewRequestWithContext") || code.IsMethod(fn, "net/http", "Request", "WithContext", "Clone") {
				return true
			}
			return outbound()[fn] != ""
		}
		_, name, ok := code.Selector(c)
		return ok && (name == "NewRequestWithContext" || strings.HasSuffix(name, "Context") && name != "WithContext")
	}
	argOf := func(c *ast.CallExpr, e ast.Expr) bool {
		for _, a := range c.Args {
			if ast.Unparen(a) == e {
				return true
			}
		}
		return false
	}
	expr := ast.Expr(call)
	i := len(stack) - 2
	for ; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.ParenExpr:
			expr = p
			continue
		case *ast.CallExpr:
			if _, name, ok := code.Selector(p); ok && strings.HasPrefix(name, "With") && code.IsPkgCall(info, nil, p, "context", name) && argOf(p, expr) {
				expr = p // context.WithTimeout(context.Background(), d)
				continue
			}
			return argOf(p, expr) && isIO(p)
		}
		break
	}
	if i < 0 {
		return false
	}
	var target ast.Expr
	switch p := stack[i].(type) {
	case *ast.AssignStmt:
		for j, r := range p.Rhs {
			if ast.Unparen(r) == expr && j < len(p.Lhs) {
				target = p.Lhs[j]
			}
		}
		if target == nil && len(p.Rhs) == 1 && ast.Unparen(p.Rhs[0]) == expr && len(p.Lhs) > 0 {
			target = p.Lhs[0] // qctx, cancel := context.WithTimeout(...)
		}
	case *ast.ValueSpec:
		for j, v := range p.Values {
			if ast.Unparen(v) == expr && j < len(p.Names) {
				target = p.Names[j]
			}
		}
	}
	v, ok := code.LocalVar(info, target)
	body := code.Body(code.EnclosingFunc(stack))
	if target == nil || !ok || body == nil {
		return false
	}
	for _, u := range code.Uses(info, body, v) {
		if u.Kind == code.UseArg && isIO(u.Call) {
			return true
		}
	}
	return false
}

// lifecycleContext reports whether the fresh context at call is made
// cancellable (ctx, cancel := context.WithCancel(context.Background())) and
// its cancel function outlives the statement: called from a goroutine or
// callback, stored, handed on or returned. That context is the lifetime of
// background work the code stops by hand, not a request's.
func lifecycleContext(info *types.Info, stack []ast.Node, call *ast.CallExpr) bool {
	if len(stack) < 3 {
		return false
	}
	wrap, ok := stack[len(stack)-2].(*ast.CallExpr)
	if !ok {
		return false
	}
	if _, name, ok := code.Selector(wrap); !ok || (name != "WithCancel" && name != "WithCancelCause") {
		return false
	}
	as, ok := stack[len(stack)-3].(*ast.AssignStmt)
	if !ok || len(as.Lhs) != 2 || len(as.Rhs) != 1 || as.Rhs[0] != ast.Expr(wrap) {
		return false
	}
	cancel, ok := code.LocalVar(info, as.Lhs[1])
	body := code.Body(code.OutermostFunc(stack))
	if !ok || body == nil {
		return false
	}
	for _, u := range code.Uses(info, body, cancel) {
		if u.Ident == as.Lhs[1] {
			continue
		}
		switch u.Kind {
		case code.UseStore, code.UseReturn, code.UseArg:
			return true
		}
		for _, n := range u.Stack {
			if _, ok := n.(*ast.FuncLit); ok {
				return true
			}
			if _, ok := n.(*ast.GoStmt); ok {
				return true
			}
		}
	}
	return false
}

// bridgesValues reports whether body copies values from ctx into another
// context (trace.ContextWithSpan(context.Background(),
// trace.SpanFromContext(ctx))): whoever writes that has chosen to leave
// ctx's cancellation behind and keep its trace.
func bridgesValues(info *types.Info, body *ast.BlockStmt, ctx code.CtxSource) bool {
	if body == nil {
		return false
	}
	from, into := false, false
	ast.Inspect(body, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok {
			return !(from && into)
		}
		name := code.CallName(c)
		switch {
		case strings.HasPrefix(name, "ContextWith") || strings.HasSuffix(name, "ToContext") || strings.HasSuffix(name, "IntoContext"):
			into = true
		case strings.Contains(name, "FromContext"):
			for _, a := range c.Args {
				if ctx.Var.Is(info, a) {
					from = true
				}
			}
		}
		return !(from && into)
	})
	return from && into
}

// detachedOnPurpose reports whether the fresh context at call is one of the
// deliberate detachments the check leaves alone.
func detachedOnPurpose(info *types.Info, stack []ast.Node, call *ast.CallExpr, ctx code.CtxSource) bool {
	fnIdx := -1
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.GoStmt, *ast.DeferStmt:
			return true // work that outlives the function, or runs as it ends
		case *ast.CommClause:
			if cc := stack[i].(*ast.CommClause); cc.Comm != nil && mentionsDone(cc.Comm) {
				return true // case <-ctx.Done(): the old context is finished
			}
		case *ast.FuncDecl, *ast.FuncLit:
			if fnIdx < 0 {
				fnIdx = i
			}
		}
	}
	// A callback that runs later, when ctx may be done: a returned cleanup
	// func, or one handed to AfterFunc, Cleanup, RegisterOnShutdown and kin.
	if lit, ok := stack[fnIdx].(*ast.FuncLit); ok && fnIdx > 0 && !ctxFromSameFunc(info, lit, ctx) {
		switch p := stack[fnIdx-1].(type) {
		case *ast.ReturnStmt:
			return true
		case *ast.AssignStmt:
			// release := func() error { … }; …; return release, nil
			if returnedLater(info, stack[:fnIdx-1], p, lit) {
				return true
			}
		case *ast.CallExpr:
			if p.Fun != ast.Expr(lit) && laterCallbackName(p) {
				return true
			}
		}
	}
	// ctx != context.Background(): a comparison passes nothing on.
	if len(stack) >= 2 {
		if be, ok := stack[len(stack)-2].(*ast.BinaryExpr); ok && (be.Op == token.EQL || be.Op == token.NEQ) {
			return true
		}
	}
	// return context.Background(): a helper choosing which context to use.
	if len(stack) >= 2 {
		if _, ok := stack[len(stack)-2].(*ast.ReturnStmt); ok {
			return true
		}
	}
	// A context handed to a logger cancels nothing.
	if len(stack) >= 2 {
		if c, ok := stack[len(stack)-2].(*ast.CallExpr); ok {
			name := code.CallName(c)
			for _, p := range []string{"Print", "Log", "Debug", "Info", "Warn", "Error", "Trace"} {
				if strings.HasPrefix(name, p) {
					return true
				}
			}
		}
	}
	// ctx = context.Background() as a nil default.
	if len(stack) >= 2 {
		if as, ok := stack[len(stack)-2].(*ast.AssignStmt); ok && len(as.Lhs) == 1 && ctx.Var.Is(info, as.Lhs[0]) && !ctx.FromRequest {
			return true
		}
	}
	// An argument, maybe wrapped (WithTimeout(Background(), …)), of a cleanup call.
	for i := len(stack) - 2; i >= 0; i-- {
		c, ok := stack[i].(*ast.CallExpr)
		if !ok {
			break
		}
		if _, name, ok := code.Selector(c); ok && code.OneOf(name, cleanupNames...) {
			return true
		}
		if id, ok := ast.Unparen(c.Fun).(*ast.Ident); ok && shutdownName(id.Name) {
			return true // exitProcess(context.Background()): must finish after the caller is gone
		}
		if _, name, ok := code.Selector(c); ok && shutdownName(name) {
			return true
		}
	}
	body := code.Body(stack[fnIdx])
	// The code has already seen the caller's context end.
	seenDone := false
	ast.Inspect(body, func(n ast.Node) bool {
		if seenDone || (n != nil && n.Pos() >= call.Pos()) {
			return false
		}
		if c, ok := n.(*ast.CallExpr); ok {
			if recv, name, ok := code.Selector(c); ok && (name == "Done" || name == "Err") && ctx.Var.Is(info, recv) {
				seenDone = true
			}
		}
		return true
	})
	if seenDone {
		return true
	}
	// sctx, cancel := context.WithTimeout(context.Background(), …) used for cleanup.
	for i := len(stack) - 2; i >= 0; i-- {
		if _, ok := stack[i].(*ast.CallExpr); ok {
			continue
		}
		var target ast.Expr
		switch s := stack[i].(type) {
		case *ast.AssignStmt:
			if len(s.Rhs) == 1 && len(s.Lhs) >= 1 {
				target = s.Lhs[0]
			}
		case *ast.ValueSpec:
			if len(s.Values) == 1 && len(s.Names) >= 1 {
				target = s.Names[0]
			}
		}
		if target == nil {
			break
		}
		v, ok := code.LocalVar(info, target)
		if !ok {
			break
		}
		uses := code.Uses(info, body, v)
		used, cleanup := false, false
		for _, u := range uses {
			if u.Kind == code.UseAssigned {
				continue
			}
			used = true
			if u.Deferred || u.InGo {
				cleanup = true
			}
			if u.Kind == code.UseArg {
				if _, name, ok := code.Selector(u.Call); ok && code.OneOf(name, cleanupNames...) {
					cleanup = true
				}
			}
		}
		return used && cleanup
	}
	return false
}

// mentionsDone reports whether n contains a call to a Done method.
func mentionsDone(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if c, ok := m.(*ast.CallExpr); ok {
			if _, name, ok := code.Selector(c); ok && name == "Done" {
				found = true
			}
		}
		return !found
	})
	return found
}

// ctxFromSameFunc reports whether ctx is a parameter of lit itself.
func ctxFromSameFunc(info *types.Info, lit *ast.FuncLit, ctx code.CtxSource) bool {
	if lit.Type.Params == nil {
		return false
	}
	for _, f := range lit.Type.Params.List {
		for _, n := range f.Names {
			if ctx.Var.Is(info, n) {
				return true
			}
		}
	}
	return false
}

// laterCallbackName reports whether call registers a callback that runs
// after the current work ends (context.AfterFunc, t.Cleanup,
// srv.RegisterOnShutdown, a shutdown hook…).
func laterCallbackName(call *ast.CallExpr) bool {
	for _, w := range code.IdentWords(code.CallName(call)) {
		switch w {
		case "after", "cleanup", "shutdown", "close", "stop", "defer", "finalizer", "exit", "hook":
			return true
		}
	}
	return false
}

// poolPackages build connection pools that keep the context they are made
// with for their background work (pgxpool dials and health-checks with it),
// so it must outlive the request that happens to create the pool.
var poolPackages = []string{"github.com/jackc/pgx/v5/pgxpool", "github.com/jackc/pgx/v4/pgxpool"}

// poolContext reports whether the fresh context at the top of stack is
// handed to a pool's constructor: directly (pgxpool.NewWithConfig(
// context.Background(), cfg)), or through a local made from it with a
// timeout (ctx, cancel := context.WithTimeout(context.Background(), d);
// pgxpool.New(ctx, dsn)).
func poolContext(info *types.Info, imps code.Imports, body *ast.BlockStmt, stack []ast.Node) bool {
	isPool := func(c *ast.CallExpr) bool {
		for _, p := range poolPackages {
			if code.IsPkgCall(info, imps, c, p, "New", "NewWithConfig", "Connect", "ConnectConfig") {
				return true
			}
		}
		return false
	}
	if len(stack) < 2 {
		return false
	}
	parent, ok := stack[len(stack)-2].(*ast.CallExpr)
	if !ok {
		return false
	}
	if isPool(parent) {
		return true
	}
	if _, name, ok := code.Selector(parent); !ok || (name != "WithTimeout" && name != "WithDeadline" && name != "WithCancel") || len(stack) < 3 {
		return false
	}
	as, ok := stack[len(stack)-3].(*ast.AssignStmt)
	if !ok || len(as.Lhs) == 0 || len(as.Rhs) != 1 {
		return false
	}
	v, ok := code.LocalVar(info, as.Lhs[0])
	if !ok {
		return false
	}
	for _, u := range code.Uses(info, body, v) {
		if u.Kind == code.UseArg && isPool(u.Call) {
			return true
		}
	}
	return false
}
