package checklist

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/iocall"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func retryNoBackoffCheck() *Check {
	return &Check{
		Question: finding.FailsHalfway,
		Severity: finding.SeverityInfo,
		Title:    "retry loop without growing, capped backoff",
		Rationale: "A retry loop that calls again at once turns one failing dependency into a flood: every " +
			"client multiplies its load at the moment the server is weakest, which is how a brief outage " +
			"becomes a long one. A fixed sleep keeps all clients in lockstep, so they retry in synchronized " +
			"waves; a loop with no cap on attempts or time never gives up and never reports the failure. The " +
			"check looks at loops that retry (an attempt/retry counter in the header, or a `for {}` that exits " +
			"on success) around an HTTP request, gRPC call, dial or database connect — directly or through a " +
			"function of the same package — and at generic retry helpers that call a function parameter. The " +
			"pacing of a retry of a local resource (a body that names SQLite, a busy or locked database file, a " +
			"lock file) other than an HTTP request, gRPC call or dial is at most info: there is no remote " +
			"dependency to stampede. A fixed pause between attempts is at most info too: it paces the attempts, " +
			"and the synchronized waves it leaves matter for a fleet the code does not show. Where it speaks: every function of the module, at warning; test support (tests, mocks, fakes, examples, end-to-end harnesses) is silent, and one-shot code (start-up, migrations, CLI commands, build-time generators and dev tools under hack/, scripts/ or tools/) is at most info unless it loops for the life of the process.",
		Fix: "Sleep a capped, jittered, growing delay between attempts (cenkalti/backoff or a small helper), " +
			"stop on ctx.Done(), and cap the attempts.",
		Bad: `for attempt := 0; attempt < 5; attempt++ {
	resp, err = c.http.Do(req)
	if err == nil && resp.StatusCode < 500 {
		break
	}
}`,
		Good: `b := backoff.WithContext(backoff.WithMaxRetries(backoff.NewExponentialBackOff(), 5), ctx)
err := backoff.Retry(func() error {
	resp, err = c.http.Do(req.Clone(ctx))
	return err
}, b)`,
		Analyzer: retryNoBackoffAnalyzer,
	}
}

var retryNoBackoffAnalyzer = &analysis.Analyzer{
	Name:             "retry_no_backoff",
	Doc:              "reports retry loops with no pause, a fixed pause, or no cap",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              placed(runRetryNoBackoff, false),
}

// retryWords are the identifier words that mark a loop header as a retry counter.
var retryWords = []string{"attempt", "attempts", "retry", "retries", "try", "tries", "tried", "retried"}

func runRetryNoBackoff(pass *analysis.Pass) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := code.Info(pass)
	// Built on the first loop that looks like a retry: most packages have none.
	outbound := sync.OnceValue(func() map[*types.Func]string { return iocall.OutboundFuncs(pass) })
	var imps code.Imports
	var impsFile *ast.File
	ins.WithStack([]ast.Node{(*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)}, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push {
			return true
		}
		if f, ok := stack[0].(*ast.File); ok && f != impsFile {
			impsFile, imps = f, code.FileImports(f)
		}
		fn := code.EnclosingFunc(stack)
		if fn == nil || code.IsTestFile(pass.Fset, n.Pos()) {
			return true
		}
		var body *ast.BlockStmt
		named, infinite, overItems := false, false, false
		var counter []ast.Node
		switch l := n.(type) {
		case *ast.ForStmt:
			body = l.Body
			for _, part := range []ast.Node{l.Init, l.Cond, l.Post} {
				if part != nil && hasRetryWord(part) {
					named = true
				}
			}
			counter = []ast.Node{l.Init, l.Post}
			infinite = l.Cond == nil
		case *ast.RangeStmt:
			body = l.Body
			for _, part := range []ast.Node{l.Key, l.X} {
				if part != nil && hasRetryWord(part) {
					named = true
				}
			}
			if t := code.TypeOf(info, l.X); t != nil {
				if b, ok := t.Underlying().(*types.Basic); !ok || b.Info()&types.IsInteger == 0 {
					overItems = true // a range over sources or jobs visits each once
				}
			}
		}
		if body == nil {
			return true
		}
		if name := strings.ToLower(code.FuncName(fn)); !overItems && (strings.Contains(name, "retry") || strings.Contains(name, "retries")) {
			named = true // a retry helper's counting loops are its retry loops
		}
		if !named && !(infinite && exitsOnSuccess(body)) {
			return true
		}
		kind := retriedCall(info, imps, outbound, fn, body)
		if kind == "" {
			return true
		}
		pause, fixed := retryPause(info, imps, body)
		// A retry of a local resource (SQLite busy, a lock file) has no
		// remote dependency to stampede: its pacing is worth knowing only.
		paceCat := ""
		if kind != iocall.OutHTTP && kind != iocall.OutGRPC && kind != iocall.OutDial && localResource(body) {
			paceCat = AtMostInfo
		}
		head := func(cat, format string, args ...any) {
			pass.Report(analysis.Diagnostic{Pos: n.Pos(), End: body.Lbrace, Message: fmt.Sprintf(format, args...), Category: cat})
		}
		switch {
		case pause == nil:
			note := ""
			switch {
			case paceCat != "":
			case retriesAfterTimeout(info, imps, body):
				// Each attempt has its own deadline and only a missed
				// deadline is retried: an attempt waited the whole
				// timeout before the next starts, which paces them.
				paceCat, note = AtMostInfo, " (info: only an attempt that ran out its own timeout is retried, so each waited that long first)"
			case rereadsState(body):
				// for { err := f(job); ...; r.client.Get(ctx, key, job) }:
				// each failed attempt re-reads the object it changes, and a
				// conflict is cleared by the re-read, not by waiting.
				paceCat, note = AtMostInfo, " (info: each attempt re-reads the object it changes first, an optimistic-concurrency loop whose conflicts the re-read clears)"
			case refreshesCredentials(body):
				// for i := 0; i < 3; i++ { ...; if expired { refreshToken(); continue } }:
				// the loop re-runs once the credentials are renewed, not
				// against a dependency that is failing.
				paceCat, note = AtMostInfo, " (info: the loop re-runs after renewing its credentials, which is not a retry of a failing dependency)"
			}
			head(paceCat, "this loop retries %s with no pause between attempts: against a failing dependency every client retries at once and multiplies the load; sleep a capped, jittered, growing delay (e.g. cenkalti/backoff) and stop on ctx.Done()"+note, kind)
			return true
		case fixed && kind != iocall.OutConnect && kind != iocall.OutDial:
			// A fixed pause already paces the attempts; the synchronized
			// waves it leaves matter for a large fleet, which the code does
			// not show. On the reads of applications no posted finding of
			// this check was judged worth a comment, so this is info.
			reportIn(pass, pause, AtMostInfo, fmt.Sprintf("this retry of %s waits a fixed delay between attempts: clients retry in synchronized waves that keep the dependency down; grow the delay exponentially with jitter and a cap (info: a fixed pause already paces the attempts)", kind))
		}
		if infinite && !capped(info, body, counter) {
			if peerPaced(info, body) {
				// for { if err := f(); ... { time.Sleep(retryAfter) } }:
				// the peer's rate limit decides when to go again, and other
				// errors end the loop.
				head(AtMostInfo, "this loop retries %s with no cap on attempts, waiting what the peer's rate limit asks (info: the peer paces it, and errors it does not throttle end the loop)", kind)
				return true
			}
			head("", "this loop retries %s forever: there is no cap on attempts and no check of ctx or a deadline, so a permanent failure hangs the caller and is never reported; cap the attempts or stop on ctx.Done()", kind)
		}
		return true
	})
	return nil, nil
}

// rereadsState reports whether a loop body re-reads what its attempt
// changes: a call named for getting, fetching, loading or reloading is
// handed a variable that another call of the body is handed too (f(job)
// then r.client.Get(ctx, key, job)).
func rereadsState(body *ast.BlockStmt) bool {
	args := map[string]int{} // variable -> how many calls take it
	var reads []string
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		words := code.IdentWords(code.CallName(call))
		read := len(words) > 0 && (words[0] == "get" || words[0] == "fetch" || words[0] == "load" || words[0] == "reload")
		for _, a := range call.Args {
			id, ok := ast.Unparen(a).(*ast.Ident)
			if !ok {
				if u, isAddr := ast.Unparen(a).(*ast.UnaryExpr); isAddr && u.Op == token.AND {
					id, ok = ast.Unparen(u.X).(*ast.Ident)
				}
			}
			if !ok || id.Name == "ctx" || id.Name == "_" {
				continue
			}
			args[id.Name]++
			if read {
				reads = append(reads, id.Name)
			}
		}
		return true
	})
	for _, r := range reads {
		if args[r] > 1 {
			return true
		}
	}
	return false
}

// peerPaced reports whether a loop body sleeps a delay the peer's rate
// limit gave: the sleep's argument, or the call that produced it, is named
// for a rate limit, a throttle or Retry-After (time.Sleep(backoff) with
// backoff, ok := b.handleRatelimit(err)).
func peerPaced(info *types.Info, body *ast.BlockStmt) bool {
	return code.AnyCall(body, func(call *ast.CallExpr) bool {
		if code.CallName(call) != "Sleep" || len(call.Args) != 1 {
			return false
		}
		text := types.ExprString(call.Args[0])
		if id, ok := ast.Unparen(call.Args[0]).(*ast.Ident); ok {
			v := code.VarOf(info, id)
			ast.Inspect(body, func(n ast.Node) bool {
				as, ok := n.(*ast.AssignStmt)
				if !ok {
					return true
				}
				for _, l := range as.Lhs {
					if lid, ok := l.(*ast.Ident); ok && lid != id && v.Is(info, lid) {
						for _, r := range as.Rhs {
							text += " " + types.ExprString(r) // backoff, ok := b.handleRatelimit(err)
						}
					}
				}
				return true
			})
		}
		words := code.TextWords(text)
		for i, w := range words {
			switch w {
			case "ratelimit", "ratelimited", "throttle", "throttled", "retryafter":
				return true
			case "rate", "retry":
				if i+1 < len(words) && (words[i+1] == "limit" || words[i+1] == "after") {
					return true
				}
			}
		}
		return false
	})
}

// refreshesCredentials reports whether a loop body renews credentials
// before it goes round again: it calls something named for refreshing,
// renewing or fetching a token, or for logging in again (refreshToken,
// p.renewAccessToken, reauthenticate).
func refreshesCredentials(body *ast.BlockStmt) bool {
	return code.AnyCall(body, func(call *ast.CallExpr) bool {
		words := code.IdentWords(code.CallName(call))
		token, renew := false, false
		for _, w := range words {
			switch w {
			case "token", "tokens", "credentials", "auth":
				token = true
			case "refresh", "renew", "reauth", "reauthenticate", "relogin":
				renew = true
			}
		}
		return renew && (token || len(words) == 1)
	})
}

// retriesAfterTimeout reports whether a retry loop's body gives each
// attempt a deadline of its own (context.WithTimeout or WithDeadline) and
// tests for context.DeadlineExceeded: an attempt is retried only once it has
// run out its timeout.
func retriesAfterTimeout(info *types.Info, imps code.Imports, body *ast.BlockStmt) bool {
	deadline := code.AnyCall(body, func(call *ast.CallExpr) bool {
		return code.IsPkgCall(info, imps, call, "context", "WithTimeout", "WithDeadline")
	})
	if !deadline {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && code.IsPkgSelector(info, imps, sel, "context", "DeadlineExceeded") {
			found = true
		}
		return !found
	})
	return found
}

// hasRetryWord reports whether any identifier in n has a retry word in it
// (maxAttempts, retries, try…), split at camel case and underscores.
func hasRetryWord(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if id, ok := m.(*ast.Ident); ok {
			for _, w := range code.IdentWords(id.Name) {
				if code.OneOf(w, retryWords...) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// exitsOnSuccess reports whether the loop body has, at its top level, an
// `if err == nil { … return/break }`.
func exitsOnSuccess(body *ast.BlockStmt) bool {
	for _, s := range body.List {
		ifs, ok := s.(*ast.IfStmt)
		if !ok {
			continue
		}
		be, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
		if !ok || be.Op.String() != "==" || !isNilIdent(be.Y) {
			continue
		}
		if id, ok := ast.Unparen(be.X).(*ast.Ident); !ok || !strings.Contains(strings.ToLower(id.Name), "err") {
			continue
		}
		for _, st := range ifs.Body.List {
			switch st := st.(type) {
			case *ast.ReturnStmt:
				return true
			case *ast.BranchStmt:
				if st.Tok.String() == "break" {
					return true
				}
			}
		}
	}
	return false
}

func isNilIdent(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "nil"
}

// retriedCall returns the kind of outbound call the loop body makes, or, in
// a function whose name says it retries, "an operation" for a call of a
// function-typed parameter.
func retriedCall(info *types.Info, imps code.Imports, outbound func() map[*types.Func]string, fn ast.Node, body *ast.BlockStmt) string {
	var params map[types.Object]bool
	if name := strings.ToLower(code.FuncName(fn)); strings.Contains(name, "retry") || strings.Contains(name, "retries") {
		params = map[types.Object]bool{}
		if ft := code.FuncType(fn); ft != nil && ft.Params != nil {
			for _, f := range ft.Params.List {
				if _, isFunc := f.Type.(*ast.FuncType); !isFunc {
					continue
				}
				for _, nm := range f.Names {
					if obj := info.ObjectOf(nm); obj != nil {
						params[obj] = true
					}
				}
			}
		}
	}
	kind := ""
	ast.Inspect(body, func(n ast.Node) bool {
		if kind != "" {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if k := iocall.Outbound(info, imps, call); k != "" {
			kind = k
		} else if k := outbound()[code.Callee(info, call)]; k != "" {
			kind = k
		} else if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && params != nil && params[info.ObjectOf(id)] {
			kind = "an operation"
		}
		return true
	})
	return kind
}

// retryPause finds the wait between attempts: a time.Sleep/After/NewTimer/
// Reset call, or a call whose name says it waits or backs off. fixed is true
// when the only wait is a time call with a constant duration.
func retryPause(info *types.Info, imps code.Imports, body *ast.BlockStmt) (pause ast.Node, fixed bool) {
	fixed = true
	ast.Inspect(body, func(n ast.Node) bool {
		// A receive that is not ctx.Done() waits on a timer or a signal:
		// <-timer.C, <-t.C(), case <-tick:.
		if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.ARROW && !mentionsDone(u.X) && !isTimeCall(info, imps, u.X) {
			if pause == nil {
				pause = u
			}
			fixed = false
			return true
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if code.IsPkgCall(info, imps, call, "time", "Sleep", "After", "NewTimer", "Tick", "NewTicker", "AfterFunc") {
			if pause == nil {
				pause = call
			}
			if len(call.Args) == 0 || !isConstant(info, call.Args[0]) {
				fixed = false
			}
			return true
		}
		var name string
		switch f := ast.Unparen(call.Fun).(type) {
		case *ast.Ident:
			name = f.Name
		case *ast.SelectorExpr:
			name = f.Sel.Name
		}
		lower := strings.ToLower(name)
		for _, w := range []string{"sleep", "backoff", "wait", "delay", "pause", "throttle"} {
			if strings.Contains(lower, w) {
				if pause == nil {
					pause = call
				}
				fixed = false
			}
		}
		return true
	})
	return pause, fixed && pause != nil
}

// isConstant reports whether e is a compile-time constant (by types, or a
// literal expression when types are missing).
func isConstant(info *types.Info, e ast.Expr) bool {
	if tv, ok := info.Types[e]; ok {
		return tv.Value != nil
	}
	literal := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			literal = false
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok && x.Name == "time" {
				return false // time.Second and friends
			}
			literal = false
		case *ast.CallExpr:
			literal = false
		}
		return literal
	})
	return literal
}

// capped reports whether an infinite retry loop has a way to give up: a
// comparison involving its counter, or a look at a context or a deadline.
func capped(info *types.Info, body *ast.BlockStmt, header []ast.Node) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.CommClause:
			// case <-stop: return …: a stop channel ends the loop as
			// ctx.Done() would.
			if recvComm(n.Comm) && returns(n.Body) {
				found = true
			}
		case *ast.CallExpr:
			if _, name, ok := code.Selector(n); ok && code.OneOf(name, "Done", "Err", "Since", "Until", "After", "Before", "Deadline", "Expired") {
				found = true
			}
		case *ast.BinaryExpr:
			switch n.Op.String() {
			case "<", "<=", ">", ">=", "==":
				if hasRetryWord(n) || mentionsHeaderVar(info, n, header) {
					found = true
				}
			}
		case *ast.Ident:
			for _, w := range code.IdentWords(n.Name) {
				if w == "deadline" || w == "budget" {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// mentionsHeaderVar reports whether e uses a variable assigned in the loop's
// init or post statement.
func mentionsHeaderVar(info *types.Info, e ast.Node, header []ast.Node) bool {
	for _, h := range header {
		if h == nil {
			continue
		}
		found := false
		ast.Inspect(h, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if v, ok := code.LocalVar(info, id); ok && code.Mentions(info, e, v) {
					found = true
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// isTimeCall reports whether e calls time.After or time.Tick, whose delay
// the call rule of retryPause judges.
func isTimeCall(info *types.Info, imps code.Imports, e ast.Expr) bool {
	c, ok := ast.Unparen(e).(*ast.CallExpr)
	return ok && code.IsPkgCall(info, imps, c, "time", "After", "Tick")
}

// recvComm reports whether a select case receives from a channel.
func recvComm(comm ast.Stmt) bool {
	var e ast.Expr
	switch c := comm.(type) {
	case *ast.ExprStmt:
		e = c.X
	case *ast.AssignStmt:
		if len(c.Rhs) == 1 {
			e = c.Rhs[0]
		}
	}
	u, ok := ast.Unparen(e).(*ast.UnaryExpr)
	return ok && u.Op == token.ARROW
}

// returns reports whether a case body has a return among its statements.
func returns(body []ast.Stmt) bool {
	for _, st := range body {
		if _, ok := st.(*ast.ReturnStmt); ok {
			return true
		}
	}
	return false
}

// localResource reports whether a retry loop's body says it waits out a
// local resource: a name or string mentioning SQLite, a busy or locked
// database file (SQLITE_BUSY, "database is locked") or a lock file (flock).
func localResource(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		text := ""
		switch x := n.(type) {
		case *ast.Ident:
			text = x.Name
		case *ast.BasicLit:
			text = x.Value
		}
		l := strings.ToLower(text)
		if strings.Contains(l, "sqlite") || strings.Contains(l, "database is locked") || strings.Contains(l, "flock") ||
			strings.Contains(l, "lockfile") || strings.Contains(l, "errbusy") || strings.Contains(l, "busy") && strings.Contains(l, "err") {
			found = true
		}
		return !found
	})
	return found
}
