package checklist

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"unicode"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func dualWriteCheck() *Check {
	return &Check{
		ID:       "dual-write",
		Question: finding.FailsHalfway,
		Severity: finding.SeverityInfo,
		Title:    "database write and a publish or outbound POST on one handler path, with no transaction or outbox",
		Rationale: "A handler that writes a row and then publishes an event (or POSTs to another service) makes two " +
			"writes that cannot commit together. When the process dies, the broker is down or the request times " +
			"out between them, the row exists and the event is never sent, or the event is sent for a row that " +
			"was rolled back: the two systems disagree and nothing repairs it. The check follows the handler's " +
			"calls through the module and reports the second write when nothing on the path opens a transaction " +
			"or writes an outbox row. An outbound POST is reported only before a database write (the peer acted, " +
			"then recording it failed); a row written and then announced over HTTP is how services usually " +
			"federate and send webhooks, and is left alone. A POST that reads or authenticates is no write: one " +
			"whose URL or calling function names a check, a verification, a token, login or OAuth exchange, an " +
			"OCSP request, an introspection, a search or a query. In a poll loop (a ticker, time.After or " +
			"time.Sleep between rounds) the check also reports a send followed by the database write that marks " +
			"it sent: a failed mark sends again on the next tick. Marking (claiming) first and sending after is " +
			"the at-most-once choice and is left alone, and so is a send in a goroutine started on the way (a " +
			"mail pool's worker): it is off the handler's path. On an entry recognised only by its name the " +
			"finding is info.",
		Fix: "Write the event to an outbox table in the same transaction as the row and publish from the outbox; or make the second write retryable and idempotent and record that it is pending.",
		Bad: `func (h *Handler) CreateOrder(w http.ResponseWriter, r *http.Request) {
	id, err := h.orders.Insert(r.Context(), o)
	...
	h.nc.Publish("orders.created", encode(id))
}`,
		Good: `func (h *Handler) CreateOrder(w http.ResponseWriter, r *http.Request) {
	tx, _ := h.db.BeginTx(r.Context(), nil)
	defer tx.Rollback()
	id, err := h.orders.InsertTx(r.Context(), tx, o)
	...
	_, err = tx.ExecContext(r.Context(), "INSERT INTO outbox (topic, payload) VALUES ($1, $2)", "orders.created", encode(id))
	...
	tx.Commit() // a relay publishes from the outbox
}`,
		Analyzer: dualWriteAnalyzer,
	}
}

var dualWriteAnalyzer = &analysis.Analyzer{
	Name:             "dual_write",
	Doc:              "reports a database write and a publish or outbound POST on one handler path with no transaction or outbox",
	Requires:         []*analysis.Analyzer{program.Analyzer, inspect.Analyzer},
	RunDespiteErrors: true,
	Run:              runDualWrite,
}

func runDualWrite(pass *analysis.Pass) (any, error) {
	model := pass.ResultOf[program.Analyzer].(*program.Model)
	done := map[token.Pos]bool{}
	for _, e := range model.Entries {
		if e.Summary == nil || e.Summary.Tx || (e.Delivery != program.AtLeastOnce && e.Delivery != program.Concurrent) {
			continue
		}
		db, out := dualWrites(e.Summary.Effects)
		if db == nil || out == nil {
			continue
		}
		first, second := db, out
		if entryOrder(second) < entryOrder(first) {
			first, second = second, first
		} else if out.Kind == program.HTTPOut {
			// A row written and then a peer notified over HTTP is how most
			// services federate and send webhooks, and a sweeper usually
			// resends; the reverse order (the peer acts, then the record of
			// it fails) loses track of a side effect that already happened.
			continue
		}
		if done[second.Pos] {
			continue
		}
		done[second.Pos] = true
		msg := fmt.Sprintf("%s after %s on the path of the %s `%s` (%s)%s, with no transaction or outbox; if one fails after the other commits, the two disagree. Write the event to an outbox in the same transaction, or make the second write retryable",
			describeWrite(second), describeWrite(first), e.Label, e.Name, program.ShortPos(pass.Fset, e.Pos), via(second.Via))
		cat := dualWriteCap(pass, e, first, second)
		if stored := codeSent(e.Summary.Effects, second); stored != "" {
			// The row is the code the message delivers: a lost message
			// leaves an unused code that expires, and the user asks again.
			cat = AtMostInfo
			msg += " (info: the path stores a one-time code or token (" + stored + ") that this message delivers; if the send fails the code goes unused and the user asks for another)"
		}
		pass.Report(analysis.Diagnostic{Pos: second.Pos, Message: msg, Related: chainRelated(e, *second), Category: cat})
	}
	sendThenMark(pass, model, done)
	return nil, nil
}

// sendThenMark reports, in a poll loop (a loop driven by a ticker, a
// time.Tick or time.After channel, or a time.Sleep), a send (publish,
// outbound POST, e-mail) followed by a database write that records it, with
// no transaction, outbox or dedupe guard: when the mark fails the next tick
// sends again. Marking first (claiming the row) and then sending is the
// at-most-once choice and is left alone.
func sendThenMark(pass *analysis.Pass, model *program.Model, done map[token.Pos]bool) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for c := range insp.Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := c.Node().(*ast.FuncDecl)
		obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
		sum := model.SummaryOf(obj)
		if fd.Body == nil || sum == nil || sum.Tx || sum.Deduped || !sendsAndWrites(sum.Effects) {
			continue // no loop of this function can send then record
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			var body *ast.BlockStmt
			switch x := n.(type) {
			case *ast.ForStmt:
				body = x.Body
			case *ast.RangeStmt:
				body = x.Body
				if timeChan(pass.TypesInfo.TypeOf(x.X)) {
					reportSendThenMark(pass, fd, sum.Effects, body, done)
					return false
				}
			case *ast.FuncLit:
				return false
			}
			if body != nil && pollLoop(pass.TypesInfo, body) {
				reportSendThenMark(pass, fd, sum.Effects, body, done)
				return false
			}
			return true
		})
	}
}

// sendsAndWrites reports whether effects hold both a remote write and a
// database write, which reportSendThenMark needs before it reports.
func sendsAndWrites(effects []program.Effect) bool {
	send, write := false, false
	for i := range effects {
		send = send || isRemoteWrite(&effects[i])
		write = write || isDBWrite(&effects[i])
	}
	return send && write
}

// reportSendThenMark reports the first database write after the first send
// among the effects whose path starts inside body.
func reportSendThenMark(pass *analysis.Pass, fd *ast.FuncDecl, effects []program.Effect, body *ast.BlockStmt, done map[token.Pos]bool) {
	var send *program.Effect
	for i := range effects {
		e := &effects[i]
		if at := entryOrder(e); at < body.Pos() || at >= body.End() {
			continue
		}
		if isDBWrite(e) && strings.Contains(strings.ToLower(e.Detail), "outbox") {
			return
		}
		if send == nil && isRemoteWrite(e) {
			send = e
		}
	}
	if send == nil {
		return
	}
	var mark *program.Effect
	for i := range effects {
		e := &effects[i]
		if at := entryOrder(e); at > entryOrder(send) && at < body.End() && isDBWrite(e) && (mark == nil || at < entryOrder(mark)) {
			mark = e
		}
	}
	if mark == nil || done[mark.Pos] {
		return
	}
	done[mark.Pos] = true
	pass.Report(analysis.Diagnostic{
		Pos: mark.Pos,
		Message: fmt.Sprintf("%s records %s only after it is sent, in the poll loop of `%s` (%s)%s, with no transaction or dedupe key; if recording fails, the next tick sends it again. Claim the row first (UPDATE ... SET state = 'sending' ... RETURNING), or send with an idempotency key",
			describeWrite(mark), describeWrite(send), fd.Name.Name, program.ShortPos(pass.Fset, fd.Pos()), via(mark.Via)),
	})
}

// pollLoop reports whether a loop body waits on a timer between rounds: a
// receive from a time channel (ticker.C, time.After) or a time.Sleep.
func pollLoop(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.UnaryExpr:
			if x.Op == token.ARROW && timeChan(info.TypeOf(x.X)) {
				found = true
			}
		case *ast.CallExpr:
			if fn, ok := typeutil.Callee(info, x).(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == "time" && fn.Name() == "Sleep" {
				found = true
			}
		}
		return !found
	})
	return found
}

// timeChan reports whether t is a channel of time.Time.
func timeChan(t types.Type) bool {
	ch, ok := types.Unalias(t).(*types.Chan)
	if !ok {
		return false
	}
	n, ok := types.Unalias(ch.Elem()).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time" && n.Obj().Name() == "Time"
}

// dualWrites returns the first database write and the first remote write
// among effects, or nils when an outbox row is written on the path.
func dualWrites(effects []program.Effect) (db, out *program.Effect) {
	for i := range effects {
		eff := &effects[i]
		if eff.Async {
			continue // a worker goroutine's send is not on the handler's path
		}
		switch {
		case isDBWrite(eff):
			if strings.Contains(strings.ToLower(eff.Detail), "outbox") {
				return nil, nil
			}
			if db == nil {
				db = eff
			}
		case isRemoteWrite(eff) && out == nil:
			out = eff
		}
	}
	return db, out
}

// codeSent returns, when send is an e-mail or SMS, the name of a database
// write before it on the entry's path that stores a one-time code or token
// (UpsertOTP, SaveLoginCode, INSERT INTO verification_tokens): the message
// delivers the code, so the two need no outbox. "" otherwise.
func codeSent(effects []program.Effect, send *program.Effect) string {
	if send.Kind != program.Email {
		return ""
	}
	// Every write before the message must store the code: a row written
	// beside it (the account the code confirms) is left behind when the
	// message fails, and that is the dual write.
	found := ""
	for i := range effects {
		e := &effects[i]
		if !isDBWrite(e) || entryOrder(e) > entryOrder(send) {
			continue
		}
		name := ""
		if oneTimeCode(e.Detail) {
			name = e.Detail
		}
		for _, s := range e.Via {
			if name == "" && oneTimeCode(s.Name) {
				name = s.Name
			}
		}
		if name == "" {
			return ""
		}
		if found == "" {
			found = name
		}
	}
	return found
}

// oneTimeCodeWords name a one-time code or token by themselves; codeWords
// name one beside a word of codeContext (a login code, an SMS pin, a reset
// hex: random tokens are often named for their encoding).
var (
	oneTimeCodeWords = map[string]bool{"otp": true, "otps": true, "totp": true, "passcode": true, "passcodes": true,
		"token": true, "tokens": true, "verification": true, "verifications": true, "magic": true, "nonce": true, "nonces": true, "onetime": true}
	codeWords   = map[string]bool{"code": true, "codes": true, "pin": true, "pins": true, "hex": true, "hexes": true}
	codeContext = map[string]bool{"login": true, "signin": true, "verify": true, "confirm": true, "confirmation": true, "auth": true,
		"mfa": true, "sms": true, "email": true, "reset": true, "access": true, "one": true}
)

// oneTimeCode reports whether a name or a write's detail says it stores a
// one-time code or token, word by word.
func oneTimeCode(s string) bool {
	var words []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool {
		return !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r))
	}) {
		words = append(words, code.IdentWords(part)...)
	}
	isCode, inContext := false, false
	for _, w := range words {
		if oneTimeCodeWords[w] {
			return true
		}
		isCode = isCode || codeWords[w]
		inContext = inContext || codeContext[w]
	}
	return isCode && inContext
}

// via renders a chain as " via `a` → `b`", or "" for none.
func via(steps []program.Step) string {
	if len(steps) == 0 {
		return ""
	}
	names := make([]string, len(steps))
	for i, s := range steps {
		names[i] = "`" + s.Name + "`"
	}
	return " via " + strings.Join(names, " → ")
}

func isRemoteWrite(e *program.Effect) bool {
	switch e.Kind {
	case program.Publish, program.Payment, program.Email:
		return true
	case program.HTTPOut:
		if readPurpose(e.Target) {
			return false
		}
		for _, s := range e.Via {
			if readPurpose(s.Name) {
				return false
			}
		}
		return e.Detail == "POST" || e.Detail == "PUT" || e.Detail == "PATCH" || e.Detail == "DELETE"
	}
	return false
}

// readPurposeWords name requests that read or authenticate, though sent as
// a POST: an OCSP check, a code verification, a token or login exchange, a
// search.
var readPurposeWords = map[string]bool{
	"verify": true, "verification": true, "check": true, "validate": true, "validation": true,
	"token": true, "tokens": true, "login": true, "signin": true, "auth": true, "oauth": true,
	"authenticate": true, "authorize": true, "ocsp": true, "introspect": true, "search": true, "query": true,
}

// readPurpose reports whether a URL or a function name names a read or
// authentication purpose, word by word (an "authors" endpoint does not).
func readPurpose(s string) bool {
	for _, part := range strings.FieldsFunc(s, func(r rune) bool {
		return !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r))
	}) {
		for _, w := range code.IdentWords(part) {
			if readPurposeWords[w] {
				return true
			}
		}
	}
	return false
}

func describeWrite(e *program.Effect) string {
	switch e.Kind {
	case program.Publish:
		return "a publish (" + e.Detail + ")"
	case program.HTTPOut:
		return "an outbound " + e.Detail
	case program.Payment:
		return "a payment call (" + e.Detail + ")"
	case program.Email:
		return "an e-mail or SMS (" + e.Detail + ")"
	}
	if e.Detail != "" {
		return "a database write (" + e.Detail + ")"
	}
	return "a database write"
}
