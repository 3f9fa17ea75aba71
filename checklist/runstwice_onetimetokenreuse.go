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

func oneTimeTokenReuseCheck() *Check {
	return &Check{
		Question: finding.RunsTwice,
		Severity: finding.SeverityInfo,
		Title:    "single-use code or token consumed without checking that this request consumed it",
		Rationale: "An authorization code, a password-reset, verification, magic-link or invite token, an OTP or a " +
			"nonce must work once. A function that reads it, grants something (mints tokens, sets a password, " +
			"signs in, accepts an invite; in raw SQL an UPDATE that sets a password or marks an account verified) and then deletes or marks it used without reading how many rows that " +
			"changed lets two requests with the same secret (a replay, a double submit, an attacker racing the " +
			"user) both read the row and both succeed: the second delete removes nothing and nobody notices. " +
			"The same holds for a code kept in Redis (go-redis v9 and v6 to v8, redigo's Do): GET, compare, " +
			"grant, then DEL without reading how many keys it removed. The check follows the delete or update " +
			"through the module's calls (a repository or cache package) and needs the read, the consuming " +
			"write and a grant on one path; a Redis helper named verify, check or validate that deletes the " +
			"code before returning success grants through its callers. Writes through database/sql, sqlx, bun " +
			"and gorm are read; ent is not yet. Left alone: a consuming write whose affected-row count is read " +
			"(res.RowsAffected(), gorm's .RowsAffected, also inside the repository method) or whose RETURNING " +
			"rows are; a Redis GETDEL, a Del whose count is checked (n, err := rdb.Del(...).Result() with n " +
			"read), a Lua script, a read and delete in one Watch or TxPipelined transaction, and a SETNX used " +
			"marker whose reply is checked first; a read under a lock (SELECT ... FOR UPDATE, ForUpdate(), " +
			"gorm's clause.Locking); a delete on a branch that does not grant (an expired code removed before " +
			"the error is returned); secrets not named as single-use (a cached profile read and invalidated); " +
			"and code that runs once or only in tests. Where only the words token or code name the secret, the " +
			"finding is info, and so it is where the grant is setting a password: a reset link used twice sets " +
			"its own user's password twice, which one use allows.",
		Fix: "Consume first and atomically: DELETE ... WHERE code = $1 RETURNING ... as the read (or UPDATE ... SET used = true WHERE id = $1 AND NOT used), check that exactly one row changed, and grant only then; or read it with SELECT ... FOR UPDATE in the transaction that deletes it. In Redis, read it with GETDEL (or a Lua script that gets and deletes), or check that Del removed exactly one key, before granting.",
		Bad: `var ac model.AuthorizationCode
if err := s.db.First(&ac, "code = ?", code).Error; err != nil {
	return nil, err
}
tokens, err := s.jwt.IssueTokens(ac.UserID, ac.ClientID)
...
s.db.Delete(&ac)
return tokens, nil`,
		Good: `var ac model.AuthorizationCode
res := s.db.Clauses(clause.Returning{}).Where("code = ?", code).Delete(&ac)
if res.Error != nil || res.RowsAffected != 1 {
	return nil, ErrInvalidCode // used already, or never issued
}
return s.jwt.IssueTokens(ac.UserID, ac.ClientID)`,
		Analyzer: oneTimeTokenReuseAnalyzer,
	}
}

var oneTimeTokenReuseAnalyzer = &analysis.Analyzer{
	Name:             "one_time_token_reuse",
	Doc:              "reports a single-use code or token read, used to grant something and consumed by a write whose affected-row count is never checked",
	Requires:         []*analysis.Analyzer{program.Analyzer, program.WhereAnalyzer, inspect.Analyzer},
	RunDespiteErrors: true,
	Run:              runOneTimeTokenReuse,
}

func runOneTimeTokenReuse(pass *analysis.Pass) (any, error) {
	model := pass.ResultOf[program.Analyzer].(*program.Model)
	where, _ := pass.ResultOf[program.WhereAnalyzer].(*program.Where)
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for c := range insp.Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := c.Node().(*ast.FuncDecl)
		obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
		sum := model.SummaryOf(obj)
		if fd.Body == nil || sum == nil || where.Quiet(c) || code.IsTestFile(pass.Fset, fd.Pos()) {
			continue
		}
		reportTokenReuse(pass, model, fd, sum.Effects)
	}
	return nil, nil
}

// secretName is what names a single-use secret, and how strongly.
type secretName struct {
	name   string
	strong bool // a single-use word (reset, invite, authorization code), not token or code alone
}

// reportTokenReuse reports the first uncounted consuming write of fd that
// follows a read of the same kind of secret and shares a path with a grant.
func reportTokenReuse(pass *analysis.Pass, model *program.Model, fd *ast.FuncDecl, effects []program.Effect) {
	info := pass.TypesInfo
	if !slices.ContainsFunc(effects, uncountedConsume) {
		return // nothing consumed without a count: skip the walks below
	}
	if code.AnyCall(fd.Body, func(call *ast.CallExpr) bool { return program.LockingRead(info, fd.Body, call) }) {
		return
	}
	calls := callsAt(fd.Body)
	for i := range effects {
		eff := &effects[i]
		if !uncountedConsume(*eff) {
			continue
		}
		at := entryOrder(eff)
		sc := calls[at]
		if sc == nil || claimedBy(effects, at) {
			continue
		}
		consumed, ok := consumeSecret(info, fd.Body, eff, sc.call)
		if !ok {
			continue
		}
		read := secretRead(info, fd.Body, at)
		if kv := kvSecretRead(info, effects, calls, at); kv != nil && (read == nil || kv.Pos() > read.Pos()) {
			read = kv
		}
		if read == nil {
			continue
		}
		granted := ""
		if grant := grantAfter(pass, fd.Body, read, sc.call); grant != nil {
			granted = "`" + code.CallName(grant) + "`"
			if stmt, ok := sqltext.Statement(info, fd.Body, grant); ok {
				granted = "`" + sqlHead(stmt) + "`"
			}
		} else if consumed.strong && consumer(pass.TypesInfo, fd) {
			// A grant out of sight needs the secret named as single-use:
			// ConsumeTokenQuota spends an API token's quota, not the token.
			granted = "a nil error from `" + program.FuncName(pass.TypesInfo.Defs[fd.Name].(*types.Func)) + "`, which its callers take as the secret being theirs"
		} else if consumed.strong && eff.Kind == program.KVDelete && verifier(pass, fd, sc.call) {
			granted = "a success from `" + program.FuncName(pass.TypesInfo.Defs[fd.Name].(*types.Func)) + "`, which its callers take as the secret being theirs"
		} else {
			continue
		}
		msg := fmt.Sprintf("`%s` consumes the %s read at line %d without checking how many rows it changed, and nothing locks the row%s; two requests with the same secret (a replay, a double submit) both read it and both get %s: the second write changes nothing and nobody notices. Consume it first and check that exactly one row changed (DELETE ... RETURNING as the read, or UPDATE ... WHERE NOT used with RowsAffected == 1), or read it with SELECT ... FOR UPDATE, before granting",
			code.CallName(sc.call), consumed.name, pass.Fset.Position(read.Pos()).Line, tokenChain(pass, model, eff), granted)
		if eff.Kind == program.KVDelete {
			msg = fmt.Sprintf("`%s` deletes the %s read at line %d without checking how many keys it removed, and nothing reads and deletes it in one step%s; two requests with the same secret (a replay, a double submit) both read it before either deletes it and both get %s: the second delete removes nothing and nobody notices. Read and delete it in one step (GETDEL, or a Lua script) and grant only to the request that got it, or check that Del removed exactly one key before granting",
				code.CallName(callAt(sc.call, eff)), consumed.name, pass.Fset.Position(read.Pos()).Line, tokenChain(pass, model, eff), granted)
		}
		cat := ""
		switch {
		case !consumed.strong:
			cat = AtMostInfo
			msg += " (info: only the words token or code name it, so that it is meant to be used once is not in evidence)"
		case setsPassword(granted):
			// A reset link used twice sets its own user's password twice,
			// which one use allows already (reads H and I judged such
			// findings not worth a comment).
			cat = AtMostInfo
			msg += " (info: what a second use gets is setting the same user's password again)"
		}
		pass.Report(analysis.Diagnostic{Pos: at, Message: msg, Category: cat})
		return
	}
}

// callAt returns the call of an effect in the function's own body (the
// Del of rdb.Del(ctx, key).Err()), or, for an effect down a chain, the
// outermost call there, which starts the chain.
func callAt(outer *ast.CallExpr, eff *program.Effect) *ast.CallExpr {
	if len(eff.Via) > 0 {
		return outer
	}
	found := outer
	ast.Inspect(outer, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && c.Pos() == eff.Pos {
			found = c
		}
		return n == nil || n.Pos() <= eff.Pos
	})
	return found
}

// uncountedConsume reports whether an effect removes or marks something
// (an SQL DELETE or UPDATE, a key-value delete) on the caller's path
// without reading how much it changed.
func uncountedConsume(e program.Effect) bool {
	switch e.Kind {
	case program.Delete, program.Update, program.KVDelete:
		return !e.Counted && !e.Async
	}
	return false
}

// claimedBy reports whether a key-value claim whose reply is read (SETNX of
// a "used" marker, checked) is made on the caller's path no later than at,
// where a consuming write's path starts: only the request that set it goes
// on.
func claimedBy(effects []program.Effect, at token.Pos) bool {
	return slices.ContainsFunc(effects, func(e program.Effect) bool {
		return e.Kind == program.KVClaim && e.Counted && !e.Async && entryOrder(&e) <= at
	})
}

// kvSecretRead returns the call of fd's body that starts the path to the
// last key-value read before pos whose key, chain or receiving variable
// names a single-use secret (stored, err := rdb.Get(ctx, "otp:"+phone),
// otp, err := s.codes.Get(ctx, phone)), or nil.
func kvSecretRead(info *types.Info, effects []program.Effect, calls map[token.Pos]*siteCall, pos token.Pos) *ast.CallExpr {
	var found *ast.CallExpr
	for i := range effects {
		e := &effects[i]
		at := entryOrder(e)
		sc := calls[at]
		if e.Kind != program.KVRead || e.Async || at >= pos || sc == nil || (found != nil && at <= found.Pos()) {
			continue
		}
		names := []string{e.Detail, code.CallName(sc.call)}
		for _, st := range e.Via {
			names = append(names, st.Name)
		}
		if v, _, ok := code.AssignedFrom(info, sc.stack, sc.call, 0); ok {
			names = append(names, v.Name)
		}
		if _, ok := bestSecret(names); ok {
			found = sc.call
		}
	}
	return found
}

// consumer reports whether fd's job is to consume a single-use secret for
// its callers: its name says it uses, consumes, redeems or claims one
// (UseRecoveryCode, GetAndUseOTP, RedeemInvite) and it returns an error, so
// that a caller grants on nil: the grant is the caller's, out of this
// function's sight.
func consumer(info *types.Info, fd *ast.FuncDecl) bool {
	fn, _ := info.Defs[fd.Name].(*types.Func)
	if fn == nil {
		return false
	}
	res := fn.Type().(*types.Signature).Results()
	if res.Len() == 0 || !isErrorType(res.At(res.Len()-1).Type()) {
		return false
	}
	for _, w := range code.IdentWords(fd.Name.Name) {
		if code.OneOf(w, "use", "consume", "redeem", "claim") {
			return true
		}
	}
	return false
}

// verifier reports whether fd checks a single-use secret kept in a
// key-value store for its callers and deletes it on success, the Redis
// idiom (VerifyOTP: GET, compare, DEL, return true): its name starts with
// verify, check or validate, it returns a bool or an error, and a return of
// success (true, or a nil error where it returns no bool) follows the
// delete on a path that takes it. A delete on a failure branch (too many
// attempts: DEL, return false) is not one.
func verifier(pass *analysis.Pass, fd *ast.FuncDecl, consume *ast.CallExpr) bool {
	fn, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
	if fn == nil || !firstWordIn(fd.Name.Name, "verify", "check", "validate") {
		return false
	}
	res := fn.Type().(*types.Signature).Results()
	success := -1 // the result that says success, and the word that does
	word := "true"
	for i := range res.Len() {
		if b, ok := res.At(i).Type().Underlying().(*types.Basic); ok && b.Kind() == types.Bool {
			success = i
			break
		}
	}
	if success < 0 && res.Len() > 0 && isErrorType(res.At(res.Len()-1).Type()) {
		success, word = res.Len()-1, "nil"
	}
	if success < 0 {
		return false
	}
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if _, lit := n.(*ast.FuncLit); lit || found {
			return false
		}
		ret, ok := n.(*ast.ReturnStmt)
		if !ok || ret.Pos() < consume.End() || len(ret.Results) != res.Len() {
			return true
		}
		id, ok := ast.Unparen(ret.Results[success]).(*ast.Ident)
		found = ok && id.Name == word && !exclusiveBranches(pass, consume.Pos(), ret.Pos())
		return !found
	})
	return found
}

// tokenChain names an entry of the package that reaches the write, as
// ", reached from ...", or "".
func tokenChain(pass *analysis.Pass, model *program.Model, eff *program.Effect) string {
	for _, e := range model.Entries {
		if e.Summary == nil || (e.Delivery != program.Concurrent && e.Delivery != program.AtLeastOnce) {
			continue
		}
		for _, x := range e.Summary.Effects {
			if x.Pos == eff.Pos && len(x.Via) > len(eff.Via) {
				return ", " + reachedFrom(pass.Fset, e, x)
			}
		}
	}
	return ""
}

// consumeSecret reports whether a write removes or marks a single-use
// secret: by its table, the calls on its chain, or (for a write in the
// function itself) its SQL and the types of what it is handed (gorm's
// Delete(&code)).
func consumeSecret(info *types.Info, body *ast.BlockStmt, eff *program.Effect, call *ast.CallExpr) (secretName, bool) {
	names := []string{eff.Detail}
	for _, s := range eff.Via {
		names = append(names, s.Name)
	}
	if len(eff.Via) == 0 {
		// The call and the calls it is chained on: gorm's
		// db.Model(&code).Update(...), xorm's sess.Where(...).Update(&code).
		for c := call; c != nil; c = chainedOn(c) {
			names = append(names, callTypeNames(info, c)...)
		}
		if s, ok := sqltext.Statement(info, body, call); ok {
			names = append(names, s)
		}
	} else {
		names = append(names, code.CallName(call))
	}
	return bestSecret(names)
}

// chainedOn returns the call a method call is chained on (the Model(&x)
// of db.Model(&x).Update(...)), or nil.
func chainedOn(call *ast.CallExpr) *ast.CallExpr {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		c, _ := ast.Unparen(sel.X).(*ast.CallExpr)
		return c
	}
	return nil
}

// secretRead returns the last call before pos in body that reads a
// single-use secret: an SQL SELECT from its table, or a call named for
// reading (Get, Find, First, Take, Lookup, Load, Fetch, Query, Scan) whose
// name, arguments or results name one.
func secretRead(info *types.Info, body *ast.BlockStmt, pos token.Pos) *ast.CallExpr {
	var found *ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || call.Pos() >= pos {
			return true
		}
		if s, ok := sqltext.Statement(info, body, call); ok {
			if strings.HasPrefix(strings.ToUpper(sqltext.Normalize(s)), "SELECT") {
				if _, ok := bestSecret([]string{s}); ok {
					found = call
				}
			}
			return true
		}
		name := code.CallName(call)
		if j := strings.LastIndexByte(name, '.'); j >= 0 {
			name = name[j+1:]
		}
		if !readName(name) {
			return true
		}
		if _, ok := bestSecret(append(callTypeNames(info, call), name)); ok {
			found = call
		}
		return true
	})
	return found
}

// readName reports whether a call's name says it reads: its first word is
// get, find, first, take, last, lookup, load, fetch, query, scan, select,
// read or exist (xorm's Exist).
func readName(name string) bool {
	return firstWordIn(name, "get", "find", "first", "take", "last", "lookup", "load", "fetch", "query", "scan", "select", "read", "exist", "exists")
}

// firstWordIn reports whether the first word of an identifier is one of words.
func firstWordIn(name string, words ...string) bool {
	w := code.IdentWords(name)
	return len(w) > 0 && code.OneOf(w[0], words...)
}

// checkName reports whether a call's name says it checks, parses or
// removes rather than grants (VerifyToken, ParseJWT, RevokeSession).
func checkName(name string) bool {
	return firstWordIn(name, "validate", "verify", "check", "parse", "compare", "is", "has", "hash", "delete", "remove",
		"revoke", "invalidate", "expire", "mark", "consume", "use", "decode", "encode", "errorf")
}

// grantWords name what a single-use secret grants: tokens minted or
// signed, a session or cookie, a password set, a sign-in, an invite
// accepted, a membership or account activated.
var grantWords = map[string]bool{
	"token": true, "tokens": true, "jwt": true, "sign": true, "signed": true, "issue": true, "mint": true,
	"session": true, "sessions": true, "cookie": true, "password": true, "passwd": true, "login": true, "signin": true,
	"accept": true, "activate": true, "join": true, "member": true, "membership": true, "grant": true, "authenticate": true,
}

// grantAfter returns the first call after read in body, other than the
// consuming write's own chain, that grants something and shares a path
// with the consuming write.
func grantAfter(pass *analysis.Pass, body *ast.BlockStmt, read, consume *ast.CallExpr) *ast.CallExpr {
	var found *ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if found != nil || !ok {
			return found == nil
		}
		if call.Pos() <= read.End() || code.Contains(consume, call.Pos()) || code.Contains(call, consume.Pos()) {
			return true
		}
		name := code.CallName(call)
		if j := strings.LastIndexByte(name, '.'); j >= 0 {
			name = name[j+1:]
		}
		if readName(name) || checkName(name) {
			return true
		}
		if stmt, ok := sqltext.Statement(pass.TypesInfo, body, call); ok {
			// Raw SQL names the grant in its text: UPDATE owners SET
			// passwordHash = $1, UPDATE users SET verified = true.
			if strings.HasPrefix(strings.ToUpper(sqltext.Normalize(stmt)), "UPDATE") && !exclusiveBranches(pass, call.Pos(), consume.Pos()) {
				for _, w := range code.TextWords(stmt) {
					if grantWords[w] || code.OneOf(w, "verified", "confirmed", "activated") {
						found = call
						return false
					}
				}
			}
			return true
		}
		for _, w := range code.IdentWords(name) {
			if grantWords[w] && !exclusiveBranches(pass, call.Pos(), consume.Pos()) {
				found = call
				return false
			}
		}
		return true
	})
	return found
}

// callTypeNames lists the names of the named types a call is handed or
// returns (gorm's First(&code), a repository's (*ResetToken, error)).
func callTypeNames(info *types.Info, call *ast.CallExpr) []string {
	var out []string
	add := func(t types.Type) {
		for {
			switch x := types.Unalias(t).(type) {
			case *types.Pointer:
				t = x.Elem()
				continue
			case *types.Slice:
				t = x.Elem()
				continue
			case *types.Named:
				out = append(out, x.Obj().Name())
			}
			return
		}
	}
	for _, a := range call.Args {
		add(info.TypeOf(a))
	}
	if tup, ok := info.TypeOf(call).(*types.Tuple); ok {
		for i := range tup.Len() {
			add(tup.At(i).Type())
		}
	} else if t := info.TypeOf(call); t != nil {
		add(t)
	}
	return out
}

// singleUseWords name a secret meant to work once; codeWords beside a
// word of codeKinds do too (an authorization code, a login code), and so
// does a state beside a word of stateKinds (an OAuth state), which alone
// names no secret.
var (
	singleUseWords = map[string]bool{"reset": true, "resets": true, "verify": true, "verification": true, "verifications": true,
		"magic": true, "invite": true, "invites": true, "invitation": true, "invitations": true, "otp": true, "otps": true,
		"onetime": true, "nonce": true, "nonces": true, "confirmation": true, "recovery": true, "activation": true, "passwordless": true}
	codeKinds = map[string]bool{"authorization": true, "auth": true, "authz": true, "oauth": true, "oidc": true,
		"login": true, "device": true, "email": true, "sms": true, "signup": true, "one": true}
	stateKinds = map[string]bool{"oauth": true, "oidc": true, "auth": true, "authorization": true, "login": true, "sso": true}
	// tokenKinds name a token sent to prove one thing once (an e-mail or
	// SMS link, a sign-up or login link); the other codeKinds name
	// credentials when they name a token.
	tokenKinds = map[string]bool{"email": true, "sms": true, "signup": true, "login": true, "one": true}
)

// bestSecret returns the strongest single-use secret the names speak of:
// strong for a single-use word, a code or token of a kind that is used
// once (authorization code, login token), or an OAuth state; weak for
// token or code alone.
func bestSecret(names []string) (secretName, bool) {
	var weak secretName
	for _, n := range names {
		words := code.TextWords(n)
		isCode, isToken, kind, tokenKind, isState, stateKind := false, false, false, false, false, false
		for _, w := range words {
			if singleUseWords[w] {
				return secretName{name: phrase(n), strong: true}, true
			}
			isCode = isCode || w == "code" || w == "codes"
			isToken = isToken || w == "token" || w == "tokens"
			kind = kind || codeKinds[w]
			tokenKind = tokenKind || tokenKinds[w]
			isState = isState || w == "state" || w == "states"
			stateKind = stateKind || stateKinds[w]
		}
		// An authorization or device code is used once; an auth, OAuth
		// or device token is a credential kept and sent again (a client
		// cache storing its bearer token is no redemption).
		if isCode && kind || isToken && tokenKind || isState && stateKind {
			return secretName{name: phrase(n), strong: true}, true
		}
		if (isCode || isToken) && weak.name == "" {
			weak = secretName{name: phrase(n)}
		}
	}
	return weak, weak.name != ""
}

// phrase renders what names a secret for a message.
func phrase(n string) string {
	if len(n) > 60 {
		n = n[:60] + "..."
	}
	return "secret (" + n + ")"
}

// sqlHead returns the start of a statement up to its WHERE, for a message:
// UPDATE owners SET passwordHash = $1.
func sqlHead(stmt string) string {
	s := sqltext.Normalize(stmt)
	if i := strings.Index(strings.ToUpper(s), " WHERE "); i > 0 {
		s = s[:i]
	}
	if len(s) > 60 {
		s = s[:60] + "..."
	}
	return strings.TrimSpace(s)
}

// setsPassword reports whether a grant's description names setting a
// password (SetPassword, UPDATE users SET password_hash = $1).
func setsPassword(granted string) bool {
	for _, w := range code.TextWords(granted) {
		if strings.HasPrefix(w, "password") || strings.HasPrefix(w, "passwd") {
			return true
		}
	}
	return false
}
