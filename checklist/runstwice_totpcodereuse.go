package checklist

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/internal/sqltext"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func totpCodeReuseCheck() *Check {
	return &Check{
		Question: finding.RunsTwice,
		Severity: finding.SeverityWarning,
		Title:    "TOTP code accepted without recording it as used, so it works again within its window",
		Rationale: "A time-based one-time password stays valid for its whole time step (30 seconds, and a step " +
			"either side with the usual skew). The verification functions of the Go libraries hold nothing " +
			"between calls, so a code that signed someone in signs in again until the window closes: an " +
			"attacker who sees it (over a shoulder, through a phishing proxy, in a logged request) replays " +
			"it, and two requests racing with one code both get a session. RFC 6238 section 5.2 says a " +
			"verifier must not accept the second attempt of an OTP after a successful validation. The check " +
			"reports pquerna/otp's totp.Validate and ValidateCustom, xlzd/gotp's TOTP.Verify and VerifyTime, " +
			"and dgryski/dgoogauth's OTPConfig.Authenticate when a branch on the result leads to a grant " +
			"(a session, a token, a cookie, a login), in the function or in a caller that takes its " +
			"verdict (up to three levels of the package's callers, while each hands the verdict on), and nothing there records the code: no write whose name, key, SQL or " +
			"arguments speak of the code, OTP, passcode, step or counter or of it being used, no field " +
			"such as LastUsedStep or UsedAt set, no repository call named so down the program model's " +
			"chains. Left alone: dgoogauth where the package sets or restores DisallowReuse (or keeps a " +
			"HOTP counter), a result nobody branches on, a success that grants nothing in sight " +
			"(enrolling a device, disabling 2FA), and code that runs once or only in tests. A wrapper of " +
			"the library in one package and a sign-in service in another are followed through facts to " +
			"the handler that reaches them; the finding stays on the library call.",
		Fix: "Store the accepted time step per user and refuse a step at or below it (UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1, checking one row changed), or keep the used code in a cache with SETNX until its window closes; with dgoogauth, persist the config's DisallowReuse.",
		Bad: `if !totp.Validate(req.Code, user.TOTPSecret) {
	return ErrInvalidCode
}
return s.sessions.Create(ctx, user.ID)`,
		Good: `step := uint64(time.Now().Unix() / 30)
if !totp.Validate(req.Code, user.TOTPSecret) {
	return ErrInvalidCode
}
res, err := s.db.ExecContext(ctx,
	"UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1", step, user.ID)
if n, _ := res.RowsAffected(); err != nil || n != 1 {
	return ErrCodeUsed // this code, or a later one, was used already
}
return s.sessions.Create(ctx, user.ID)`,
		Analyzer: totpCodeReuseAnalyzer,
	}
}

var totpCodeReuseAnalyzer = &analysis.Analyzer{
	Name:             "totp_code_reuse",
	Doc:              "reports a TOTP verification whose success grants something while nothing records the accepted code or time step",
	Requires:         []*analysis.Analyzer{program.Analyzer, program.WhereAnalyzer, code.CallsAnalyzer},
	RunDespiteErrors: true,
	FactTypes:        []analysis.Fact{new(otpVerifier)},
	Run:              runTOTPCodeReuse,
}

// otpVerifier is the fact of an exported function of the module that
// verifies a TOTP code and records nothing, for its callers in other
// packages: either it hands the verdict on (a bool or an error), and a
// caller that grants on it is judged as if it made the library call; or
// it grants itself (Grants) but no request handler of its package reaches
// it, and a caller is judged by where it runs.
type otpVerifier struct {
	Lib    string    // the library call, as messages name it
	Pos    token.Pos // where it is
	Via    string    // the functions between the caller and it: "mfa.ValidCode"
	Grants bool
}

// AFact marks otpVerifier as an analysis fact.
func (*otpVerifier) AFact() {}

func (v *otpVerifier) String() string {
	if v.Grants {
		return "grants on a TOTP code checked with " + v.Lib
	}
	return "verifies a TOTP code with " + v.Lib
}

// otpSite is a call that verifies a one-time password in a declared
// function of the package: a library call, or a call of another package's
// function that makes one (at is then that library call).
type otpSite struct {
	gate   otpGate
	lib    string    // the library call, as messages name it
	via    string    // the other packages' functions called, or ""
	at     token.Pos // the library call
	grants bool      // the function called grants itself
}

// otpGate is where a verdict is acted on: the call that gives it (the
// verification, or a helper that hands it on) in a function.
type otpGate struct {
	call *ast.CallExpr
	c    inspector.Cursor
	file *ast.File
	fd   *ast.FuncDecl
}

func runTOTPCodeReuse(pass *analysis.Pass) (any, error) {
	info := pass.TypesInfo
	if info == nil {
		return nil, nil
	}
	calls := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	model := pass.ResultOf[program.Analyzer].(*program.Model)
	where := whereOf(pass)
	var sites []otpSite
	for file, c := range calls.All() {
		call := c.Node().(*ast.CallExpr)
		fd, ok := outerDecl(c)
		if !ok || fd.Body == nil || code.IsTestFile(pass.Fset, call.Pos()) {
			continue
		}
		gate := otpGate{call: call, c: c, file: file, fd: fd}
		if lib := otpVerifyName(info, call); lib != "" {
			sites = append(sites, otpSite{gate: gate, lib: lib, at: call.Pos()})
			continue
		}
		var v otpVerifier
		if fn := code.Callee(info, call); fn != nil && fn.Pkg() != pass.Pkg && pass.ImportObjectFact(fn.Origin(), &v) {
			via := fn.Pkg().Name() + "." + program.FuncName(fn)
			if v.Via != "" {
				via += "` → `" + v.Via
			}
			sites = append(sites, otpSite{gate: gate, lib: v.Lib, via: via, at: v.Pos, grants: v.Grants})
		}
	}
	if len(sites) == 0 {
		return nil, nil
	}
	served := servedFuncs(pass, calls, model)
	reuseGuard := mentionsField(pass, "github.com/dgryski/dgoogauth", "DisallowReuse", "HotpCounter")
	for _, s := range sites {
		if where.Quiet(s.gate.c) || (strings.HasPrefix(s.lib, "dgoogauth") && reuseGuard) {
			continue
		}
		judgeOTPSite(pass, calls, model, where, served, s)
	}
	return nil, nil
}

// judgeOTPSite reports a verification whose success grants, in its own
// function or in the package's callers that take its verdict, with no
// record of the code in either. An exported function that hands the
// verdict on, granting and recording nothing itself, gets an otpVerifier
// fact for its callers in other packages.
func judgeOTPSite(pass *analysis.Pass, calls *code.Calls, model *program.Model, where *program.Where, served servedSet, s otpSite) {
	info := pass.TypesInfo
	self := s.gate
	fn := declFunc(info, self.fd)
	gated, carried := verdictUse(info, self.fd, self.call)
	var callers, grants []otpGate // grants: gates followed by a grant
	if fn != nil {
		callers = callersOf(calls, fn)
	}
	grantsItself := s.grants || gated && otpGrantAfter(info, self.fd.Body, self.call) != nil
	if grantsItself {
		grants = append(grants, self)
	}
	if carried && !s.grants {
		// Up the package's callers that take the verdict, as long as each
		// hands it on (Passcode.Valid → User.VerifyPasscode → the login).
		visited := map[*ast.FuncDecl]bool{self.fd: true}
		level := callers
		for depth := 0; depth < 3 && len(level) > 0; depth++ {
			var next []otpGate
			for _, g := range level {
				if visited[g.fd] {
					continue
				}
				visited[g.fd] = true
				ok, handsOn := verdictUse(info, g.fd, g.call)
				if !ok && !handsOn {
					continue
				}
				if ok && !where.Quiet(g.c) && otpGrantAfter(info, g.fd.Body, g.call) != nil {
					grants = append(grants, g)
					continue
				}
				if handsOn && depth < 2 {
					if up := declFunc(info, g.fd); up != nil {
						callers = append(callers, callersOf(calls, up)...)
						next = append(next, callersOf(calls, up)...)
					}
				}
			}
			level = next
		}
	}
	// Anything that records the code, in the function, in what it calls,
	// or in one level of the package's callers, clears it.
	if recordedIn(info, model, self, self.call) {
		return
	}
	exported := fn != nil && fn.Exported()
	if len(grants) == 0 {
		if carried && exported {
			pass.ExportObjectFact(fn.Origin(), &otpVerifier{Lib: s.lib, Pos: s.at, Via: s.via})
		}
		return
	}
	for _, g := range callers {
		if recordedIn(info, model, g, self.call) {
			return
		}
	}
	var handler *otpGate
	for i, g := range grants {
		if served.at(info, g.file, g.c) {
			handler = &grants[i]
			break
		}
	}
	if handler == nil && grantsItself && exported && len(grants) == 1 {
		// A service method no handler of its package reaches: its callers
		// in other packages say where it runs.
		pass.ExportObjectFact(fn.Origin(), &otpVerifier{Lib: s.lib, Pos: s.at, Via: s.via, Grants: true})
		return
	}
	reportOTPReuse(pass, s, grants, handler)
}

// reportOTPReuse reports the library call of s, granted on at grants:
// posted when handler (one of them that serves requests) is known, info
// otherwise.
func reportOTPReuse(pass *analysis.Pass, s otpSite, grants []otpGate, handler *otpGate) {
	through := ""
	if s.via != "" {
		through = fmt.Sprintf(" (called through `%s`)", s.via)
	}
	msg := fmt.Sprintf("`%s`%s accepts the code and nothing records it as used (no write of the code or its time step, no LastUsed field set), so the same code is accepted again until its window closes: a replayed or intercepted code signs in a second time, and two requests racing with one code both succeed (RFC 6238 section 5.2). Store the accepted time step per user and refuse a step at or below it (or keep the used code in a cache until it expires) before granting", s.lib, through)
	var related []analysis.RelatedInformation
	for _, g := range grants {
		if g.call != s.gate.call || s.via != "" {
			related = append(related, analysis.RelatedInformation{Pos: g.call.Pos(), Message: "verdict taken by " + g.fd.Name.Name})
		}
	}
	cat := ""
	if handler != nil {
		msg += fmt.Sprintf("; `%s` serves requests", handler.fd.Name.Name)
		// A sign-in's second step is reached before anyone is logged in;
		// a code asked again of a user already logged in (to turn 2FA
		// off, to change the password) is replayed only from inside that
		// session: info where every granting handler seen on a route is
		// registered behind a login check (read T judged such a step-up
		// check not worth a comment).
		var keys []string
		for _, g := range grants {
			if fn := declFunc(pass.TypesInfo, g.fd); fn != nil {
				keys = append(keys, program.HandlerKey(fn))
			}
		}
		if len(keys) > 0 {
			cat = OnlyLoggedIn(keys...)
		}
	} else {
		cat = AtMostInfo
		msg += " (info: no request handler of the package is seen reaching it)"
	}
	pass.Report(analysis.Diagnostic{Pos: s.at, Message: msg, Category: cat, Related: related})
}

// recordedIn reports whether the function of g records a used code, in its
// body or in what it calls (the program model's writes).
func recordedIn(info *types.Info, model *program.Model, g otpGate, verify *ast.CallExpr) bool {
	return recordsOTP(info, g.fd.Body, verify) || recordedBelow(model.SummaryOf(declFunc(info, g.fd)))
}

// otpVerifyName names the call if it verifies a time-based one-time
// password with a library that remembers nothing between calls.
func otpVerifyName(info *types.Info, call *ast.CallExpr) string {
	fn := code.Callee(info, call)
	switch {
	case code.IsPkgFunc(fn, "github.com/pquerna/otp/totp", "Validate", "ValidateCustom"):
		return "totp." + fn.Name()
	case code.IsMethod(fn, "github.com/xlzd/gotp", "TOTP", "Verify", "VerifyTime"):
		return "gotp TOTP." + fn.Name()
	case code.IsMethod(fn, "github.com/dgryski/dgoogauth", "OTPConfig", "Authenticate"):
		return "dgoogauth OTPConfig.Authenticate"
	}
	return ""
}

// declFunc returns the object of a declared function, or nil.
func declFunc(info *types.Info, fd *ast.FuncDecl) *types.Func {
	fn, _ := info.Defs[fd.Name].(*types.Func)
	return fn
}

// callersOf returns the calls of fn in the package's declared functions.
func callersOf(calls *code.Calls, fn *types.Func) []otpGate {
	var out []otpGate
	for file, c := range calls.Of(fn) {
		if fd, ok := outerDecl(c); ok && fd.Body != nil {
			out = append(out, otpGate{call: c.Node().(*ast.CallExpr), c: c, file: file, fd: fd})
		}
	}
	return out
}

// verdictUse says how fd uses the verdict of call: gated, when an if
// condition reads it (the call itself, or a variable it is assigned to);
// carried, when fd hands it to its caller (returns it, or returns from
// the failing branch, with a bool or error result).
func verdictUse(info *types.Info, fd *ast.FuncDecl, call *ast.CallExpr) (gated, carried bool) {
	vars := resultVars(info, fd.Body, call)
	reads := func(e ast.Node) bool {
		if code.Contains(e, call.Pos()) {
			return true
		}
		for _, v := range vars {
			if code.Mentions(info, e, v) {
				return true
			}
		}
		return false
	}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.IfStmt:
			if reads(x.Cond) {
				gated = true
				if negative(x.Cond) && endsInReturn(x.Body) {
					carried = carried || verdictResult(info, fd)
				}
			}
		case *ast.ReturnStmt:
			for _, r := range x.Results {
				if reads(r) {
					carried = carried || verdictResult(info, fd)
				}
			}
		}
		return true
	})
	return gated, carried
}

// resultVars are the variables call's results are assigned to in body.
func resultVars(info *types.Info, body *ast.BlockStmt, call *ast.CallExpr) []code.Var {
	var out []code.Var
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 || ast.Unparen(as.Rhs[0]) != call {
			return true
		}
		for _, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
				out = append(out, code.VarOf(info, id))
			}
		}
		return false
	})
	return out
}

// verdictResult reports whether fd returns a bool or an error, the shapes
// in which a helper hands a verdict on.
func verdictResult(info *types.Info, fd *ast.FuncDecl) bool {
	fn := declFunc(info, fd)
	if fn == nil {
		return false
	}
	res := fn.Type().(*types.Signature).Results()
	for i := range res.Len() {
		t := res.At(i).Type()
		if b, ok := t.Underlying().(*types.Basic); (ok && b.Kind() == types.Bool) || isErrorType(t) {
			return true
		}
	}
	return false
}

// negative reports whether an if condition holds when the verdict fails:
// !ok, ok == false, err != nil (one of its || operands will do).
func negative(cond ast.Expr) bool {
	switch x := ast.Unparen(cond).(type) {
	case *ast.UnaryExpr:
		return x.Op == token.NOT
	case *ast.BinaryExpr:
		switch x.Op {
		case token.LOR:
			return negative(x.X) || negative(x.Y)
		case token.NEQ:
			return isNilIdent(x.Y) || isNilIdent(x.X)
		case token.EQL:
			return identNamed(x.Y, "false") || identNamed(x.X, "false")
		}
	}
	return false
}

// identNamed reports whether e is an identifier with the name.
func identNamed(e ast.Expr, name string) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == name
}

// otpGrantWords name what a second factor grants: a session, a token, a
// cookie, a login.
var otpGrantWords = map[string]bool{"session": true, "sessions": true, "token": true, "tokens": true, "jwt": true,
	"cookie": true, "cookies": true, "login": true, "signin": true, "signed": true, "issue": true, "mint": true, "grant": true}

// otpGrantAfter returns the first call in body after gate, outside the
// branches taken when the verdict fails, whose name says it grants, or a
// return of a success result (an LDAP bind's ldap.LDAPResultSuccess,
// auth.Success): the function's caller grants on it.
func otpGrantAfter(info *types.Info, body *ast.BlockStmt, gate *ast.CallExpr) ast.Node {
	var found ast.Node
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		if found != nil {
			return false
		}
		switch x := n.(type) {
		case *ast.IfStmt:
			if x.Pos() > gate.End() && negative(x.Cond) && endsInReturn(x.Body) {
				// A failing branch grants nothing; its else may.
				if x.Else != nil {
					ast.Inspect(x.Else, visit)
				}
				return false
			}
		case *ast.CallExpr:
			if x.Pos() > gate.End() && grants(info, x) {
				found = x
				return false
			}
		case *ast.ReturnStmt:
			if x.Pos() > gate.End() && returnsSuccess(x) {
				found = x
				return false
			}
		}
		return true
	}
	ast.Inspect(body, visit)
	return found
}

// returnsSuccess reports whether ret returns a named success result: a
// constant or variable whose name ends in Success (ldap.LDAPResultSuccess,
// AuthSuccess).
func returnsSuccess(ret *ast.ReturnStmt) bool {
	for _, r := range ret.Results {
		name := ""
		switch x := ast.Unparen(r).(type) {
		case *ast.Ident:
			name = x.Name
		case *ast.SelectorExpr:
			name = x.Sel.Name
		}
		if strings.HasSuffix(name, "Success") {
			return true
		}
	}
	return false
}

// grants reports whether a call's name, or the field or variable it is
// called on, says it grants something: issueToken, SetCookie,
// s.sessions.Create.
func grants(info *types.Info, call *ast.CallExpr) bool {
	if otpVerifyName(info, call) != "" {
		return false
	}
	name := code.CallName(call)
	if recv, _, ok := code.Selector(call); ok {
		if id := code.LastName(recv); id != "" {
			name = id + "_" + name
		}
	}
	for _, w := range code.IdentWords(name) {
		if otpGrantWords[w] {
			return true
		}
	}
	return false
}

// otpWords name a one-time code, its time step or counter; usedWords say a
// code was used.
var (
	otpWords  = map[string]bool{"otp": true, "otps": true, "totp": true, "hotp": true, "passcode": true, "code": true, "codes": true, "step": true, "counter": true, "timestep": true}
	usedWords = map[string]bool{"used": true, "consumed": true, "redeemed": true, "seen": true, "spent": true, "replay": true, "reuse": true}
	// storeVerbs start or name a call that writes.
	storeVerbs = map[string]bool{"set": true, "setnx": true, "setex": true, "put": true, "add": true, "insert": true, "store": true,
		"save": true, "record": true, "mark": true, "remember": true, "use": true, "consume": true, "burn": true, "create": true,
		"update": true, "updates": true, "exec": true, "incr": true, "sadd": true, "hset": true, "upsert": true, "cache": true}
)

// anyWord reports whether s holds a word of one of the sets.
func anyWord(s string, sets ...map[string]bool) bool {
	for _, w := range code.TextWords(s) {
		for _, set := range sets {
			if set[w] {
				return true
			}
		}
	}
	return false
}

// recordName reports whether a field or variable name speaks of a used
// code: LastUsedStep, UsedAt, usedCodes, LastOTP, LastCounter (last with a
// code word), not LastLogin.
func recordName(name string) bool {
	words := code.IdentWords(name)
	last := slices.Contains(words, "last")
	for _, w := range words {
		if usedWords[w] || (last && otpWords[w]) {
			return true
		}
	}
	return false
}

// recordsOTP reports whether body records a code as used: it sets a field
// or map entry so named, or calls a write whose name, SQL or arguments
// speak of the code or of its use. verify itself does not count.
func recordsOTP(info *types.Info, body *ast.BlockStmt, verify *ast.CallExpr) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch x := n.(type) {
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				found = found || assignedRecord(l)
			}
		case *ast.IncDecStmt:
			found = assignedRecord(x.X)
		case *ast.KeyValueExpr:
			if id, ok := x.Key.(*ast.Ident); ok && recordName(id.Name) {
				found = true
			}
		case *ast.CallExpr:
			found = x != verify && writesOTP(info, body, x)
		}
		return !found
	})
	return found
}

// assignedRecord reports whether an assignment's left side is a record of
// a used code: a field or variable named so, or an entry of a map whose
// name or key speaks of codes or their use.
func assignedRecord(l ast.Expr) bool {
	switch x := ast.Unparen(l).(type) {
	case *ast.Ident:
		return recordName(x.Name)
	case *ast.SelectorExpr:
		return recordName(x.Sel.Name)
	case *ast.IndexExpr:
		return anyWord(types.ExprString(x.X), otpWords, usedWords) || anyWord(types.ExprString(x.Index), otpWords, usedWords)
	}
	return false
}

// writesOTP reports whether a call writes a record of a code: its name
// starts or ends with a store verb and its name, SQL or arguments speak of
// codes, steps or use (MarkOTPUsed, rdb.SetNX(ctx, "totp:"+code, ...)).
func writesOTP(info *types.Info, body *ast.BlockStmt, call *ast.CallExpr) bool {
	name := code.CallName(call)
	words := code.IdentWords(name)
	if len(words) == 0 || !(storeVerbs[words[0]] || storeVerbs[words[len(words)-1]]) {
		return false
	}
	if anyWord(name, otpWords, usedWords) {
		return true
	}
	if s, ok := sqltext.Statement(info, body, call); ok && anyWord(s, otpWords, usedWords) {
		return true
	}
	for _, a := range call.Args {
		if s, ok := sqltext.String(info, body, a); ok && anyWord(s, otpWords, usedWords) {
			return true
		}
		if anyWord(types.ExprString(a), otpWords, usedWords) {
			return true
		}
	}
	return false
}

// recordedBelow reports whether a function's summary holds a database write
// that records a code: its table speaks of codes or their use, or the
// function on its chain that writes is named for recording one
// (SaveTOTPStep, MarkCodeUsed).
func recordedBelow(sum *program.Summary) bool {
	if sum == nil {
		return false
	}
	for i := range sum.Effects {
		e := &sum.Effects[i]
		if !isDBWrite(e) || e.Kind == program.Delete {
			continue
		}
		if anyWord(e.Detail, otpWords, usedWords) {
			return true
		}
		for _, s := range e.Via {
			if slices.ContainsFunc(code.TextWords(s.Name), func(w string) bool { return storeVerbs[w] }) && anyWord(s.Name, otpWords, usedWords) {
				return true
			}
		}
	}
	return false
}

// mentionsField reports whether the package's files name one of fields of
// a struct declared in the package at path, as a selector or a key of a
// composite literal: dgoogauth's DisallowReuse set or restored from
// storage, or its HotpCounter kept.
func mentionsField(pass *analysis.Pass, path string, fields ...string) bool {
	found := false
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if found {
				return false
			}
			var id *ast.Ident
			switch x := n.(type) {
			case *ast.SelectorExpr:
				id = x.Sel
			case *ast.KeyValueExpr:
				id, _ = x.Key.(*ast.Ident)
			}
			if id == nil || !code.OneOf(id.Name, fields...) {
				return true
			}
			if v, ok := pass.TypesInfo.ObjectOf(id).(*types.Var); ok && v.Pkg() != nil && v.Pkg().Path() == path {
				found = true
			}
			return !found
		})
	}
	return found
}
