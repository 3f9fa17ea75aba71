package checklist

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/internal/handler"
	"github.com/prodready/prodready/checklist/iocall"
	"github.com/prodready/prodready/checklist/program"
)

var sleepInHandlerAnalyzer = &analysis.Analyzer{
	Name:             "sleep_in_handler",
	Doc:              "reports time.Sleep in HTTP handlers",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              runSleepInHandler,
}

var clientPerRequestAnalyzer = &analysis.Analyzer{
	Name:             "client_per_request",
	Doc:              "reports http.Transport values (and clients built on a new one) created inside a handler or a loop",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              runClientPerRequest,
}

func runSleepInHandler(pass *analysis.Pass) (any, error) {
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	where := whereOf(pass)
	info := pass.TypesInfo
	for file, c := range callIdx.All() {
		call := c.Node().(*ast.CallExpr)
		if code.CallName(call) != "Sleep" {
			continue
		}
		// Test servers that sleep to play a slow peer are the point of the test.
		if file == nil || where.Quiet(c) || !code.Resolve(info, file, call.Fun).Is("time", "Sleep") {
			continue
		}
		h, ok := handler.EnclosingHTTP(info, file, c)
		if !ok || timingDefence(info, file, h, call) || streamCadence(c) {
			continue
		}
		report(pass, call, "time.Sleep in an HTTP handler holds the request's goroutine and connection and ignores the client going away; under load the sleeping requests pile up. Wait on a timer in a select with r.Context().Done(), or move the delay out of the request")
	}
	return nil, nil
}

func runClientPerRequest(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	where := whereOf(pass)
	info := pass.TypesInfo
	for file, c := range code.Preorder(insp, (*ast.CompositeLit)(nil), (*ast.CallExpr)(nil)) {
		if file == nil || where.Quiet(c) {
			continue
		}
		isTransport := false
		switch n := c.Node().(type) {
		case *ast.CompositeLit:
			isTransport = code.TypeExprIs(info, file, litType(info, n), netHTTP, "Transport")
		case *ast.CallExpr:
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "new" && len(n.Args) == 1 && isBuiltin(info, id) {
				isTransport = code.TypeExprIs(info, file, n.Args[0], netHTTP, "Transport")
			} else if code.CallName(n) == "Clone" {
				isTransport = code.Resolve(info, file, n.Fun).Is(netHTTP, "Transport.Clone")
			}
		}
		if !isTransport {
			continue
		}
		where, cat := "", ""
		if _, ok := handler.EnclosingHTTP(info, file, c); ok {
			where = "in an HTTP handler"
		} else if loop := loopOf(c); loop != nil && callsHTTP(info, file, loop) {
			where = "inside a loop that sends requests"
		} else if fn, _, body := code.FuncOf(c); body != nil && callsHTTP(info, file, body) && !storedInField(c) &&
			!configuredPerCall(info, fn, c.Node()) && !noKeepAlives(c.Node()) {
			// func (c *Client) do(req) { hc := &http.Client{Transport:
			// &http.Transport{...}}; return hc.Do(req) }: one pool per call.
			// How often the function runs is not in sight (a daily report
			// or every request), so this is worth knowing, not a comment.
			cat = AtMostInfo
			where = "in a function that sends a request with it, so one is built on every call,"
		}
		if where == "" {
			continue
		}
		reportIn(pass, c.Node(), cat, "a new http.Transport "+where+" has its own connection pool, so no connection is reused: every call pays DNS, TCP and TLS again and idle connections pile up until file descriptors run out. Build one client and Transport at start-up and share it")
	}
	return nil, nil
}

// timingDefence reports whether a sleep in handler h is there to hide
// timing: its duration is measured from the request's start (time.Since,
// time.Until) or random (jitter), or the handler compares secrets
// (subtle.ConstantTimeCompare, hmac.Equal, bcrypt, a helper named
// constant-time) or checks Basic credentials, where a sleep that evens out
// the answer time or slows a failed login is a defence against timing and
// guessing, not a delay to move off the request path.
// streamCadence reports whether the sleep at c paces a long-lived stream:
// it sits in a for loop that also writes a websocket message or flushes a
// streamed response (WriteMessage, WriteJSON, Flush), so that the sleep is
// the interval between pushes, not a delay before an answer. The stream's
// own write notices a client gone within one interval.
func streamCadence(c inspector.Cursor) bool {
	for p := range c.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		var body *ast.BlockStmt
		switch loop := p.Node().(type) {
		case *ast.ForStmt:
			body = loop.Body
		case *ast.RangeStmt:
			body = loop.Body
		default:
			return false
		}
		return code.AnyCall(body, func(call *ast.CallExpr) bool {
			return code.OneOf(code.CallName(call), "WriteMessage", "WriteJSON", "WriteControl", "Flush")
		})
	}
	return false
}

func timingDefence(info *types.Info, file *ast.File, h ast.Node, sleep *ast.CallExpr) bool {
	timed := code.AnyCall(sleep, func(c *ast.CallExpr) bool {
		ref := code.Resolve(info, file, c.Fun)
		if name := strings.ToLower(code.CallName(c)); c != sleep && (strings.Contains(name, "random") || strings.Contains(name, "jitter")) {
			return true // a helper named for it: x.RandomDelay(expected, deviation)
		}
		return ref.Is("time", "Since") || ref.Is("time", "Until") ||
			ref.Pkg == "math/rand" || ref.Pkg == "math/rand/v2" || ref.Pkg == "crypto/rand"
	})
	if timed || failureDelay(sleep) {
		return true
	}
	return code.AnyCall(h, func(c *ast.CallExpr) bool {
		ref := code.Resolve(info, file, c.Fun)
		name := code.CallName(c)
		// A module's own constant-time helper (util.ConstantTimeEqString)
		// and a Basic-auth check are the same defence: a delay after a
		// failed login slows guessing.
		return ref.Is("crypto/subtle", "ConstantTimeCompare") || ref.Is("crypto/hmac", "Equal") ||
			ref.Is("golang.org/x/crypto/bcrypt", "CompareHashAndPassword") ||
			strings.Contains(strings.ToLower(name), "constanttime") || name == "BasicAuth"
	})
}

// failureDelay reports whether the sleep's duration is named for a penalty
// on failure (BadAuthDelay, cfg.FailDelay, authFailDelay, bruteForcePenalty):
// a delay after a failed login or a denied request, there to slow guessing.
func failureDelay(sleep *ast.CallExpr) bool {
	found := false
	for _, a := range sleep.Args {
		ast.Inspect(a, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok || found {
				return !found
			}
			for _, w := range code.IdentWords(id.Name) {
				if code.OneOf(w, "fail", "failed", "failure", "bad", "denied", "unauthorized", "brute", "penalty") {
					found = true
				}
			}
			return !found
		})
	}
	return found
}

// configuredPerCall reports whether the Transport literal n uses values the
// function fn computes or receives on this call (a proxy chosen per feed, a
// dialer built here), other than its receiver's fields: a Transport shaped
// per call is a design, not a pool rebuilt by mistake.
func configuredPerCall(info *types.Info, fn ast.Node, n ast.Node) bool {
	if info == nil || fn == nil {
		return false
	}
	var recv types.Object
	if fd, ok := fn.(*ast.FuncDecl); ok && fd.Recv != nil && len(fd.Recv.List) > 0 && len(fd.Recv.List[0].Names) > 0 {
		recv = info.Defs[fd.Recv.List[0].Names[0]]
	}
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		id, ok := x.(*ast.Ident)
		if !ok || found {
			return !found
		}
		obj, ok := info.Uses[id].(*types.Var)
		if ok && obj != recv && !obj.IsField() && code.Contains(fn, obj.Pos()) {
			found = true
		}
		return !found
	})
	return found
}

// noKeepAlives reports whether a Transport literal sets DisableKeepAlives:
// true: it asks for no connection reuse, so building one per call loses
// nothing it wanted.
func noKeepAlives(n ast.Node) bool {
	cl, ok := n.(*ast.CompositeLit)
	if !ok {
		return false
	}
	for _, e := range cl.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "DisableKeepAlives" {
				if v, ok := kv.Value.(*ast.Ident); ok && v.Name == "true" {
					return true
				}
			}
		}
	}
	return false
}

// storedInField reports whether the value at c is assigned to a field or a
// package variable (c.hc = &http.Client{...}): built once and kept, however
// the function then uses it.
func storedInField(c inspector.Cursor) bool {
	for p := range code.Ancestors(c) {
		switch x := p.Node().(type) {
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				if _, ok := ast.Unparen(l).(*ast.SelectorExpr); ok {
					return true
				}
			}
			return false
		case ast.Stmt, *ast.FuncLit:
			return false
		}
	}
	return false
}

// loopOf returns the body of the innermost loop around c in its own
// function, or nil.
func loopOf(c inspector.Cursor) *ast.BlockStmt {
	for p := range code.Ancestors(c) {
		switch l := p.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return nil
		case *ast.ForStmt:
			if code.Contains(l.Body, c.Node().Pos()) {
				return l.Body
			}
		case *ast.RangeStmt:
			if code.Contains(l.Body, c.Node().Pos()) {
				return l.Body
			}
		}
	}
	return nil
}

// callsHTTP reports whether n sends an HTTP request itself (closures aside).
func callsHTTP(info *types.Info, file *ast.File, n ast.Node) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if found {
			return false
		}
		if _, ok := x.(*ast.FuncLit); ok {
			return false
		}
		if call, ok := x.(*ast.CallExpr); ok {
			if k, _ := iocall.Of(info, file, call); k == iocall.HTTP {
				found = true
			}
		}
		return !found
	})
	return found
}
