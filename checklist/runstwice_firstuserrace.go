package checklist

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func firstUserRaceCheck() *Check {
	return &Check{
		Question: finding.RunsTwice,
		Severity: finding.SeverityWarning,
		Title:    "first user or first set-up decided by a check, then a create, with nothing making the two atomic",
		Rationale: "Self-hosted services often give the first account special rights: the first user to sign up " +
			"becomes the administrator, or a set-up route works until an admin exists. Decided by a check (count " +
			"the users, ask whether set-up is done) and then a create, the decision races: two requests at once " +
			"on a fresh install both see no user and both create one with the first user's rights, or both run " +
			"the set-up, and a flag in memory is per process and gone on restart. The check reports a create of " +
			"a user, admin, owner, account or organisation (a call of the module that inserts a row, or one named " +
			"for creating, registering or saving such a principal) on the path where a test found none yet: a " +
			"count, list, exists or first-user lookup of such principals compared with zero, empty or nil, or a " +
			"flag named for set-up or initialisation tested false, in the same function, either around the " +
			"create or as a guard that returns before it; also a role chosen there (admin, host, owner) and " +
			"passed to a create after it. Left alone: a mutex locked or a transaction begun before the check, " +
			"a sync.Once, checks of other things (items, rows, jobs), and code that runs once or only in tests.",
		Fix: "Make the decision atomic: create the first admin with one statement that fails when one exists " +
			"(a unique singleton row, INSERT ... WHERE NOT EXISTS), or hold a lock (a database advisory lock, a " +
			"row locked FOR UPDATE in the transaction that inserts) across the check and the create.",
		Bad: `n, err := s.users.Count(ctx)
if err != nil {
	return err
}
role := RoleUser
if n == 0 {
	role = RoleAdmin // two first sign-ups both become admin
}
return s.users.Create(ctx, User{Name: name, Role: role})`,
		Good: `return s.db.WithTx(ctx, func(tx *sql.Tx) error {
	// one set-up row: the second insert fails on its primary key
	if _, err := tx.ExecContext(ctx, "INSERT INTO setup (id) VALUES (1)"); err != nil {
		return ErrSetupDone
	}
	return createAdmin(ctx, tx, name)
})`,
		Analyzer: firstUserRaceAnalyzer,
	}
}

var firstUserRaceAnalyzer = &analysis.Analyzer{
	Name:             "first_user_race",
	Doc:              "reports a first user or first set-up decided by a check and then a create with nothing making the two atomic",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, program.Analyzer, program.WhereAnalyzer}, // inspect: placed reads it
	RunDespiteErrors: true,
	Run:              placed(runFirstUserRace, false),
}

// principalWords name what a first-user decision creates.
var principalWords = []string{"user", "users", "admin", "admins", "administrator", "owner", "owners", "account",
	"accounts", "org", "orgs", "organization", "organizations", "organisation", "superuser", "member", "members", "tenant", "tenants"}

// probeWords name a lookup whose emptiness decides: a count, a list, an
// existence test, the first one.
var probeWords = []string{"count", "counts", "list", "all", "exists", "exist", "has", "any", "first", "total", "num", "number"}

// setupWords name a flag or lookup that says set-up has been done.
var setupWords = []string{"setup", "initialized", "initialised", "installed", "bootstrapped", "bootstrap", "onboarded", "onboarding", "configured"}

// roleWords name the role the first user is given.
var roleWords = []string{"admin", "administrator", "host", "owner", "superuser", "root"}

// createWords start the name of a call that makes a principal.
var createWords = []string{"create", "insert", "register", "add", "save", "new", "signup", "setup"}

func runFirstUserRace(pass *analysis.Pass) (any, error) {
	model, _ := pass.ResultOf[program.Analyzer].(*program.Model)
	for _, file := range pass.Files {
		if code.Generated(file) || code.IsTestFile(pass.Fset, file.Pos()) {
			continue // generated code decides no first user
		}
		for _, d := range file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && hasIf(fd.Body) {
				reportFirstUserRace(pass, model, fd)
			}
		}
	}
	return nil, nil
}

// hasIf reports whether body holds an if statement: a function without one
// decides nothing.
func hasIf(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.IfStmt); ok {
			found = true
		}
		return !found
	})
	return found
}

// probe is a test that found no principal yet, and the statements that run
// only then.
type probe struct {
	test   ast.Node   // the if statement
	lookup string     // what was asked (the call or flag), for the message
	empty  []ast.Stmt // statements that run when nothing was found
	after  []ast.Stmt // statements after the if, in its block
	setup  bool       // a set-up flag rather than a count of principals
}

func reportFirstUserRace(pass *analysis.Pass, model *program.Model, fd *ast.FuncDecl) {
	info := pass.TypesInfo
	if info == nil {
		return
	}
	// Built on the first condition that names a local: most have none.
	var assigned map[types.Object]*ast.CallExpr
	lazy := func() map[types.Object]*ast.CallExpr {
		if assigned == nil {
			assigned = callAssignments(info, fd.Body)
		}
		return assigned
	}
	var probes []probe
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		blk, ok := n.(*ast.BlockStmt)
		if !ok {
			return true
		}
		for i, st := range blk.List {
			ifs, ok := st.(*ast.IfStmt)
			if !ok {
				continue
			}
			if p, ok := emptinessProbe(info, lazy, ifs); ok {
				p.after = blk.List[i+1:]
				probes = append(probes, p)
			}
		}
		return true
	})
	for _, p := range probes {
		if guardedBefore(info, fd.Body, p.test.Pos()) {
			continue
		}
		create, role := firstCreate(pass, model, p)
		if create == nil {
			continue
		}
		how := "creates"
		if role != "" {
			how = "creates, with the role " + role + " chosen there,"
		}
		what := "no " + p.lookup + " yet"
		if p.setup {
			what = p.lookup + " not done yet"
		}
		pass.Report(analysis.Diagnostic{
			Pos: create.Pos(), End: create.End(),
			Message: fmt.Sprintf("`%s` %s after the check at line %d found %s, and nothing makes the check and the create one step: two first requests at once (a double submit, two browsers on a fresh install) both pass the check and both get the first user's rights. Create it with one statement that fails when one exists (a unique singleton row, INSERT ... WHERE NOT EXISTS), or hold a lock across the check and the create",
				code.CallName(create), how, pass.Fset.Position(p.test.Pos()).Line, what),
		})
	}
}

// callAssignments maps each local variable of body to the call it is
// assigned from (n, err := s.users.Count(ctx)).
func callAssignments(info *types.Info, body *ast.BlockStmt) map[types.Object]*ast.CallExpr {
	out := map[types.Object]*ast.CallExpr{}
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 || len(as.Lhs) == 0 {
			return true
		}
		call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok {
			return true
		}
		if id, ok := as.Lhs[0].(*ast.Ident); ok {
			if obj := info.ObjectOf(id); obj != nil {
				out[obj] = call
			}
		}
		return true
	})
	return out
}

// emptinessProbe recognises an if that tests for no principal yet: the
// condition compares a lookup's result with zero, empty or nil, or tests a
// set-up flag false (then the if's body runs when there is none), or the
// opposite with a body that returns (a guard: what follows runs when there
// is none).
func emptinessProbe(info *types.Info, assigned func() map[types.Object]*ast.CallExpr, ifs *ast.IfStmt) (probe, bool) {
	empty, subject, ok := emptinessTest(info, assigned, ifs.Cond)
	if !ok {
		return probe{}, false
	}
	p := probe{test: ifs, lookup: subject.name, setup: subject.setup}
	if empty {
		p.empty = ifs.Body.List
		return p, true
	}
	if len(ifs.Body.List) > 0 {
		if _, ret := ifs.Body.List[len(ifs.Body.List)-1].(*ast.ReturnStmt); ret && ifs.Else == nil {
			return p, true // the statements after the if run when there is none
		}
	}
	return probe{}, false
}

// probeSubject names what a probe asks about.
type probeSubject struct {
	name  string
	setup bool
}

// emptinessTest reports whether cond tests a principal lookup or a set-up
// flag, and whether it is true when there is none (empty) or when there is
// one.
func emptinessTest(info *types.Info, assigned func() map[types.Object]*ast.CallExpr, cond ast.Expr) (empty bool, s probeSubject, ok bool) {
	cond = ast.Unparen(cond)
	switch x := cond.(type) {
	case *ast.UnaryExpr:
		if x.Op == token.NOT {
			if s, ok := flagSubject(info, assigned, x.X); ok {
				return true, s, true
			}
		}
	case *ast.BinaryExpr:
		if x.Op == token.LAND || x.Op == token.LOR {
			return false, probeSubject{}, false
		}
		l, r := ast.Unparen(x.X), ast.Unparen(x.Y)
		if code.ZeroLiteral(l) {
			l, r = r, l
			switch x.Op { // 0 == n reads as n == 0
			case token.LSS:
				x = &ast.BinaryExpr{Op: token.GTR}
			case token.GTR:
				x = &ast.BinaryExpr{Op: token.LSS}
			}
		}
		if !code.ZeroLiteral(r) && !isOneLit(r) && !isFalse(r) {
			return false, probeSubject{}, false
		}
		if isFalse(r) {
			if s, ok := flagSubject(info, assigned, l); ok {
				return x.Op == token.EQL, s, x.Op == token.EQL || x.Op == token.NEQ
			}
			return false, probeSubject{}, false
		}
		s, ok := countSubject(info, assigned, l, isNilIdent(r))
		if !ok {
			return false, probeSubject{}, false
		}
		switch {
		case isOneLit(r) && x.Op == token.LSS, !isOneLit(r) && (x.Op == token.EQL || x.Op == token.LEQ):
			return true, s, true
		case isOneLit(r) && x.Op == token.GEQ, !isOneLit(r) && (x.Op == token.NEQ || x.Op == token.GTR):
			return false, s, true
		}
	default:
		if s, ok := flagSubject(info, assigned, cond); ok {
			return false, s, true // if initialized { return … }
		}
	}
	return false, probeSubject{}, false
}

func isOneLit(e ast.Expr) bool {
	bl, ok := ast.Unparen(e).(*ast.BasicLit)
	return ok && bl.Value == "1"
}

func isFalse(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "false"
}

// countSubject reports whether e is a count, a list's length or a lookup
// result of principals: a local assigned from such a call, such a call
// itself, or len() of either. A nil comparison counts only for a lookup
// of the first one or of an admin or owner (a user looked up by name is
// not a first-user decision).
func countSubject(info *types.Info, assigned func() map[types.Object]*ast.CallExpr, e ast.Expr, nilTest bool) (probeSubject, bool) {
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "len" {
			e = ast.Unparen(call.Args[0])
		}
	}
	var call *ast.CallExpr
	switch x := e.(type) {
	case *ast.CallExpr:
		call = x
	case *ast.Ident:
		call = assigned()[info.ObjectOf(x)]
	}
	if call == nil {
		return probeSubject{}, false
	}
	words := code.IdentWords(code.CallName(call))
	principal, probeWord, special, filtered := false, false, false, false
	for _, w := range words {
		principal = principal || code.OneOf(w, principalWords...)
		probeWord = probeWord || code.OneOf(w, probeWords...)
		special = special || code.OneOf(w, "first", "admin", "admins", "owner", "superuser")
		// UsersByEmail, CountUsersWithName: a lookup of one name is a
		// uniqueness check, a question of the schema's constraints,
		// not a first-user decision.
		filtered = filtered || code.OneOf(w, "by", "with", "for", "where", "email", "name", "username", "login", "id")
	}
	if !principal || !probeWord || filtered || (nilTest && !special) {
		return probeSubject{}, false
	}
	return probeSubject{name: "`" + code.CallName(call) + "` result"}, true
}

// flagSubject reports whether e is a set-up flag: a field, variable or call
// whose name says set-up or initialisation is done (s.setupCompleted,
// initialized, store.IsInstalled(ctx)), or a local assigned from such a
// call; also an existence lookup of an admin or owner (hasAdmin).
func flagSubject(info *types.Info, assigned func() map[types.Object]*ast.CallExpr, e ast.Expr) (probeSubject, bool) {
	name := ""
	switch x := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		name = x.Sel.Name
	case *ast.Ident:
		name = x.Name
		if call := assigned()[info.ObjectOf(x)]; call != nil {
			name = code.CallName(call)
		}
	case *ast.CallExpr:
		name = code.CallName(x)
	}
	if name == "" {
		return probeSubject{}, false
	}
	if t := info.TypeOf(e); t == nil || !types.Identical(t.Underlying(), types.Typ[types.Bool]) {
		return probeSubject{}, false
	}
	words := code.IdentWords(name)
	for _, w := range words {
		if code.OneOf(w, setupWords...) {
			return probeSubject{name: "`" + name + "`", setup: true}, true
		}
	}
	exists, special := false, false
	for _, w := range words {
		exists = exists || code.OneOf(w, "has", "exists", "exist", "any")
		special = special || code.OneOf(w, "admin", "admins", "owner", "superuser", "users")
	}
	if exists && special {
		return probeSubject{name: "`" + name + "`"}, true
	}
	return probeSubject{}, false
}

// guardedBefore reports whether body locks a mutex, begins a transaction
// or runs a sync.Once before pos: what follows then runs under one lock or
// in one transaction. A call counts by its name's words (Lock, RLock,
// LockKey, Begin, BeginTx, Transaction, RunInTx, WithTx, InTxn).
func guardedBefore(info *types.Info, body *ast.BlockStmt, pos token.Pos) bool {
	return code.AnyCall(body, func(call *ast.CallExpr) bool {
		if call.Pos() >= pos {
			return false
		}
		name := code.CallName(call)
		if name == "Do" {
			return code.IsMethod(code.Callee(info, call), "sync", "Once", "Do")
		}
		for _, w := range code.IdentWords(name) {
			switch w {
			case "begin", "beginx", "transaction", "tx", "txn", "lock", "rlock", "locked":
				return true
			}
		}
		return false
	})
}

// firstCreate returns the call on p's empty path that creates a principal,
// and the role the empty path chose for a create after the if ("" when the
// create sits on the empty path itself).
func firstCreate(pass *analysis.Pass, model *program.Model, p probe) (*ast.CallExpr, string) {
	if call := createIn(pass, model, p.empty); call != nil {
		return call, ""
	}
	if p.empty == nil {
		// A guard: what follows it runs when there is none.
		if call := createIn(pass, model, p.after); call != nil {
			return call, ""
		}
		return nil, ""
	}
	// The empty path picks a role (role = RoleAdmin) for a create after it.
	role := ""
	for _, st := range p.empty {
		ast.Inspect(st, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || role != "" {
				return role == ""
			}
			for _, r := range as.Rhs {
				var name string
				switch x := ast.Unparen(r).(type) {
				case *ast.Ident:
					name = x.Name
				case *ast.SelectorExpr:
					name = x.Sel.Name
				case *ast.BasicLit:
					name = x.Value
				}
				for _, w := range code.TextWords(name) {
					if code.OneOf(w, roleWords...) {
						role = "`" + types.ExprString(r) + "`"
					}
				}
			}
			return role == ""
		})
	}
	if role == "" {
		return nil, ""
	}
	if call := createIn(pass, model, p.after); call != nil {
		return call, role
	}
	return nil, ""
}

// createIn returns the first call in stmts that creates a principal: one
// named for creating, registering or saving a user, admin, owner, account
// or organisation, or a call of the module whose summary inserts a row and
// whose name says a principal.
func createIn(pass *analysis.Pass, model *program.Model, stmts []ast.Stmt) *ast.CallExpr {
	var found *ast.CallExpr
	for _, st := range stmts {
		ast.Inspect(st, func(n ast.Node) bool {
			if found != nil {
				return false
			}
			if _, lit := n.(*ast.FuncLit); lit {
				return true
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			words := code.IdentWords(code.CallName(call))
			if len(words) == 0 {
				return true
			}
			principal := slices.ContainsFunc(words, func(w string) bool { return code.OneOf(w, principalWords...) })
			if !principal {
				return true
			}
			if code.OneOf(words[0], createWords...) {
				found = call
				return false
			}
			if fn := code.Callee(pass.TypesInfo, call); fn != nil && model != nil {
				if sum := model.SummaryOf(fn); sum != nil && slices.ContainsFunc(sum.Effects, func(e program.Effect) bool { return e.Kind == program.Insert }) {
					found = call
					return false
				}
			}
			return true
		})
		if found != nil {
			break
		}
	}
	return found
}
