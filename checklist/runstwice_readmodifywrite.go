package checklist

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func readModifyWriteCheck() *Check {
	return &Check{
		Question: finding.RunsTwice,
		Severity: finding.SeverityWarning,
		Title:    "counter read from the store, changed in memory and written back, with no lock or transaction",
		Rationale: "A nonce, balance, quota, stock level, sequence or attempt counter read into a struct, " +
			"changed in Go (dk.JoinNonce++, acct.Balance -= amount) and written back whole loses updates " +
			"when two requests do it at once: both read N, both write N+1, so a nonce is handed out twice, " +
			"two debits take one, a quota lets one extra through, and a lockout counts one failure for two. " +
			"The check reports the change of such a field of a local variable that the same function filled " +
			"from a read (a call named get, find, load, fetch, read, first or take that returns it or is " +
			"handed its address) and then hands to a write (a call named update, save, put, store, upsert, " +
			"set or persist). Left alone: a read that locks (SELECT ... FOR UPDATE, ForUpdate(), gorm's " +
			"clause.Locking, a lock or forUpdate argument set to true), a transaction, a mutex or a lock " +
			"helper taken before the read, fields named for anything else (view and hit counts, where a lost " +
			"increment is cosmetic, and versions, which optimistic locking checks), and code that runs " +
			"once or only in tests.",
		Fix: "Change it in the store in one statement (UPDATE ... SET join_nonce = join_nonce + 1 WHERE ... " +
			"RETURNING join_nonce), or read it with SELECT ... FOR UPDATE in the transaction that writes it, " +
			"or write it back only if it is unchanged (WHERE version = $old) and retry when no row changed.",
		Bad: `dk, err := storage.GetDeviceKeys(ctx, db, devEUI)
if err != nil {
	return err
}
dk.JoinNonce++
return storage.UpdateDeviceKeys(ctx, db, &dk)`,
		Good: `var nonce int
err := db.QueryRowContext(ctx,
	"UPDATE device_keys SET join_nonce = join_nonce + 1 WHERE dev_eui = $1 RETURNING join_nonce",
	devEUI).Scan(&nonce)`,
		Analyzer: readModifyWriteAnalyzer,
	}
}

var readModifyWriteAnalyzer = &analysis.Analyzer{
	Name:             "read_modify_write",
	Doc:              "reports a counter field read from the store, changed in memory and written back with no lock or transaction",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, program.WhereAnalyzer}, // inspect: placed reads it
	RunDespiteErrors: true,
	Run:              placed(runReadModifyWrite, false),
}

// counterWords name a field whose lost update is a defect: what is handed
// out once (a nonce, a sequence), spent (a balance, credits, a quota, stock)
// or counted toward a limit (attempts, failures, uses).
var counterWords = []string{"nonce", "balance", "credit", "credits", "quota", "stock", "inventory", "seq",
	"sequence", "remaining", "attempt", "attempts", "failures", "failed", "uses", "usage", "slots", "seats",
	"points", "coins", "funds", "counter"}

func runReadModifyWrite(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	done := map[*ast.BlockStmt]bool{} // one finding per function
	for c := range insp.Root().Preorder((*ast.IncDecStmt)(nil), (*ast.AssignStmt)(nil)) {
		ch, ok := counterChange(info, c.Node().(ast.Stmt))
		if !ok {
			continue
		}
		fd, ok := outerDecl(c)
		if !ok || fd.Body == nil || done[fd.Body] || code.IsTestFile(pass.Fset, fd.Pos()) {
			continue
		}
		if reportReadModifyWrite(pass, fd.Body, ch) {
			done[fd.Body] = true
		}
	}
	return nil, nil
}

// counterEdit is an in-memory change of a counter field of a local variable.
type counterEdit struct {
	stmt  ast.Stmt
	v     types.Object
	field string
}

// counterChange reports whether stmt changes a counter field of a local
// variable: v.F++, v.F += n, v.F -= n, v.F = v.F + n.
func counterChange(info *types.Info, stmt ast.Stmt) (counterEdit, bool) {
	switch x := stmt.(type) {
	case *ast.IncDecStmt:
		if v, f := counterField(info, x.X); v != nil {
			return counterEdit{x, v, f}, true
		}
	case *ast.AssignStmt:
		if len(x.Lhs) != 1 || len(x.Rhs) != 1 {
			return counterEdit{}, false
		}
		// Cheap tests first: most assignments set a variable with =.
		if _, ok := x.Lhs[0].(*ast.SelectorExpr); !ok {
			return counterEdit{}, false
		}
		switch x.Tok {
		case token.ADD_ASSIGN, token.SUB_ASSIGN:
		case token.ASSIGN:
			// dk.JoinNonce = dk.JoinNonce + 1
			be, ok := ast.Unparen(x.Rhs[0]).(*ast.BinaryExpr)
			if !ok || (be.Op != token.ADD && be.Op != token.SUB) || types.ExprString(be.X) != types.ExprString(x.Lhs[0]) {
				return counterEdit{}, false
			}
		default:
			return counterEdit{}, false
		}
		if v, f := counterField(info, x.Lhs[0]); v != nil {
			return counterEdit{x, v, f}, true
		}
	}
	return counterEdit{}, false
}

// reportReadModifyWrite reports ch when body fills its variable from a read
// before it and hands it to a write after it, with no lock; it reports
// whether it did.
func reportReadModifyWrite(pass *analysis.Pass, body *ast.BlockStmt, ch counterEdit) bool {
	info := pass.TypesInfo
	read := storeCall(info, body, ch.v, token.NoPos, ch.stmt.Pos(), storeReadVerbs)
	if read == nil {
		return false
	}
	write := storeCall(info, body, ch.v, ch.stmt.End(), body.End(), storeWriteVerbs)
	if write == nil || lockedBefore(info, body, read) {
		return false
	}
	pass.Report(analysis.Diagnostic{Pos: ch.stmt.Pos(), End: ch.stmt.End(), Message: fmt.Sprintf(
		"%s is read by `%s`, changed here and written back by `%s` with no lock or transaction around the three: two requests at once both read the same value and both write their change, so one is lost (a nonce handed out twice, two debits that take one); change it in one UPDATE (SET %s = %s + 1 ... RETURNING), or read it FOR UPDATE in the transaction that writes it",
		ch.field, code.CallName(read), code.CallName(write), ch.field, ch.field)})
	return true
}

// counterField returns the local variable and field name of e when e is
// v.Field with Field named for a counter (see counterWords).
func counterField(info *types.Info, e ast.Expr) (types.Object, string) {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil, ""
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return nil, ""
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
		return nil, "" // a local variable, not a package one or a field
	}
	words := code.IdentWords(sel.Sel.Name)
	if slices.Contains(words, "version") || !slices.ContainsFunc(words, func(w string) bool { return slices.Contains(counterWords, w) }) {
		return nil, ""
	}
	return v, types.ExprString(sel)
}

var (
	storeReadVerbs  = []string{"get", "find", "load", "fetch", "read", "first", "take", "select", "query"}
	storeWriteVerbs = []string{"update", "updates", "save", "put", "store", "upsert", "set", "persist", "write"}
)

// storeCall returns the first call between from and to whose name starts
// with one of verbs and that returns v (v, err := repo.Get(...)) or is
// handed v or its address (db.First(&v, id), repo.Update(ctx, &v)).
func storeCall(info *types.Info, body *ast.BlockStmt, v types.Object, from, to token.Pos, verbs []string) *ast.CallExpr {
	named := func(call *ast.CallExpr) bool {
		words := code.IdentWords(code.CallName(call))
		return len(words) > 0 && slices.Contains(verbs, words[0])
	}
	isV := func(e ast.Expr) bool {
		e = ast.Unparen(e)
		if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
			e = ast.Unparen(u.X)
		}
		id, ok := e.(*ast.Ident)
		return ok && (info.Uses[id] == v || info.Defs[id] == v)
	}
	var found *ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		switch x := n.(type) {
		case *ast.AssignStmt:
			if x.Pos() < from || x.Pos() >= to || len(x.Rhs) != 1 {
				return true
			}
			if call, ok := ast.Unparen(x.Rhs[0]).(*ast.CallExpr); ok && named(call) && slices.ContainsFunc(x.Lhs, isV) {
				found = call
			}
		case *ast.CallExpr:
			if x.Pos() < from || x.Pos() >= to || !named(x) {
				return true
			}
			if slices.ContainsFunc(x.Args, isV) {
				found = x
			}
		}
		return true
	})
	return found
}

// lockedBefore reports whether read itself locks (a locking read:
// FOR UPDATE, ForUpdate(), clause.Locking; or a true passed to a parameter
// named for locking, GetDevice(ctx, db, eui, true) with forUpdate bool), or
// body takes a lock or opens a transaction before it (guardedBefore).
func lockedBefore(info *types.Info, body *ast.BlockStmt, read *ast.CallExpr) bool {
	return program.LockingRead(info, body, read) || lockArg(info, read) || guardedBefore(info, body, read.Pos())
}

// lockArg reports whether call passes true to a parameter named for a lock
// (forUpdate, lock, locked).
func lockArg(info *types.Info, call *ast.CallExpr) bool {
	fn := code.Callee(info, call)
	if fn == nil {
		return false
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok {
		return false
	}
	for i, a := range call.Args {
		if i >= sig.Params().Len() {
			break
		}
		if id, ok := ast.Unparen(a).(*ast.Ident); !ok || id.Name != "true" {
			continue
		}
		words := code.IdentWords(sig.Params().At(i).Name())
		if slices.Contains(words, "update") || slices.Contains(words, "lock") || slices.Contains(words, "locked") {
			return true
		}
	}
	return false
}
