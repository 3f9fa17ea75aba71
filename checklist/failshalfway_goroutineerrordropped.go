package checklist

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func goroutineErrorDroppedCheck() *Check {
	return &Check{
		Question: finding.FailsHalfway,
		Severity: finding.SeverityInfo,
		Title:    "goroutine drops the error of a server or command it runs",
		Rationale: "Nothing waits for a goroutine started with go, so when what it runs is a part the process lives " +
			"by, its error is the only sign that the part is gone: the metrics server that could not bind its " +
			"port because another process holds it, the sub-command that failed at start-up. The service looks " +
			"healthy while part of it is dead. The check reports a server's ListenAndServe or ListenAndServeTLS " +
			"(which binds the port, the step that fails in practice) and a cobra command's Execute or RunE whose " +
			"error a goroutine drops: started directly with go, called as a statement inside `go func(){…}()`, " +
			"or followed by `if err != nil { return }` that never uses err. An error that is logged, sent on a " +
			"channel, returned through errgroup or stored stays silent. Other errors dropped in goroutines are " +
			"left alone on purpose: on real code most of them were shutdowns, best-effort sends, setters or " +
			"calls that had reported their own failure, and a third of the check's findings were wrong before it " +
			"was narrowed to these shapes (see PRECISION.md). Serve on a listener is left alone too: the " +
			"listener was bound before, so Serve ends only at shutdown or on a lasting accept failure. On a request " +
			"path it judges by context: a goroutine that a request handler starts (itself or through the calls " +
			"the program model follows) and that drops any error (go f() of a function returning one, or a call " +
			"as a statement or into blanks inside go func(){…}()) is reported, because the request has been " +
			"answered and the failure is lost; at most info when the function whose error is dropped, declared in " +
			"the package or (through a fact) in another package of the module, logs or reports the error before each " +
			"return that may carry one. A server started inside an if whose condition names debug, pprof or " +
			"profiling, or one serving only net/http/pprof, is at most info: it serves the operator who switched " +
			"it on. Where it speaks: request handlers for any dropped error, every " +
			"function for servers and commands, at warning; test files and example programs are silent.",
		Fix: "Log the error with context, send it on a channel someone reads, or run the server in an errgroup.",
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
	Name:             "goroutine_error_dropped",
	Doc:              "reports go statements that drop the error of a server's ListenAndServe or a command's run, or any error on a request path",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, program.Analyzer},
	RunDespiteErrors: true,
	Run:              runGoroutineErrorDropped,
	FactTypes:        []analysis.Fact{new(logsErrors)},
}

// logsErrors is the fact of a function that returns an error and logs or
// reports it before each return that may carry one: a caller in another
// package that drops the error loses nothing that was not already told.
type logsErrors struct{}

// AFact marks logsErrors as an analysis fact.
func (*logsErrors) AFact() {}

func (*logsErrors) String() string { return "logs every error it returns" }

// exportLogsErrors exports logsErrors for each function of the package
// that returns an error and logs every one (see logsEveryError).
func exportLogsErrors(pass *analysis.Pass, info *types.Info) {
	if info == nil {
		return
	}
	for fd, obj := range code.FuncDecls(pass) {
		if sig, ok := obj.Type().(*types.Signature); ok && code.ReturnsError(sig) && logsEveryError(info, fd.Body) {
			pass.ExportObjectFact(obj, &logsErrors{})
		}
	}
}

func runGoroutineErrorDropped(pass *analysis.Pass) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	model, _ := pass.ResultOf[program.Analyzer].(*program.Model)
	info := code.Info(pass)
	exportLogsErrors(pass, info)
	ins.WithStack([]ast.Node{(*ast.GoStmt)(nil)}, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push {
			return true
		}
		g := n.(*ast.GoStmt)
		if testOnlyCode(pass, g.Pos()) {
			return true
		}
		if e := requestStarts(model, g.Pos()); e != nil {
			if reportRequestGoroutine(pass, info, g, e) {
				return true
			}
		}
		outer := code.OutermostFunc(stack)
		if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
			checkGoroutineBody(pass, info, outer, lit)
			return true
		}
		scope := code.Body(code.EnclosingFunc(stack))
		if kind, name := lifeline(info, scope, g.Call); kind != "" {
			reportIn(pass, g, debugServerCap(pass, info, outer, scope, g.Call, kind), fmt.Sprintf("this go statement drops the error %s returns: nothing waits for the goroutine, so if the %s stops or never starts, the process runs on without it and nothing says so; log it, send it on a channel, or use errgroup", name, kind))
		}
		return true
	})
	return nil, nil
}

// lifeline reports whether call runs a part the process lives by, whose
// error is the only sign that the part has stopped or never started: a
// server's ListenAndServe, which binds its port first, or a cobra command's
// run. Serve on a listener is left out: the listener was bound, and its
// error handled, before the call, so Serve can only end at shutdown or on a
// lasting accept failure. It returns "server" or "command" and the called
// name, or "" when call is neither. scope is the body that holds the go
// statement, searched for the method value a call through a variable
// stands for.
func lifeline(info *types.Info, scope *ast.BlockStmt, call *ast.CallExpr) (kind, name string) {
	sig := code.CallSig(info, call)
	if sig != nil && !code.ReturnsError(sig) {
		return "", ""
	}
	name = types.ExprString(call.Fun)
	method := ""
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		method = f.Sel.Name
	case *ast.Ident:
		method = methodValueName(info, scope, f)
	}
	switch method {
	case "ListenAndServe", "ListenAndServeTLS":
		return "server", name
	case "Execute", "ExecuteC", "ExecuteContext", "ExecuteContextC":
		// Any command framework's Execute is too broad a name; cobra's is
		// the one whose failure ends a command.
		if fn := code.Callee(info, call); fn != nil && code.IsMethod(fn, "github.com/spf13/cobra", "Command", method) {
			return "command", name
		}
	case "RunE":
		// A call through cobra.Command's RunE field: a sub-command run by
		// hand, as programs that start several services in one process do.
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			t := code.TypeOf(info, sel.X)
			if t == nil || code.IsNamed(t, "github.com/spf13/cobra", "Command") {
				return "command", name
			}
		}
	}
	return "", ""
}

// methodValueName returns the method name a function variable was bound to
// in scope (serve := srv.Serve), or "" when id is not such a variable.
func methodValueName(info *types.Info, scope *ast.BlockStmt, id *ast.Ident) string {
	if info == nil || scope == nil {
		return ""
	}
	obj, ok := info.Uses[id].(*types.Var)
	if !ok {
		return ""
	}
	name := ""
	ast.Inspect(scope, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || name != "" || len(as.Lhs) != len(as.Rhs) {
			return name == ""
		}
		for i, l := range as.Lhs {
			lid, ok := l.(*ast.Ident)
			if !ok || (info.Defs[lid] != obj && info.Uses[lid] != obj) {
				continue
			}
			if sel, ok := ast.Unparen(as.Rhs[i]).(*ast.SelectorExpr); ok {
				if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
					name = sel.Sel.Name
				}
			}
		}
		return name == ""
	})
	return name
}

// debugServerCap returns AtMostInfo when a dropped server error is a
// debug-only server's: started inside an if whose condition names
// debugging or profiling (in outer, the outermost function around it), or
// serving only net/http/pprof (a mux built in scope or around it). Such a
// server serves the operator who switched it on, who sees it missing.
func debugServerCap(pass *analysis.Pass, info *types.Info, outer ast.Node, scope *ast.BlockStmt, call *ast.CallExpr, kind string) string {
	if kind != "server" {
		return ""
	}
	if gatedBy(outer, call.Pos(), namesDebug) {
		return AtMostInfo
	}
	file := fileOf(pass, call.Pos())
	if pprofListener(info, file, scope, call) || pprofListener(info, file, code.Body(outer), call) {
		return AtMostInfo
	}
	// A health-check or metrics server that stops is seen by the probes
	// and scrapes that call it (read M: both such findings judged false).
	if file != nil && debugPackage(file) {
		return AtMostInfo
	}
	if fd, ok := outer.(*ast.FuncDecl); ok && operatorFunc(fd.Name.Name) {
		return AtMostInfo
	}
	return ""
}

// checkGoroutineBody reports, in the body of go func(){…}(), a
// ListenAndServe or command run called as a statement, and one whose error is assigned and
// then only tested by `if err != nil { return }`. outer is the outermost
// function around the go statement.
func checkGoroutineBody(pass *analysis.Pass, info *types.Info, outer ast.Node, lit *ast.FuncLit) {
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			return false // its own goroutine, a callback, or cleanup: judged on its own
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(n.X).(*ast.CallExpr); ok {
				if kind, name := lifeline(info, lit.Body, call); kind != "" {
					reportIn(pass, call, debugServerCap(pass, info, outer, lit.Body, call, kind), fmt.Sprintf("this goroutine drops the error of %s: nothing waits for it, so if the %s stops or never starts, the process runs on without it and nothing says so; log it, send it on a channel, or use errgroup", name, kind))
				}
			}
		case *ast.BlockStmt:
			for i, st := range n.List {
				ifs, ok := st.(*ast.IfStmt)
				if !ok {
					continue
				}
				assign := ifs.Init
				if assign == nil && i > 0 {
					assign = n.List[i-1]
				}
				reportSilentReturn(pass, info, outer, lit.Body, ifs, assign)
			}
		}
		return true
	})
}

// reportSilentReturn reports ifs when it is `if err != nil { return }`, err
// never used, and assign set err from a ListenAndServe or command run.
func reportSilentReturn(pass *analysis.Pass, info *types.Info, outer ast.Node, scope *ast.BlockStmt, ifs *ast.IfStmt, assign ast.Stmt) {
	as, ok := assign.(*ast.AssignStmt)
	if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
		return
	}
	call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
	if !ok {
		return
	}
	v, ok := errNotNilCond(info, ifs.Cond)
	if !ok || !v.Is(info, as.Lhs[0]) || !returnsOnly(ifs.Body) || code.Mentions(info, ifs.Body, v) {
		return
	}
	if kind, name := lifeline(info, scope, call); kind != "" {
		reportIn(pass, ifs.Cond, debugServerCap(pass, info, outer, scope, call, kind), fmt.Sprintf("this goroutine returns on %s from %s without reporting it: nothing waits for it, so if the %s stops or never starts, the process runs on without it and nothing says so; log it, send it on a channel, or use errgroup", v.Name, name, kind))
	}
}

// errNotNilCond reports whether cond is `err != nil` (possibly joined with
// && to other tests) for an error variable, and returns it.
func errNotNilCond(info *types.Info, cond ast.Expr) (code.Var, bool) {
	be, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok {
		return code.Var{}, false
	}
	if be.Op == token.LAND {
		return errNotNilCond(info, be.X)
	}
	if be.Op != token.NEQ || !isNilIdent(be.Y) {
		return code.Var{}, false
	}
	v, ok := code.LocalVar(info, be.X)
	if !ok {
		return code.Var{}, false
	}
	if t := code.TypeOf(info, be.X); t != nil && !code.IsError(t) {
		return code.Var{}, false
	}
	if code.TypeOf(info, be.X) == nil && v.Name != "err" {
		return code.Var{}, false
	}
	return v, true
}

// returnsOnly reports whether block is a bare return: nothing carries the
// error.
func returnsOnly(block *ast.BlockStmt) bool {
	if len(block.List) != 1 {
		return false
	}
	ret, ok := block.List[0].(*ast.ReturnStmt)
	return ok && len(ret.Results) == 0
}

// requestStarts returns the request handler (a concurrent entry of the
// program model) that starts the goroutine of the go statement at pos,
// itself or through the calls of its summary; nil when none does.
func requestStarts(model *program.Model, pos token.Pos) *program.Entry {
	if model == nil {
		return nil
	}
	for _, e := range model.Entries {
		if e.Delivery != program.Concurrent || e.Summary == nil {
			continue
		}
		for _, eff := range e.Summary.Effects {
			if eff.Kind == program.Goroutine && eff.Pos == pos {
				return e
			}
		}
	}
	return nil
}

// reportRequestGoroutine reports a goroutine started on a request path that
// drops an error: the go statement calls a function returning one, or the
// literal it runs calls one as a statement or into blanks. Nobody answers
// the request with it, so the work fails unseen. It reports whether it
// reported.
func reportRequestGoroutine(pass *analysis.Pass, info *types.Info, g *ast.GoStmt, e *program.Entry) bool {
	decls := code.NewDecls(pass)
	lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit)
	if !ok {
		if droppable(info, g.Call) {
			reportIn(pass, g, loggedCap(pass, info, decls, g.Call), fmt.Sprintf("this goroutine, started by %s %s, drops the error %s returns: the request has been answered, so a failure here is lost with nobody told; log it or hand it to something that retries", e.Label, e.Name, types.ExprString(g.Call.Fun)))
			return true
		}
		return false
	}
	reported := false
	code.WalkStack(lit.Body, func(n ast.Node, stack []ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			return false
		case *ast.CallExpr:
			if droppable(info, n) && code.Discarded(stack, n) {
				msg := fmt.Sprintf("this goroutine, started by %s %s, drops the error of %s: the request has been answered, so a failure here is lost with nobody told; log it or hand it to something that retries", e.Label, e.Name, types.ExprString(n.Fun))
				cat := loggedCap(pass, info, decls, n)
				if cat == "" && code.AssignedToBlank(stack, n) {
					// _ = f(): the drop is written out, a best-effort call
					// someone chose; worth knowing, not a comment.
					cat = AtMostInfo
					msg += " (info: the error is assigned to _, a drop written out on purpose)"
				}
				reportIn(pass, n, cat, msg)
				reported = true
			}
		}
		return true
	})
	return reported
}

// loggedCap returns AtMostInfo when call's function logs or reports the
// error on each path that returns one (or never returns one): the dropped
// value then loses nothing that is not already told. A function of this
// package is read here; one of another package of the module carries the
// logsErrors fact. "" otherwise, also when the function is out of sight.
func loggedCap(pass *analysis.Pass, info *types.Info, decls *code.Decls, call *ast.CallExpr) string {
	if fd := decls.Of(info, call); fd != nil {
		if logsEveryError(info, fd.Body) {
			return AtMostInfo
		}
		return ""
	}
	if fn := code.Callee(info, call); fn != nil && fn.Pkg() != pass.Pkg && pass.ImportObjectFact(fn.Origin(), new(logsErrors)) {
		return AtMostInfo
	}
	return ""
}

// logsEveryError reports whether every return in body that may carry an
// error (its last result is not a literal nil) comes after a logging or
// reporting call in the same block: log.Printf, logger.Error, slog.Warn,
// sentry's CaptureException, a helper named for logging.
func logsEveryError(info *types.Info, body *ast.BlockStmt) bool {
	ok := true
	code.WalkStack(body, func(n ast.Node, stack []ast.Node) bool {
		if !ok {
			return false
		}
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(x.Results) == 0 {
				return true
			}
			last := ast.Unparen(x.Results[len(x.Results)-1])
			if tv, isNil := info.Types[last]; isNil && tv.IsNil() {
				return true
			}
			ok = loggedBefore(info, stack, x)
		}
		return true
	})
	return ok
}

// loggedBefore reports whether the statements before ret in its block (or
// case clause) hold a logging call.
func loggedBefore(info *types.Info, stack []ast.Node, ret *ast.ReturnStmt) bool {
	if len(stack) < 2 {
		return false
	}
	for _, st := range code.StmtList(stack[len(stack)-2]) {
		if st == ast.Stmt(ret) {
			return false
		}
		if code.AnyCall(st, func(c *ast.CallExpr) bool { return loggingCall(info, c) }) {
			return true
		}
	}
	return false
}

// loggingCall reports whether call logs or reports: a call with arguments
// whose name starts with Print, Log, Error, Warn, Info, Debug, Fatal,
// Report or Capture (not fmt.Errorf, errors' constructors or wrappers), or
// a function of log or log/slog.
func loggingCall(info *types.Info, call *ast.CallExpr) bool {
	fn := code.Callee(info, call)
	if fn != nil && fn.Pkg() != nil {
		switch fn.Pkg().Path() {
		case "log", "log/slog":
			return true
		case "fmt", "errors", "github.com/pkg/errors":
			return false
		}
	}
	if len(call.Args) == 0 {
		return false // err.Error(), a getter: no message handed on
	}
	name := code.CallName(call)
	for _, p := range []string{"Print", "Log", "Error", "Warn", "Info", "Debug", "Fatal", "Report", "Capture"} {
		if strings.HasPrefix(name, p) || strings.HasPrefix(name, strings.ToLower(p)) {
			return true
		}
	}
	return false
}

// droppable reports whether call returns an error worth keeping: a typed
// call whose last result is an error, other than fmt's printing, Close,
// CloseWithError and the writes of an in-memory buffer or hash.
func droppable(info *types.Info, call *ast.CallExpr) bool {
	sig := code.CallSig(info, call)
	if sig == nil || !code.ReturnsError(sig) {
		return false
	}
	fn := code.Callee(info, call)
	if fn == nil {
		return true // a function value: its error is as real as any
	}
	if fn.Pkg() != nil && code.OneOf(fn.Pkg().Path(), "fmt", "bytes", "strings", "hash", "log", "log/slog") {
		return false
	}
	if program.LoggingCall(fn) {
		return false // level.Debug(logger).Log(...): a logger's own error, not the work's
	}
	// CloseWithError hands an error on to the other end of a pipe (and
	// io.PipeWriter's always returns nil): it is how the error is kept.
	return !code.OneOf(fn.Name(), "Close", "Write", "WriteString", "Flush", "Stop", "CloseWithError")
}
