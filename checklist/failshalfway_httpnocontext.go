package checklist

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func httpNoContextCheck() *Check {
	return &Check{
		Question: finding.FailsHalfway,
		Severity: finding.SeverityInfo,
		Title:    "outbound HTTP request built without the context at hand",
		Rationale: "http.NewRequest, http.Get and Client.Get/Post/Head build a request with context.Background(). " +
			"In a function that already has a ctx (or an incoming *http.Request), the caller's cancellation and " +
			"deadline never reach the call: when the client hangs up or the job times out, the request keeps " +
			"running, holds a connection and a goroutine, and its result is thrown away, and a shutdown waits " +
			"for it. The check reports these calls only where a context.Context or *http.Request parameter (or " +
			"a local context) is in scope, and not when the request is given a context later with WithContext, " +
			"or written to a connection by hand (req.Write(conn), a proxy CONNECT), where no client sends it, or " +
			"handed to a handler in the same process (h.ServeHTTP(w, req), http.ServeFile), where nothing is sent. A " +
			"WithContext whose context is built on context.Background() or TODO() (req.WithContext(" +
			"context.WithValue(context.Background(), k, v))) is not the caller's context, and is reported where " +
			"it is attached. At most info where the request goes out through a client with no Timeout (http-no-timeout " +
			"posts that call, and the deadline bounds it too), through a client field every construction of which " +
			"sets a Timeout (it bounds the call), and where the only context at hand is detached " +
			"(context.WithoutCancel, Background). Where it speaks: every function with a ctx or request at hand, at warning; " +
			"test support (tests, mocks, fakes, examples, end-to-end harnesses) is silent, and one-shot code (start-up, migrations, CLI commands, build-time generators and dev tools under hack/, scripts/ or tools/) is at most info unless it loops for the life of the process.",
		Fix: "Build the request with http.NewRequestWithContext(ctx, …) and send it with client.Do.",
		Bad: `func (c *Client) Price(ctx context.Context, sku string) (*Price, error) {
	resp, err := c.http.Get(c.base + "/prices/" + sku)`,
		Good: `func (c *Client) Price(ctx context.Context, sku string) (*Price, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/prices/"+sku, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)`,
		Analyzer: httpNoContextAnalyzer,
	}
}

var httpNoContextAnalyzer = &analysis.Analyzer{
	Name:             "http_no_context",
	Doc:              "reports outbound HTTP requests built without the context a function has at hand",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.Analyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              placed(runHTTPNoContext, false),
}

// httpNoCtxFuncs are the net/http package functions that build or send a
// request with no context; httpNoCtxMethods the *http.Client methods.
var (
	httpNoCtxFuncs   = []string{"NewRequest", "Get", "Head", "Post", "PostForm"}
	httpNoCtxMethods = []string{"Get", "Head", "Post", "PostForm"}
)

func runHTTPNoContext(pass *analysis.Pass) (any, error) {
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	info := code.Info(pass)
	var imps code.Imports
	var impsFile *ast.File
	timedDefault := initTimesDefaultClient(pass)
	timed := &timedFields{pass: pass}
calls:
	for file, c := range callIdx.All() {
		call := c.Node().(*ast.CallExpr)
		if file != impsFile {
			impsFile, imps = file, code.FileImports(file)
		}
		if !mayLackContext(info, imps, call) {
			continue
		}
		stack := code.Stack(c)
		fn := code.EnclosingFunc(stack)
		body := code.Body(fn)
		if body == nil || testOnlyCode(pass, call.Pos()) {
			continue
		}
		name, ok := noContextCall(info, imps, body, call)
		if !ok {
			continue
		}
		ctx, ok := code.CtxParam(info, imps, stack)
		if !ok {
			local, found := code.LocalCtx(info, body, call.Pos())
			if !found {
				continue
			}
			ctx = code.CtxSource{Expr: local}
		}
		var reqUses []code.Use
		if name == "http.NewRequest" && onlyErrorKept(stack, call) {
			continue // if _, err := http.NewRequest(...): only the URL is checked, nothing is sent
		}
		if name == "http.NewRequest" {
			if req, _, ok := code.AssignedFrom(info, stack, call, 0); ok {
				uses := code.Uses(info, body, req)
				reqUses = uses
				for _, u := range uses {
					if u.Kind == code.UseMethodCall && (u.Name == "WithContext" || u.Name == "Clone") &&
						len(u.Call.Args) == 1 && freshRoot(info, imps, u.Call.Args[0]) {
						// Attached, but not the caller's: reported where it is attached.
						pass.ReportRangef(u.Call.Args[0], "req.%s attaches a context built on a fresh root, not %s: the caller's cancellation and deadline never reach the request, so it keeps a connection busy after the caller gave up; build it on %s (context.WithValue(%s, …))", u.Name, ctx.Expr, ctx.Expr, ctx.Expr)
						continue calls
					}
				}
				for _, u := range uses {
					if u.Kind == code.UseReturn || u.Kind == code.UseStore {
						continue calls // built for a caller, which sends it (and may attach ctx)
					}
				}
				for _, u := range uses {
					if u.Kind == code.UseMethodCall && (u.Name == "WithContext" || u.Name == "Clone") {
						continue calls // the context is attached before sending
					}
					if u.Kind == code.UseMethodCall && (u.Name == "Write" || u.Name == "WriteProxy") {
						continue calls // written to a connection by hand (a proxy CONNECT): no client to cancel
					}
					if u.Kind == code.UseAssigned && u.Ident.Pos() > call.End() {
						continue calls // req = withContext(ctx, req): replaced before sending
					}
					if u.Kind == code.UseArg && passesExpr(u.Call, ctx.Expr) {
						continue calls // do(ctx, client, req): the context travels with the request
					}
					if u.Kind == code.UseArg && servedInProcess(info, u.Call) {
						continue calls // h.ServeHTTP(w, req), http.ServeFile(w, req, …): never sent over a connection
					}
				}
			}
		}
		d := analysis.Diagnostic{
			Pos: call.Pos(), End: call.End(),
			Message: name + " sends the request without " + ctx.Expr + ": when the caller is cancelled or times out, " +
				"this call keeps running and holding a connection; build it with http.NewRequestWithContext(" + ctx.Expr + ", …)",
		}
		if name == "http.NewRequest" {
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
				d.SuggestedFixes = []analysis.SuggestedFix{{
					Message: "use http.NewRequestWithContext",
					TextEdits: []analysis.TextEdit{{
						Pos: sel.Sel.Pos(), End: call.Lparen + 1,
						NewText: []byte("NewRequestWithContext(" + ctx.Expr + ", "),
					}},
				}}
			}
		}
		switch {
		case detachedCtx(info, imps, code.Body(code.OutermostFunc(stack)), stack, ctx.Expr):
			d.Category, d.Message = AtMostInfo, d.Message+detachedNote
		case sentUntimed(info, file, body, call, name, timedDefault, reqUses):
			d.Category, d.Message = AtMostInfo, d.Message+untimedNote
		case sentTimed(timed, call, name, reqUses):
			d.Category, d.Message = AtMostInfo, d.Message+timedNote
		}
		pass.Report(d)
	}
	return nil, nil
}

// noContextCall reports whether call builds or sends an HTTP request without
// a context, directly or through a function value, and names it.
func noContextCall(info *types.Info, imps code.Imports, body *ast.BlockStmt, call *ast.CallExpr) (string, bool) {
	fn := code.Callee(info, call)
	if fn == nil {
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
			fn = funcValue(info, body, id)
		}
	}
	if fn != nil {
		if code.IsPkgFunc(fn, "net/http", httpNoCtxFuncs...) {
			return "http." + fn.Name(), true
		}
		if code.IsMethod(fn, "net/http", "Client", httpNoCtxMethods...) {
			return "Client." + fn.Name(), true
		}
		return "", false
	}
	if code.IsPkgSelector(info, imps, call.Fun, "net/http", httpNoCtxFuncs...) {
		sel := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		return "http." + sel.Sel.Name, true
	}
	return "", false
}

// mayLackContext is noContextCall's test without the function body: false
// only for calls it can never accept, so that the walk builds a stack for
// few calls.
func mayLackContext(info *types.Info, imps code.Imports, call *ast.CallExpr) bool {
	if fn := code.Callee(info, call); fn != nil {
		return code.FuncPath(fn) == "net/http"
	}
	if _, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		return true // a function value, resolved from the body later
	}
	return code.IsPkgSelector(info, imps, call.Fun, "net/http", httpNoCtxFuncs...)
}

// funcValue returns the function a local variable was assigned from, when
// it is assigned exactly once from a function or method value (get :=
// client.Get).
func funcValue(info *types.Info, body *ast.BlockStmt, id *ast.Ident) *types.Func {
	obj, ok := info.Uses[id].(*types.Var)
	if !ok {
		return nil
	}
	var found *types.Func
	count := 0
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, l := range as.Lhs {
			lid, ok := l.(*ast.Ident)
			if !ok || info.ObjectOf(lid) != obj {
				continue
			}
			count++
			switch r := ast.Unparen(as.Rhs[i]).(type) {
			case *ast.SelectorExpr:
				found, _ = info.Uses[r.Sel].(*types.Func)
			case *ast.Ident:
				found, _ = info.Uses[r].(*types.Func)
			}
		}
		return true
	})
	if count != 1 {
		return nil
	}
	return found
}

// passesExpr reports whether call has an argument written as expr.
func passesExpr(call *ast.CallExpr, expr string) bool {
	for _, a := range call.Args {
		if types.ExprString(a) == expr {
			return true
		}
	}
	return false
}

// freshRoot reports whether e is context.Background() or context.TODO(),
// directly or as the parent of context.With… wrappers
// (context.WithValue(context.Background(), k, v)): a context that carries
// nothing of the caller's.
func freshRoot(info *types.Info, imps code.Imports, e ast.Expr) bool {
	for {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return false
		}
		if code.IsPkgCall(info, imps, call, "context", "Background", "TODO") {
			return true
		}
		if !code.IsPkgCall(info, imps, call, "context", "WithValue", "WithCancel", "WithTimeout", "WithDeadline",
			"WithCancelCause", "WithTimeoutCause", "WithDeadlineCause", "WithoutCancel") || len(call.Args) == 0 {
			return false
		}
		e = call.Args[0]
	}
}

// servedInProcess reports whether call hands a request to a handler in the
// same process: one of its arguments is an http.ResponseWriter
// (h.ServeHTTP(w, req), http.ServeFile(w, req, name), a router's
// handler(w, req)). Such a request is never sent over a connection, so
// there is no call to cancel.
func servedInProcess(info *types.Info, call *ast.CallExpr) bool {
	switch code.CallName(call) {
	case "ServeHTTP", "ServeFile", "ServeContent":
		return true // known by name where types are missing
	}
	for _, a := range call.Args {
		if t := code.TypeOf(info, a); t != nil && code.IsNamed(t, "net/http", "ResponseWriter") {
			return true
		}
	}
	return false
}

// onlyErrorKept reports whether call's first result is assigned to the blank
// identifier and its error to a variable (_, err := http.NewRequest(...)):
// the call is made for its error alone.
func onlyErrorKept(stack []ast.Node, call *ast.CallExpr) bool {
	if !firstResultBlank(stack, call) {
		return false
	}
	as := stack[len(stack)-2].(*ast.AssignStmt)
	id, ok := as.Lhs[len(as.Lhs)-1].(*ast.Ident)
	return ok && id.Name != "_"
}
