package checklist

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/internal/sqltext"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func resendAfterMarkCheck() *Check {
	return &Check{
		Question: finding.RunsTwice,
		Severity: finding.SeverityWarning,
		Title:    "notification sent, then marked sent with the mark's error only logged",
		Rationale: "A loop that sends a notification (an outbound POST, an e-mail or SMS, a publish, a payment) and " +
			"then records that it was sent (UPDATE ... SET sent_at, MarkNotified, a status) must not drop the " +
			"record's error: when that write fails, the row still looks unsent, the next run of the job picks it " +
			"again and the message goes out twice, and any id the provider returned is lost. The check follows " +
			"the send and the write through the module's calls (a notifier client, a repository in another " +
			"package) and reports the write when its error is discarded or only logged. Left alone: a mark " +
			"whose error is returned, wrapped, stored or retried; a mark before the send (claiming the row: the " +
			"at-most-once choice); a path with an outbox row or an idempotency or dedupe key in reach; a send " +
			"and a write on exclusive branches; a send in a goroutine started on the way; writes that say " +
			"nothing of a sent, notified, delivered or status marker; and code that runs once or only in tests. " +
			"Posted from a job, queue or webhook entry, a poll loop (ticker, time.After, time.Sleep) or a loop " +
			"over rows named pending or unsent; info elsewhere (a request handler, which nothing re-runs).",
		Fix: "Return (or retry) the mark's error so the run fails visibly, and send with an idempotency key derived from the row id; or claim the row before sending (UPDATE ... SET state = 'sending' WHERE id = $1 AND state = 'pending').",
		Bad: `for _, n := range pending {
	if err := s.notify(ctx, n); err != nil {
		continue
	}
	if err := s.repo.MarkSent(ctx, n.ID); err != nil {
		log.Printf("mark %d: %v", n.ID, err)
	}
}`,
		Good: `for _, n := range pending {
	if err := s.notify(ctx, n, "notification-"+n.ID); err != nil { // idempotency key from the row
		continue
	}
	if err := s.repo.MarkSent(ctx, n.ID); err != nil {
		return fmt.Errorf("mark %d sent: %w", n.ID, err)
	}
}`,
		Analyzer: resendAfterMarkAnalyzer,
	}
}

var resendAfterMarkAnalyzer = &analysis.Analyzer{
	Name:             "resend_after_mark_failure",
	Doc:              "reports a database write that records a notification as sent after sending it, with the write's error only logged or discarded",
	Requires:         []*analysis.Analyzer{program.Analyzer, program.WhereAnalyzer, inspect.Analyzer},
	RunDespiteErrors: true,
	Run:              runResendAfterMark,
}

func runResendAfterMark(pass *analysis.Pass) (any, error) {
	model := pass.ResultOf[program.Analyzer].(*program.Model)
	where, _ := pass.ResultOf[program.WhereAnalyzer].(*program.Where)
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	polled := polledEffects(pass, model, insp)
	for c := range insp.Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := c.Node().(*ast.FuncDecl)
		obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
		sum := model.SummaryOf(obj)
		if fd.Body == nil || sum == nil || sum.Deduped || where.Quiet(c) || code.IsTestFile(pass.Fset, fd.Pos()) {
			continue
		}
		reportResends(pass, model, fd, sum.Effects, polled)
	}
	return nil, nil
}

// reportResends reports, in fd, each marking write after a send whose error
// fd drops.
func reportResends(pass *analysis.Pass, model *program.Model, fd *ast.FuncDecl, effects []program.Effect, polled map[token.Pos]string) {
	for i := range effects {
		if e := &effects[i]; isDBWrite(e) && strings.Contains(strings.ToLower(e.Detail), "outbox") {
			return
		}
	}
	if !slices.ContainsFunc(effects, func(e program.Effect) bool { return !e.Async && isDBWrite(&e) && e.Kind != program.RelUpdate }) {
		return // no write that could mark a send: skip the walks below
	}
	calls := callsAt(fd.Body)
	done := map[token.Pos]bool{}
	for i := range effects {
		mark := &effects[i]
		at := entryOrder(mark)
		if mark.Async || !isDBWrite(mark) || mark.Kind == program.RelUpdate || done[at] {
			continue
		}
		send := sendBefore(pass, effects, mark)
		mc := calls[at]
		if send == nil || mc == nil || !markNamed(pass.TypesInfo, fd.Body, mark, mc.call) {
			continue
		}
		how, dropped := markErrDropped(pass.TypesInfo, fd, mc)
		if !dropped {
			continue
		}
		done[at] = true
		where, posted := resendContext(pass, model, fd, mark, send, polled)
		msg := fmt.Sprintf("`%s` records %s as sent only after %s, and %s; %s. When this write fails the row still looks unsent: the next run sends it again (a duplicate notification) and any id the provider returned is lost. Return or retry the error and send with an idempotency key derived from the row id, or claim the row before sending",
			code.CallName(mc.call), markWhat(mark), describeSend(send), how, where)
		cat := ""
		if !posted {
			cat = AtMostInfo
			msg += " (info: no job, queue, poll loop or loop over pending rows is in sight, so whether anything runs this again is not in evidence)"
		}
		pass.Report(analysis.Diagnostic{Pos: at, Message: msg, Category: cat})
	}
}

// sendBefore returns the first send on fd's path (not in a goroutine) that
// comes before mark in fd's own body and is not on a branch excluding it.
func sendBefore(pass *analysis.Pass, effects []program.Effect, mark *program.Effect) *program.Effect {
	for i := range effects {
		s := &effects[i]
		if s.Async || !isRemoteWrite(s) || entryOrder(s) >= entryOrder(mark) {
			continue
		}
		if exclusiveBranches(pass, entryOrder(s), entryOrder(mark)) {
			continue
		}
		return s
	}
	return nil
}

// markWords name a write that records a delivery: a sent or notified flag,
// a delivery or status column, a notification table.
var markWords = []string{"sent", "notified", "notification", "delivered", "delivery", "dispatched", "published", "status", "state", "acked", "processed", "alerted", "reminded", "emailed", "mailed"}

// markNamed reports whether a write says it records a delivery: by its SQL
// (when the write is in the function itself), its table, or the names of
// the calls on its chain.
func markNamed(info *types.Info, body *ast.BlockStmt, mark *program.Effect, call *ast.CallExpr) bool {
	names := []string{mark.Detail, code.CallName(call)}
	for _, s := range mark.Via {
		names = append(names, s.Name)
	}
	if s, ok := sqltext.Statement(info, body, call); ok {
		names = append(names, s)
	}
	for _, n := range names {
		for _, w := range code.TextWords(n) {
			for _, m := range markWords {
				if w == m || w == "un"+m || w == "not"+m {
					return true
				}
			}
		}
		if l := strings.ToLower(n); strings.Contains(l, "sent_at") || strings.Contains(l, "notified_at") || strings.Contains(l, "delivered_at") {
			return true
		}
	}
	return false
}

// markErrDropped reports whether the error of the marking call sc is
// thrown away or only logged, and says how.
func markErrDropped(info *types.Info, fd *ast.FuncDecl, sc *siteCall) (string, bool) {
	stack := sc.stack // ends with the call
	var val ast.Expr = sc.call
	errIdx := -1
	if t := info.TypeOf(sc.call); code.IsPointerTo(t, "gorm.io/gorm", "DB") {
		// gorm: the error is the chain's Error field.
		if sel, ok := parentOf(stack, sc.call).(*ast.SelectorExpr); ok && sel.Sel.Name == "Error" {
			val, errIdx, stack = sel, 0, append(stack[:len(stack)-1], sel)
		} else if code.Discarded(stack, sc.call) {
			return "its error is never read", true
		} else {
			return "", false
		}
	} else if sig := code.CallSig(info, sc.call); sig != nil && code.ReturnsError(sig) {
		errIdx = sig.Results().Len() - 1
		if code.Discarded(stack, sc.call) {
			return "its error is discarded", true
		}
	} else {
		return "", false
	}
	var lhs ast.Expr
	switch p := parentOf(stack, val).(type) {
	case *ast.AssignStmt:
		if len(p.Rhs) == 1 && errIdx < len(p.Lhs) {
			lhs = p.Lhs[errIdx]
		}
	case *ast.ValueSpec:
		if len(p.Values) == 1 && errIdx < len(p.Names) {
			lhs = p.Names[errIdx]
		}
	}
	if lhs == nil {
		return "", false
	}
	if id, ok := lhs.(*ast.Ident); ok && id.Name == "_" {
		return "its error is discarded", true
	}
	v, ok := code.LocalVar(info, lhs)
	if !ok || code.NamedResult(info, fd, v) {
		return "", false
	}
	logged := false
	for _, u := range code.Uses(info, fd.Body, v) {
		if u.Ident.Pos() <= val.End() {
			continue
		}
		switch u.Kind {
		case code.UseAssigned:
			continue
		case code.UseOther:
			if _, blank := u.Parent().(*ast.AssignStmt); blank || nilCompare(u.Parent()) {
				continue // _ = err, err != nil
			}
			return "", false
		case code.UseArg, code.UseMethodCall:
			if inLogCall(info, u.Stack) {
				logged = true
				continue
			}
			return "", false
		default:
			return "", false
		}
	}
	if failureReturns(info, stack, val, v) {
		return "", false
	}
	if logged {
		return "its error is only logged", true
	}
	return "its error is never read", true
}

// parentOf returns the node above n in stack, parentheses skipped.
func parentOf(stack []ast.Node, n ast.Node) ast.Node {
	for i := len(stack) - 1; i > 0; i-- {
		if stack[i] != n {
			continue
		}
		if p, ok := stack[i-1].(*ast.ParenExpr); ok {
			return parentOf(stack[:i], p)
		}
		return stack[i-1]
	}
	return nil
}

// nilCompare reports whether n is a comparison with nil.
func nilCompare(n ast.Node) bool {
	b, ok := n.(*ast.BinaryExpr)
	if !ok || (b.Op != token.NEQ && b.Op != token.EQL) {
		return false
	}
	for _, side := range [2]ast.Expr{b.X, b.Y} {
		if id, ok := ast.Unparen(side).(*ast.Ident); ok && id.Name == "nil" {
			return true
		}
	}
	return false
}

// logPrefixes start the names of calls that log or report an error and go
// on (klog.Errorln, log.Printf, logger.Warn, zap's Error field,
// sentry.CaptureException); fmt.Errorf and the errors package wrap, and
// Fatal or Panic end the run, so they are not logging here.
var logPrefixes = []string{"Print", "Error", "Warn", "Info", "Debug", "Log", "Trace", "Notice", "Msg", "Err", "Capture", "RecordError", "Any"}

// inLogCall reports whether the use at the end of stack sits in the
// arguments of a logging call, before any statement boundary.
func inLogCall(info *types.Info, stack []ast.Node) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		switch x := stack[i].(type) {
		case ast.Stmt:
			return false
		case *ast.CallExpr:
			fn := code.Callee(info, x)
			if fn != nil && fn.Pkg() != nil && (fn.Pkg().Path() == "fmt" && strings.HasPrefix(fn.Name(), "Errorf") || fn.Pkg().Path() == "errors") {
				return false
			}
			name := code.CallName(x)
			if j := strings.LastIndexByte(name, '.'); j >= 0 {
				name = name[j+1:]
			}
			for _, p := range logPrefixes {
				if strings.HasPrefix(name, p) {
					return true
				}
			}
		}
	}
	return false
}

// failureReturns reports whether the branch taken when the mark failed
// returns a value or panics: the caller learns of the failure.
func failureReturns(info *types.Info, stack []ast.Node, val ast.Node, v code.Var) bool {
	assign := parentOf(stack, val)
	var ifs *ast.IfStmt
	for i, n := range stack {
		if n == assign {
			ifs = code.FailureBranch(info, stack[:i+1], assign)
		}
	}
	if ifs == nil {
		// if err = mark(); err != nil with the assignment as the init.
		for i := len(stack) - 1; i >= 0; i-- {
			if x, ok := stack[i].(*ast.IfStmt); ok && x.Init == assign && code.Mentions(info, x.Cond, v) {
				ifs = x
			}
		}
	}
	if ifs == nil {
		return false
	}
	found := false
	ast.Inspect(ifs.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			found = found || len(x.Results) > 0
		case *ast.CallExpr:
			if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && id.Name == "panic" {
				found = true
			}
		}
		return !found
	})
	return found
}

// resendContext says what runs the marking write again, and whether that
// is evidence enough to post: an at-least-once entry of the package
// reaching it, a poll loop here or in a caller of the package, or a loop
// over rows named pending or unsent.
func resendContext(pass *analysis.Pass, model *program.Model, fd *ast.FuncDecl, mark, send *program.Effect, polled map[token.Pos]string) (string, bool) {
	for _, e := range model.Entries {
		if e.Delivery != program.AtLeastOnce || e.Guessed() || e.Summary == nil {
			continue
		}
		for _, eff := range e.Summary.Effects {
			if eff.Pos == mark.Pos && throughCall(eff, entryOrder(mark)) {
				return reachedFrom(pass.Fset, e, eff), true
			}
		}
	}
	if loop := pollLoopAround(pass.TypesInfo, fd.Body, entryOrder(send), entryOrder(mark)); loop {
		return fmt.Sprintf("in the poll loop of `%s`", fd.Name.Name), true
	}
	if p, ok := polled[entryOrder(mark)]; ok {
		return p, true
	}
	if name := pendingLoop(pass.TypesInfo, fd.Body, entryOrder(send), entryOrder(mark)); name != "" {
		return fmt.Sprintf("in `%s`'s loop over %s", fd.Name.Name, name), true
	}
	return fmt.Sprintf("in `%s`", fd.Name.Name), false
}

// throughCall reports whether an effect's chain passes the call at pos (or
// is the effect there).
func throughCall(eff program.Effect, pos token.Pos) bool {
	if eff.Pos == pos {
		return true
	}
	for _, s := range eff.Via {
		if s.Pos == pos {
			return true
		}
	}
	return false
}

// polledEffects maps each call on the chains that a poll loop of the
// package reaches (a for over a ticker, or with time.Sleep or a time
// channel receive in its body) to a phrase naming the loop.
func polledEffects(pass *analysis.Pass, model *program.Model, insp *inspector.Inspector) map[token.Pos]string {
	out := map[token.Pos]string{}
	for c := range insp.Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := c.Node().(*ast.FuncDecl)
		obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
		sum := model.SummaryOf(obj)
		if fd.Body == nil || sum == nil {
			continue
		}
		// Whether a poll loop holds a chain depends only on the chain's
		// first call: judged once per call, and not at all in a body
		// with no loop.
		var around map[token.Pos]bool
		for _, eff := range sum.Effects {
			if len(eff.Via) < 2 {
				continue
			}
			at := eff.Via[0].Pos
			if around == nil {
				around = map[token.Pos]bool{}
				if !hasLoop(fd.Body) {
					break
				}
			}
			polled, ok := around[at]
			if !ok {
				polled = pollLoopAround(pass.TypesInfo, fd.Body, at, at)
				around[at] = polled
			}
			if !polled {
				continue
			}
			for i, s := range eff.Via[1:] {
				if out[s.Pos] == "" {
					out[s.Pos] = fmt.Sprintf("called from the poll loop of `%s` (%s)%s", fd.Name.Name, program.ShortPos(pass.Fset, fd.Pos()), via(eff.Via[:i+1]))
				}
			}
		}
	}
	return out
}

// hasLoop reports whether body holds a for or range statement outside its
// function literals: where pollLoopAround can find a loop.
func hasLoop(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			found = true
		}
		return !found
	})
	return found
}

// pollLoopAround reports whether a loop of body that waits on a timer
// between rounds holds both positions.
func pollLoopAround(info *types.Info, body *ast.BlockStmt, a, b token.Pos) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt:
			found = code.Contains(x.Body, a) && code.Contains(x.Body, b) && pollLoop(info, x.Body)
		case *ast.RangeStmt:
			found = code.Contains(x.Body, a) && code.Contains(x.Body, b) && (timeChan(info.TypeOf(x.X)) || pollLoop(info, x.Body))
		}
		return !found
	})
	return found
}

// pendingWords name a collection of rows still to send.
var pendingWords = []string{"pending", "unsent", "notsent", "queued", "undelivered", "notdelivered", "unnotified", "notnotified", "unprocessed", "outstanding", "due", "retry", "retries"}

// pendingLoop returns the name of the collection a range loop around both
// positions walks when its name (or the call that filled it) says it holds
// rows still to send; "" otherwise.
func pendingLoop(info *types.Info, body *ast.BlockStmt, a, b token.Pos) string {
	name := ""
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.RangeStmt:
			if !code.Contains(x.Body, a) || !code.Contains(x.Body, b) {
				return true
			}
			names := []string{types.ExprString(x.X)}
			if v, ok := code.LocalVar(info, x.X); ok {
				code.AnyAssignment(body, func(lhs, rhs ast.Expr) bool {
					if call, ok := ast.Unparen(rhs).(*ast.CallExpr); ok && v.Is(info, lhs) {
						names = append(names, code.CallName(call))
					}
					return false
				})
			}
			for _, s := range names {
				l := strings.ToLower(strings.NewReplacer("_", "", ".", " ").Replace(s))
				for _, w := range pendingWords {
					if strings.Contains(l, w) && (w != "due" || code.OneOf("due", code.IdentWords(s)...)) {
						name = "`" + s + "`"
					}
				}
			}
		}
		return name == ""
	})
	return name
}

// markWhat names what a marking write records: its table, or the call.
func markWhat(mark *program.Effect) string {
	if t := tableOf(mark.Detail); t != "" {
		return "a row of " + t
	}
	return "the row"
}

// tableOf returns the table of an effect's detail ("UPDATE t", "INSERT INTO t").
func tableOf(detail string) string {
	for _, p := range []string{"UPDATE ", "INSERT INTO ", "DELETE FROM "} {
		if t, ok := strings.CutPrefix(detail, p); ok {
			return t
		}
	}
	return ""
}

// describeSend names a send with the chain that makes it.
func describeSend(send *program.Effect) string {
	s := describeWrite(send)
	if len(send.Via) > 0 {
		s += via(send.Via)
	}
	return s
}
