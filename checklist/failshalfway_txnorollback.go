package checklist

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/cfg"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func txNoRollbackCheck() *Check {
	return &Check{
		Question: finding.FailsHalfway,
		Severity: finding.SeverityError,
		Title:    "transaction without a deferred Rollback, or with its Commit error dropped",
		Rationale: "When a statement inside a transaction fails and the function returns without Rollback, the " +
			"transaction stays open: it keeps its row locks and its pooled connection until the server's idle " +
			"timeout, so a burst of errors drains the pool and blocks every other writer on those rows. A dropped " +
			"Commit error is worse: the writes are rolled back by the server while the caller reports success. " +
			"The check finds Begin/BeginTx whose result is a transaction by its type (database/sql, sqlx, pgx, bun, " +
			"go-pg, xorm, an ent client's Tx, gorm's *DB only as db.Begin()'s result, or a struct of the module " +
			"wrapping one of those; not a query builder named tx, nor a business object with its own Commit and " +
			"Rollback) whose " +
			"transaction has no Rollback at all, or a return path that reaches neither Rollback nor Commit (a " +
			"savepoint begun on a transaction whose Rollback the function defers is ended by it). Begin's own " +
			"error branch (err != nil right after it or in the if it initialises, or gorm's tx.Error != nil) has " +
			"no transaction and is not followed. What the function defers ends the transaction on every path: a " +
			"deferred method call on it (Rollback, MustCommit, Finish(&err); a deferred Commit too, whose dropped " +
			"error is reported on its own), a deferred call it is handed to, or, inside a deferred closure, a " +
			"call on it whose name says it ends it (MustRollback, Commit, Finish), or its Rollback method value " +
			"handed to a deferred helper (defer rollbackLogged(tx.Rollback)); Must-prefixed Commit and " +
			"Rollback count as Commit and Rollback. A transaction returned, stored, put in a context, or returned inside a value " +
			"a helper builds (a BeginTx that hands it to its caller in a context or wrapper) is its caller's; one " +
			"handed to a package helper that rolls it back, or to an interface method whose every implementation " +
			"in the package does (a sink that owns it from there), is rolled back by that call. " +
			"Also reported: " +
			"every Commit whose error is discarded, except on a transaction that only reads (every use, and every " +
			"use in the package's helpers it is handed to, is a query, Rollback or Commit): its rows were read " +
			"already, and a failed Commit loses nothing. A missing Rollback is reported at the Begin, where the " +
			"deferred Rollback goes, naming the returns left open; a Begin whose transaction is thrown away is " +
			"reported too (it holds a connection). Where it speaks: every function of the module, at error; " +
			"test support (tests, mocks, fakes, examples, end-to-end harnesses) is silent, and one-shot code (start-up, migrations, CLI commands, build-time generators and dev tools under hack/, scripts/ or tools/) is at most info unless it loops for the life of the process.",
		Fix: "defer tx.Rollback() right after the Begin error check (a no-op after Commit), and return tx.Commit()'s error.",
		Bad: `tx, err := db.BeginTx(ctx, nil)
if err != nil {
	return err
}
if _, err := tx.ExecContext(ctx, debit, from, amount); err != nil {
	return err // tx stays open, holding the row lock
}
tx.Commit()`,
		Good: `tx, err := db.BeginTx(ctx, nil)
if err != nil {
	return err
}
defer tx.Rollback() // no-op once committed
if _, err := tx.ExecContext(ctx, debit, from, amount); err != nil {
	return err
}
return tx.Commit()`,
		Analyzer: txNoRollbackAnalyzer,
	}
}

var txNoRollbackAnalyzer = &analysis.Analyzer{
	Name:             "tx_no_rollback",
	Doc:              "reports transactions with no Rollback on some path, and Commit calls whose error is dropped",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.Analyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              placed(runTxNoRollback, false),
}

// txBeginNames are the Begin spellings accepted when type information is
// missing (database/sql, sqlx, pgx).
var txBeginNames = []string{"Begin", "BeginTx", "Beginx", "BeginTxx", "MustBegin", "MustBeginTx"}

func runTxNoRollback(pass *analysis.Pass) (any, error) {
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	info := code.Info(pass)
	reportedCommit := map[*ast.CallExpr]bool{}
	decls := code.NewDecls(pass)
	for _, c := range callIdx.All() {
		call := c.Node().(*ast.CallExpr)
		commit, begins := isTxCommit(info, call), isTxBegin(info, call)
		if (!commit && !begins) || testOnlyCode(pass, call.Pos()) {
			continue
		}
		stack := code.Stack(c)
		if commit && code.Discarded(stack, call) && !reportedCommit[call] {
			reportedCommit[call] = true
			if readOnlyTx(info, decls, code.Body(code.OutermostFunc(stack)), call) {
				continue
			}
			pass.ReportRangef(call, "Commit's error is dropped: if the commit fails, every write in the transaction is lost while this code carries on as if it succeeded; return or check the error")
			continue
		}
		fn := code.EnclosingFunc(stack)
		body := code.Body(fn)
		if body == nil || !isTxBegin(info, call) {
			continue
		}
		if code.TypeOf(info, call) != nil && beginThrownAway(stack, call) {
			pass.ReportRangef(call, "transaction begun and thrown away: nothing can Commit or Rollback it, so it holds a pooled connection (and any locks) until the server times it out; keep the tx and defer its Rollback, or drop the Begin")
			continue
		}
		tx, assign, ok := code.AssignedFrom(info, stack, call, 0)
		if !ok {
			// Returned or stored in a field: the caller owns it, unless
			// the field is of a struct value the function holds itself.
			fieldHeldTx(pass, info, decls, stack, call, body)
			continue
		}
		if recv, _, ok := code.Selector(call); ok {
			// sp, err := tx.Begin(ctx): a savepoint inside a transaction whose
			// Rollback this function defers; that Rollback ends it too.
			if parent, ok := code.LocalVar(info, recv); ok && hasDeferredEnd(code.Uses(info, body, parent)) {
				continue
			}
		}
		if outer := declaringBody(stack, tx); outer != nil && outer != body {
			// Begun inside a closure (a retry wrapper) into a variable of an
			// enclosing function: that function owns the transaction, and
			// any Rollback it has ends it.
			if !hasMethodCall(code.Uses(info, outer, tx), "Rollback") {
				pass.ReportRangef(call, "transaction %s has no Rollback: if a statement before Commit fails, it stays open, holding its locks and a pooled connection; add defer %s.Rollback(…) after the error check", tx.Name, tx.Name)
			}
			continue
		}
		uses := code.Uses(info, body, tx)
		if code.TypeOf(info, call) == nil && !hasMethodCall(uses, "Commit") {
			continue // without types, only a variable later committed counts as a transaction
		}
		if escapesBeyondCalls(info, uses) {
			continue
		}
		// Unchecked Commit on this variable without types.
		for _, u := range uses {
			if u.Kind == code.UseMethodCall && u.Name == "Commit" && !u.ResultUsed() && !reportedCommit[u.Call] {
				reportedCommit[u.Call] = true
				if readOnlyTx(info, decls, body, u.Call) {
					continue
				}
				pass.ReportRangef(u.Call, "Commit's error is dropped: if the commit fails, every write in the transaction is lost while this code carries on as if it succeeded; return or check the error")
			}
		}
		// A helper of this package that rolls its tx parameter back ends it.
		ending := map[*ast.CallExpr]bool{}
		for _, u := range uses {
			if u.Kind == code.UseArg && (endingName(u.Call) || helperRollsBack(info, decls, u)) {
				ending[u.Call] = true
			}
		}
		if hasDeferredEnd(uses) {
			continue // ended on every path by what the function defers
		}
		errCheck := code.FailureBranch(info, stack, assign)
		closes := func(n ast.Node) bool { return endsTx(info, n, tx, ending) }
		skip := func(_ *cfg.Block, _ int, b *cfg.Block) bool {
			return errCheck != nil && b.Kind == cfg.KindIfThen && b.Stmt == errCheck
		}
		exits := code.OpenExits(info, body, assign, closes, skip)
		if len(exits) == 0 {
			continue // every path reaches Commit or Rollback
		}
		if !anyEnding(uses, ending) {
			pass.ReportRangef(call, "transaction %s has no Rollback: if a statement before Commit fails, it stays open, holding its locks and a pooled connection; add defer %s.Rollback(…) after the error check", tx.Name, tx.Name)
			continue
		}
		// Reported at the Begin, where the fix (a deferred Rollback) goes;
		// the message names the paths left open.
		var where []string
		for _, exit := range exits {
			line := pass.Fset.Position(exit.Pos).Line
			if exit.Return == nil {
				where = append(where, fmt.Sprintf("the end of the function (line %d)", line))
			} else {
				where = append(where, fmt.Sprintf("the return on line %d", line))
			}
		}
		pass.ReportRangef(call, "transaction %s has no deferred Rollback, and %s leaves it open (no Rollback or Commit on that path): it keeps its locks and pooled connection; add defer %s.Rollback(…) after the error check", tx.Name, strings.Join(where, ", "), tx.Name)
	}
	return nil, nil
}

// isTxBegin reports whether call begins a transaction: a function or method
// whose name says so (Begin…, begin…, startTx…, newTx…) or a function value,
// whose first result has both Commit and Rollback methods; or, without
// types, one of the usual Begin spellings.
func isTxBegin(info *types.Info, call *ast.CallExpr) bool {
	if code.IsConversion(info, call) {
		return false
	}
	var name string
	funcVar := false
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		name = f.Sel.Name
	case *ast.Ident:
		name = f.Name
		_, funcVar = info.Uses[f].(*types.Var)
	default:
		return false
	}
	lower := strings.ToLower(name)
	if !funcVar && !strings.Contains(lower, "begin") && !strings.HasPrefix(lower, "starttx") && !strings.HasPrefix(lower, "newtx") {
		return false
	}
	if t := code.TypeOf(info, call); t != nil {
		if tup, ok := t.(*types.Tuple); ok {
			if tup.Len() == 0 {
				return false
			}
			t = tup.At(0).Type()
		}
		return code.HasMethods(t, "Commit", "Rollback") && txByType(t, name)
	}
	return code.OneOf(name, txBeginNames...)
}

// txTypes are the transaction types of the database libraries: a value of
// one of them is a transaction whatever its variable is called.
var txTypes = []struct{ path, name string }{
	{"database/sql", "Tx"},
	{"github.com/jmoiron/sqlx", "Tx"},
	{"github.com/jackc/pgx/v5", "Tx"},
	{"github.com/jackc/pgx/v4", "Tx"},
	{"github.com/jackc/pgx/v5/pgxpool", "Tx"},
	{"github.com/jackc/pgx/v4/pgxpool", "Tx"},
	{"github.com/uptrace/bun", "Tx"},
	{"github.com/go-pg/pg/v10", "Tx"},
	{"github.com/go-pg/pg/v9", "Tx"},
	{"xorm.io/xorm", "Session"},
}

// txByType reports whether t, the first result of a call named name, is a
// transaction by its type: one of [txTypes], an ent client's generated Tx
// (type Tx of a package named ent), gorm's *gorm.DB only as what Begin
// returns (every gorm query builder has Commit and Rollback too), or a
// struct of the module that wraps one of those in a field (a repository's
// own Trx). A business object with Commit and Rollback methods (a
// controller, a unit of work behind an interface, a tracing decorator) is
// not: its own methods end what it began.
func txByType(t types.Type, name string) bool {
	if isTxNamed(t) {
		return true
	}
	if isGormDB(t) {
		return name == "Begin"
	}
	named := code.NamedOf(t)
	if named == nil {
		return false
	}
	st, ok := named.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for f := range st.Fields() {
		if isTxNamed(f.Type()) || isGormDB(f.Type()) {
			return true
		}
	}
	return false
}

// isTxNamed reports whether t (or what it points to) is one of [txTypes]
// or an ent client's Tx.
func isTxNamed(t types.Type) bool {
	path, name := code.TypeName(t)
	for _, k := range txTypes {
		if path == k.path && name == k.name {
			return true
		}
	}
	if named := code.NamedOf(t); named != nil && name == "Tx" && named.Obj().Pkg() != nil {
		return named.Obj().Pkg().Name() == "ent"
	}
	return false
}

// isGormDB reports whether t is gorm's *DB: type DB of a package named
// gorm (gorm.io/gorm, github.com/jinzhu/gorm).
func isGormDB(t types.Type) bool {
	named := code.NamedOf(t)
	return named != nil && named.Obj().Name() == "DB" && named.Obj().Pkg() != nil && named.Obj().Pkg().Name() == "gorm"
}

// isTxCommit reports whether call is Commit on a transaction type (one with
// Rollback too) returning only an error. It needs types. Unlike a Begin, any
// such type counts: a dropped Commit error loses the writes whatever ends
// them.
func isTxCommit(info *types.Info, call *ast.CallExpr) bool {
	recv, name, ok := code.Selector(call)
	if !ok || name != "Commit" {
		return false
	}
	fn := code.Callee(info, call)
	if fn == nil {
		return false
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Results().Len() != 1 || !code.IsError(sig.Results().At(0).Type()) {
		return false
	}
	return code.HasMethods(code.TypeOf(info, recv), "Rollback")
}

func hasMethodCall(uses []code.Use, name string) bool {
	for _, u := range uses {
		if u.Kind == code.UseMethodCall && u.Name == name {
			return true
		}
	}
	return false
}

// escapesBeyondCalls reports whether the transaction is returned or stored,
// which hands its ownership to someone else: also when it is put in a
// context (context.WithValue), or handed to a call whose result, a value
// that can hold it (not an error or a basic value), is returned or stored
// (a BeginTx that returns the transaction inside a context or a wrapper:
// its caller ends it). Passing it to any other call is not an escape:
// helpers take a tx to run statements in it.
func escapesBeyondCalls(info *types.Info, uses []code.Use) bool {
	for _, u := range uses {
		switch u.Kind {
		case code.UseReturn, code.UseStore:
			return true
		case code.UseArg:
			if fn := code.Callee(info, u.Call); fn != nil && code.FuncPath(fn) == "context" && fn.Name() == "WithValue" {
				return true
			}
			if resultKept(u) && holdsValue(code.TypeOf(info, u.Call)) {
				return true
			}
		}
	}
	return false
}

// resultKept reports whether the call u passes the variable to is itself
// returned, or stored in a composite literal.
func resultKept(u code.Use) bool {
	for i := len(u.Stack) - 1; i > 0; i-- {
		if u.Stack[i] != ast.Node(u.Call) {
			continue
		}
		switch u.Stack[i-1].(type) {
		case *ast.ReturnStmt, *ast.CompositeLit, *ast.KeyValueExpr:
			return true
		}
		return false
	}
	return false
}

// holdsValue reports whether a call result of type t can carry a
// transaction: its first result is neither an error nor a basic value.
func holdsValue(t types.Type) bool {
	if tup, ok := t.(*types.Tuple); ok {
		if tup.Len() == 0 {
			return false
		}
		t = tup.At(0).Type()
	}
	if t == nil || code.IsError(t) {
		return false
	}
	_, basic := t.Underlying().(*types.Basic)
	return !basic
}

// hasDeferredEnd reports whether what the function defers ends the
// transaction on every path: a deferred method call on it (Rollback,
// MustCommit, Finish(&err)…), a deferred call it is handed to (a helper
// that may commit or roll back), or, inside a deferred function literal, a
// method call on it whose name says it ends it (MustRollback, Commit…) or
// a call it is handed to; or its Rollback or Commit method value handed to
// a deferred call.
func hasDeferredEnd(uses []code.Use) bool {
	for _, u := range uses {
		if !u.Deferred {
			continue
		}
		switch u.Kind {
		case code.UseMethodCall:
			if isDeferredCall(u.Stack, u.Call) || endingName(u.Call) {
				return true
			}
		case code.UseArg:
			return true
		case code.UseField:
			// defer rollbackLogged(tx.Rollback): the method value runs deferred.
			if endsTxMethod(u.Name) {
				return true
			}
		}
	}
	return false
}

// endsTxMethod reports whether a method name commits or rolls back
// (Commit, Rollback, MustCommit, MustRollback, CommitOrRollback…).
func endsTxMethod(name string) bool {
	lower := strings.ToLower(name)
	return strings.Contains(lower, "rollback") || strings.Contains(lower, "commit")
}

// anyEnding reports whether anything on any path rolls back or hands the
// transaction to a helper whose name says it ends it.
func anyEnding(uses []code.Use, ending map[*ast.CallExpr]bool) bool {
	for _, u := range uses {
		if u.Kind == code.UseMethodCall && strings.Contains(strings.ToLower(u.Name), "rollback") {
			return true
		}
		if u.Kind == code.UseArg && ending[u.Call] {
			return true
		}
	}
	return false
}

// endingName reports whether call's function name says it finishes a
// transaction (rollbackTx, commitOrRollback, finish, cleanup…).
func endingName(call *ast.CallExpr) bool {
	var name string
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		name = f.Name
	case *ast.SelectorExpr:
		name = f.Sel.Name
	}
	name = strings.ToLower(name)
	for _, w := range []string{"rollback", "commit", "finish", "finaliz", "complet", "abort", "cleanup", "close", "end"} {
		if strings.HasPrefix(name, w) || (w != "end" && strings.Contains(name, w)) {
			return true
		}
	}
	return false
}

// endsTx reports whether node n rolls back or commits tx, or hands it to a
// helper whose name says it ends it.
// chainRoot returns what a chain of context-setting calls starts from:
// tx for tx.WithContext(ctx) or tx.Session(cfg), GORM's way of committing
// the same transaction (tx.WithContext(ctx).Commit()); e itself otherwise.
func chainRoot(e ast.Expr) ast.Expr {
	for {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return e
		}
		recv, name, ok := code.Selector(call)
		if !ok || (name != "WithContext" && name != "Session") {
			return e
		}
		e = recv
	}
}

func endsTx(info *types.Info, n ast.Node, tx code.Var, ending map[*ast.CallExpr]bool) bool {
	if _, ok := n.(*ast.DeferStmt); ok {
		return false // a deferred Commit commits half the work on the error paths
	}
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if found {
			return false
		}
		call, ok := m.(*ast.CallExpr)
		if !ok {
			return true
		}
		if recv, name, ok := code.Selector(call); ok && endsTxMethod(name) && tx.Is(info, chainRoot(recv)) {
			found = true
			return false
		}
		for _, a := range call.Args {
			if tx.Is(info, a) && ending[call] {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

// helperRollsBack reports whether u passes the transaction to a function of
// this package whose body rolls back the matching parameter, or to an
// interface method whose every implementation in this package does (a
// sink or unit of work that owns the transaction from there: read O
// judged such a hand-off false).
func helperRollsBack(info *types.Info, decls *code.Decls, u code.Use) bool {
	if decl, v, ok := helperParam(info, decls, u); ok {
		return hasMethodCall(code.Uses(info, decl.Body, v), "Rollback")
	}
	impls := decls.Implementations(info, u.Call)
	for _, fd := range impls {
		v, named, ok := paramFor(info, fd.Type, u.Call, u.Ident)
		if !ok || !named || !hasMethodCall(code.Uses(info, fd.Body, v), "Rollback") {
			return false
		}
	}
	return len(impls) > 0
}

// helperParam returns the declaration of the package function u passes the
// tracked variable to, and the parameter that receives it.
func helperParam(info *types.Info, decls *code.Decls, u code.Use) (*ast.FuncDecl, code.Var, bool) {
	decl := decls.Of(info, u.Call)
	if decl == nil || decl.Body == nil {
		return nil, code.Var{}, false
	}
	v, named, ok := paramFor(info, decl.Type, u.Call, u.Ident)
	return decl, v, ok && named
}

// txReads are the transaction methods that only read.
var txReads = []string{"Query", "QueryContext", "QueryRow", "QueryRowContext", "Queryx", "QueryxContext",
	"QueryRowx", "QueryRowxContext", "Get", "GetContext", "Select", "SelectContext", "Rollback", "Commit"}

// readOnlyTx reports whether the transaction commit is called on only reads
// in body: every use is a query, Rollback or Commit, or hands it to a
// function of this package that only queries it. Its Commit error then
// loses nothing (a snapshot read that could not commit has already
// returned its rows).
func readOnlyTx(info *types.Info, decls *code.Decls, body *ast.BlockStmt, commit *ast.CallExpr) bool {
	recv, _, _ := code.Selector(commit)
	tx, ok := code.LocalVar(info, recv)
	if !ok || body == nil {
		return false
	}
	onlyReads := func(uses []code.Use, helpers bool) bool {
		for _, u := range uses {
			switch {
			case u.Kind == code.UseMethodCall && code.OneOf(u.Name, txReads...):
			case u.Kind == code.UseAssigned:
			case u.Kind == code.UseOther && u.Parent() != nil && isNilComparison(u.Parent()):
			case u.Kind == code.UseArg && helpers:
				decl, p, ok := helperParam(info, decls, u)
				if !ok {
					return false
				}
				for _, pu := range code.Uses(info, decl.Body, p) {
					if pu.Kind != code.UseMethodCall || !code.OneOf(pu.Name, txReads...) {
						return false
					}
				}
			default:
				return false
			}
		}
		return true
	}
	return onlyReads(code.Uses(info, body, tx), true)
}

// isNilComparison reports whether n is a comparison with nil.
func isNilComparison(n ast.Node) bool {
	be, ok := n.(*ast.BinaryExpr)
	return ok && (be.Op == token.EQL || be.Op == token.NEQ) && (isNilIdent(be.X) || isNilIdent(be.Y))
}

// declaringBody returns the body, among the functions in stack, that
// declares v (innermost first), or nil when v's declaration is unknown.
func declaringBody(stack []ast.Node, v code.Var) *ast.BlockStmt {
	if v.Obj == nil {
		return nil
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if b := code.Body(stack[i]); b != nil && b.Pos() <= v.Obj.Pos() && v.Obj.Pos() < b.End() {
			return b
		}
		if fd, ok := stack[i].(*ast.FuncDecl); ok && fd.Type.Pos() <= v.Obj.Pos() && v.Obj.Pos() < fd.Type.End() {
			return fd.Body // a parameter or named result
		}
	}
	return nil
}

// beginThrownAway reports whether the transaction a Begin call returns is
// dropped: the call is a statement of its own, or its first result is
// assigned to the blank identifier.
func beginThrownAway(stack []ast.Node, call *ast.CallExpr) bool {
	if len(stack) < 2 || stack[len(stack)-1] != ast.Node(call) {
		return false
	}
	switch p := stack[len(stack)-2].(type) {
	case *ast.ExprStmt:
		return true
	case *ast.AssignStmt:
		return len(p.Rhs) == 1 && len(p.Lhs) > 0 && isBlank(p.Lhs[0])
	case *ast.ValueSpec:
		return len(p.Values) == 1 && len(p.Names) > 0 && p.Names[0].Name == "_"
	}
	return false
}

func isBlank(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "_"
}
