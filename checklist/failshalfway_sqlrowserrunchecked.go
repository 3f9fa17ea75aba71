package checklist

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/internal/sqltext"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func sqlRowsErrUncheckedCheck() *Check {
	return &Check{
		Question: finding.FailsHalfway,
		Severity: finding.SeverityWarning,
		Title:    "rows read with Next but rows.Err() never checked",
		Rationale: "rows.Next() returns false both at the end of the result and when the connection drops, the " +
			"server cancels the query or a row fails to decode. Without rows.Err() after the loop, a result cut " +
			"off halfway is taken as complete: a report silently misses rows, a sync deletes what it did not " +
			"see, a lookup answers \"not found\". The check reports rows iterated with Next in a function that " +
			"never checks rows.Err() and does not hand the rows to another function, including a single-row read " +
			"through an ORM's scanner interface. A single-row read whose `if !rows.Next()` returns an error non-nil " +
			"by its form (`return nil, errNotFound`, fmt.Errorf, sql.ErrNoRows) is at most info: a failed read " +
			"already ends in an error, if the wrong one; a local err returned there may be nil, and stays at " +
			"warning. Any other Next outside a loop (if rows.Next() { rows.Scan(&total) }) reads one row, a count or " +
			"an existence probe with no list to cut off, and is at most info. Posted only where the function hands what the rows filled to its caller as a complete result " +
			"with a nil error (return users, nil; return rows.Next(), nil; or filling a parameter, receiver or named " +
			"result before returning nil): a read whose result stays in the function (collected for a log line, " +
			"followed by other work whose error is returned) is at most info, as is a Next whose result is dropped " +
			"(the Scan after it fails on a broken read), and so is a read on a transaction that the function then " +
			"commits or runs further statements on: a broken stream aborts the transaction, and the later call " +
			"fails. Where it speaks: every function of the module, at warning; test support (tests, mocks, fakes, examples, end-to-end harnesses) is silent, and one-shot code (start-up, migrations, CLI commands, build-time generators and dev tools under hack/, scripts/ or tools/) is at most info unless it loops for the life of the process.",
		Fix: "After the loop: if err := rows.Err(); err != nil { return err }.",
		Bad: `for rows.Next() {
	var u User
	if err := rows.Scan(&u.ID, &u.Name); err != nil {
		return nil, err
	}
	users = append(users, u)
}
return users, nil // a dropped connection looks like the end of the list`,
		Good: `for rows.Next() {
	var u User
	if err := rows.Scan(&u.ID, &u.Name); err != nil {
		return nil, err
	}
	users = append(users, u)
}
if err := rows.Err(); err != nil {
	return nil, fmt.Errorf("list users: %w", err)
}
return users, nil`,
		Analyzer: sqlRowsErrUncheckedAnalyzer,
	}
}

var sqlRowsErrUncheckedAnalyzer = &analysis.Analyzer{
	Name:             "sql_rows_err_unchecked",
	Doc:              "reports rows iterated with Next whose Err is never checked",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.Analyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              placed(runSQLRowsErrUnchecked, false),
}

func runSQLRowsErrUnchecked(pass *analysis.Pass) (any, error) {
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	info := code.Info(pass)
	for _, c := range callIdx.All() {
		call := c.Node().(*ast.CallExpr)
		isQuery, typed := code.RowsQuery(info, call)
		if !isQuery || testOnlyCode(pass, call.Pos()) {
			continue
		}
		stack := code.Stack(c)
		body := code.Body(code.EnclosingFunc(stack))
		if body == nil {
			continue
		}
		rows, _, ok := code.AssignedFrom(info, stack, call, 0)
		if !ok {
			continue
		}
		uses := code.Uses(info, body, rows)
		if code.Escapes(uses, nil) {
			continue // whoever receives the rows reads them
		}
		var next *ast.CallExpr
		var errCalls []code.Use
		hasScan, bestEffort := false, false
		nexts := 0
		for _, u := range uses {
			if u.Kind != code.UseMethodCall {
				continue
			}
			switch u.Name {
			case "Next":
				nexts++
				if next == nil {
					next = u.Call
				}
			case "Err":
				errCalls = append(errCalls, u)
			case "Scan", "StructScan", "MapScan", "SliceScan", "Values":
				hasScan = true
				if scanErrorSkipped(u) {
					bestEffort = true
				}
			}
		}
		if next == nil || (!typed && !hasScan) {
			continue
		}
		checked := false
		for _, u := range errCalls {
			if u.ResultUsed() {
				checked = true
			}
		}
		if checked {
			continue
		}
		cat := ""
		if nexts == 1 && len(errCalls) == 0 && singleRowOrError(info, pass.Pkg, body, next) {
			cat = AtMostInfo // the failure ends in an error already, if the wrong one
		}
		if cat == "" && nexts == 1 && len(errCalls) == 0 && !loopsOnNext(body, next) {
			// if rows.Next() { rows.Scan(&total) }: one row (a COUNT, an
			// existence probe), no list to cut off; most drivers report a
			// failure before the first row with the query itself.
			cat = AtMostInfo
		}
		if q, ok := sqltext.Template(info, body, call); cat == "" && ok && sqltext.SingleRow(q) {
			// SELECT COUNT(*) ..., a LIMIT 1 lookup: one row, and drivers
			// report a failure before it with the query itself (pgx's
			// stdlib reads the first row inside Query).
			cat = AtMostInfo
		}
		if bestEffort {
			// The loop drops its own Scan errors (_ = rows.Scan(...), or
			// skips the row and continues): a best-effort read by design,
			// where a cut-off result is the same choice. Worth knowing.
			cat = AtMostInfo
		}
		if !handsOutRead(info, code.EnclosingFunc(stack), body, next) {
			// What the rows filled stays in the function (a log line, a
			// count, a value the Scan after an unchecked Next fails on):
			// no caller takes a cut-off read as complete.
			cat = AtMostInfo
		}
		note := ""
		if cat == "" && txReadThenUsed(info, body, call, next) {
			// A broken stream aborts the transaction: the statement or
			// Commit that follows on it fails, and that error is returned.
			cat = AtMostInfo
			note = " (info: read on a transaction that runs further statements, which fail once a broken read has aborted it)"
		}
		for _, u := range errCalls {
			pass.ReportRangef(u.Call, "%s.Err()'s result is dropped: a read cut off by a network or decode error is treated as the complete result; return or check it", rows.Name)
		}
		if len(errCalls) == 0 {
			reportIn(pass, next, cat, fmt.Sprintf("%s.Next() stops on a network or decode error as well as at the end, and %s.Err() is never checked: a result cut off halfway is treated as complete; check %s.Err() after the loop", rows.Name, rows.Name, rows.Name)+note)
		}
	}
	return nil, nil
}

// singleRowOrError reports whether next, the only Next call on the rows, is
// a single-row read whose false branch returns an error: if !rows.Next() {
// return nil, errNoRows }. An iteration error then already ends in an
// error, the not-found one, so the result is never taken as complete: the
// finding is at most info (the error says "not found" where it should say
// "connection lost", which is worth knowing, not a comment). The
// error returned must be non-nil by its form: a call (fmt.Errorf, errors.New),
// a qualified name (sql.ErrNoRows) or a package-level variable; a local err
// may be nil there, and returns nothing.
func singleRowOrError(info *types.Info, pkg *types.Package, body *ast.BlockStmt, next *ast.CallExpr) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		ifs, ok := n.(*ast.IfStmt)
		if !ok || found {
			return !found
		}
		not, ok := ast.Unparen(ifs.Cond).(*ast.UnaryExpr)
		if !ok || not.Op != token.NOT || ast.Unparen(not.X) != next || len(ifs.Body.List) == 0 {
			return true
		}
		ret, ok := ifs.Body.List[len(ifs.Body.List)-1].(*ast.ReturnStmt)
		if !ok || len(ret.Results) == 0 {
			return true
		}
		found = nonNilError(info, pkg, ret.Results[len(ret.Results)-1])
		return !found
	})
	return found
}

// nonNilError reports whether e is an error value that is non-nil by its
// form (see singleRowOrError).
func nonNilError(info *types.Info, pkg *types.Package, e ast.Expr) bool {
	if info == nil {
		return false
	}
	t := info.TypeOf(e)
	if t == nil || !types.Implements(t, errorIface()) {
		return false
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		// fmt.Errorf and errors.New never return nil; a wrapper of another
		// error (errors.Wrap(err, ...)) may, when that error is nil.
		if fn, ok := typeutil.Callee(info, x).(*types.Func); ok && fn.Pkg() != nil &&
			(fn.Pkg().Path() == "fmt" && fn.Name() == "Errorf" || fn.Pkg().Path() == "errors" && fn.Name() == "New") {
			return true
		}
		for _, a := range x.Args {
			if t := info.TypeOf(a); t != nil && types.Implements(t, errorIface()) {
				return false
			}
		}
		return true
	case *ast.SelectorExpr, *ast.UnaryExpr, *ast.CompositeLit:
		return true
	case *ast.Ident:
		v, ok := info.ObjectOf(x).(*types.Var)
		return ok && pkg != nil && v.Parent() == pkg.Scope()
	}
	return false
}

func errorIface() *types.Interface {
	return types.Universe.Lookup("error").Type().Underlying().(*types.Interface)
}

// scanErrorSkipped reports whether a Scan's error is dropped (a statement,
// or assigned to _) or only skips the row: the if around it, testing the
// error, continues the loop and returns nothing.
func scanErrorSkipped(u code.Use) bool {
	if !u.ResultUsed() {
		return true
	}
	for i := len(u.Stack) - 1; i >= 0; i-- {
		ifs, ok := u.Stack[i].(*ast.IfStmt)
		if !ok {
			continue
		}
		if ifs.Init == nil || u.Call.Pos() < ifs.Init.Pos() || u.Call.End() > ifs.Init.End() {
			return false // if err := rows.Scan(...); err != nil {...} only
		}
		cont, ret := false, false
		ast.Inspect(ifs.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BranchStmt:
				cont = cont || n.Tok == token.CONTINUE
			case *ast.ReturnStmt:
				ret = true
			}
			return true
		})
		return cont && !ret
	}
	return false
}

// handsOutRead reports whether the function fn hands what its rows read
// to its caller as a complete result with a nil error: next (the rows'
// Next) is returned beside a nil error (return rows.Next(), nil), or the
// loop or if that next conditions assigns a variable (appends to a slice,
// sets a map entry or a field, scans into it) that a later return hands
// out beside a nil error, or that belongs to the caller (a parameter, the
// receiver or a named result) when the function then returns nil. Only
// there does a cut-off read reach a caller as if it were whole.
func handsOutRead(info *types.Info, fn ast.Node, body *ast.BlockStmt, next *ast.CallExpr) bool {
	ft := code.FuncType(fn)
	if info == nil || ft == nil || ft.Results == nil {
		return false
	}
	var ctl ast.Node
	code.WalkStack(body, func(n ast.Node, stack []ast.Node) bool {
		if n != ast.Node(next) || ctl != nil {
			return ctl == nil
		}
		for i := len(stack) - 1; i >= 0; i-- {
			switch s := stack[i].(type) {
			case *ast.ReturnStmt:
				ctl = s
			case *ast.ForStmt, *ast.IfStmt:
				ctl = s
			case *ast.FuncLit:
				return false
			default:
				continue
			}
			break
		}
		return false
	})
	if ret, ok := ctl.(*ast.ReturnStmt); ok {
		return returnsNilErr(info, ret)
	}
	var inner *ast.BlockStmt
	switch s := ctl.(type) {
	case *ast.ForStmt:
		inner = s.Body
	case *ast.IfStmt:
		inner = s.Body
		if not, ok := ast.Unparen(s.Cond).(*ast.UnaryExpr); ok && not.Op == token.NOT {
			// if !rows.Next() { return ... }: the branch a broken read
			// takes hands out whatever error it returns.
			return missReturnsNil(info, s.Body)
		}
		if endsInReturn(s.Body) && fallsToNilErr(info, body, s) {
			return true // if rows.Next() { ...; return v, nil }; return zero, nil
		}
	default:
		return false
	}
	filled := filledVars(info, inner)
	if len(filled) == 0 {
		return false
	}
	callers := callerOwned(info, fn, ft, inner)
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if found || x.Pos() < inner.Pos() || !returnsNilErr(info, x) {
				return false
			}
			if len(x.Results) <= 1 {
				for obj := range filled {
					found = found || callers[obj]
				}
				return false
			}
			for _, r := range x.Results {
				ast.Inspect(r, func(m ast.Node) bool {
					if id, ok := m.(*ast.Ident); ok && filled[info.ObjectOf(id)] {
						found = true
					}
					return !found
				})
			}
			return false
		}
		return !found
	})
	return found
}

// returnsNilErr reports whether ret ends in a literal nil error, or is a
// bare return of a function whose results are named.
func returnsNilErr(info *types.Info, ret *ast.ReturnStmt) bool {
	if len(ret.Results) == 0 {
		return true
	}
	last := ast.Unparen(ret.Results[len(ret.Results)-1])
	tv, ok := info.Types[last]
	return ok && tv.IsNil()
}

// filledVars returns the variables that block assigns from outside it:
// the root of each left-hand side (x in x = append(x, v), m[k] = v, s.f = v,
// *p = v) and each variable a Scan is given the address of, when declared
// before the block.
func filledVars(info *types.Info, block *ast.BlockStmt) map[types.Object]bool {
	out := map[types.Object]bool{}
	add := func(e ast.Expr) {
		if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.AND {
			e = u.X
		}
		if id := code.RootIdent(e); id != nil {
			if obj := info.ObjectOf(id); obj != nil && (obj.Pos() < block.Pos() || obj.Pos() >= block.End()) {
				out[obj] = true
			}
		}
	}
	ast.Inspect(block, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				add(l)
			}
		case *ast.CallExpr:
			if code.OneOf(code.CallName(x), "Scan", "StructScan", "MapScan", "SliceScan", "ScanRow", "ScanStruct") {
				for _, a := range x.Args {
					add(a)
				}
			}
			if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok {
				if _, ok := info.ObjectOf(id).(*types.Var); ok {
					add(id) // a callback handed each row: fn(id)
				}
			}
		}
		return true
	})
	for obj := range out {
		if code.IsError(obj.Type()) {
			delete(out, obj) // err = rows.Scan(...) fills nothing the caller keeps
		}
	}
	return out
}

// missReturnsNil reports whether the branch of if !rows.Next() ends in a
// return whose error may be nil: a local err (nil once the query
// succeeded) or a literal nil. A return of an error non-nil by its form is
// [singleRowOrError]'s case.
func missReturnsNil(info *types.Info, branch *ast.BlockStmt) bool {
	if !endsInReturn(branch) {
		return false
	}
	ret := branch.List[len(branch.List)-1].(*ast.ReturnStmt)
	if len(ret.Results) == 0 {
		return true
	}
	last := ast.Unparen(ret.Results[len(ret.Results)-1])
	if tv, ok := info.Types[last]; ok && tv.IsNil() {
		return true
	}
	id, ok := last.(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	return ok && v.Parent() != nil && v.Parent() != v.Pkg().Scope() && code.IsError(v.Type())
}

// endsInReturn reports whether block's last statement is a return.
func endsInReturn(block *ast.BlockStmt) bool {
	if len(block.List) == 0 {
		return false
	}
	_, ok := block.List[len(block.List)-1].(*ast.ReturnStmt)
	return ok
}

// fallsToNilErr reports whether the statement right after ifs in body's
// statement lists is a return of a nil error: the "no row" answer a broken
// read takes as well.
func fallsToNilErr(info *types.Info, body *ast.BlockStmt, ifs *ast.IfStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		b, ok := n.(*ast.BlockStmt)
		if !ok || found {
			return !found
		}
		for i, st := range b.List {
			if st == ast.Stmt(ifs) && i+1 < len(b.List) {
				ret, ok := b.List[i+1].(*ast.ReturnStmt)
				found = ok && len(ret.Results) > 0 && returnsNilErr(info, ret)
			}
		}
		return !found
	})
	return found
}

// callerOwned returns the variables of fn that its caller sees after it
// returns: parameters, the receiver and named results, and, for a function
// literal, every variable of the function around it that block fills.
func callerOwned(info *types.Info, fn ast.Node, ft *ast.FuncType, block *ast.BlockStmt) map[types.Object]bool {
	out := map[types.Object]bool{}
	if lit, ok := fn.(*ast.FuncLit); ok {
		for obj := range filledVars(info, block) {
			if obj.Pos() < lit.Pos() {
				out[obj] = true
			}
		}
	}
	lists := []*ast.FieldList{ft.Params, ft.Results}
	if fd, ok := fn.(*ast.FuncDecl); ok {
		lists = append(lists, fd.Recv)
	}
	for _, l := range lists {
		if l == nil {
			continue
		}
		for _, f := range l.List {
			for _, name := range f.Names {
				if obj := info.Defs[name]; obj != nil {
					out[obj] = true
				}
			}
		}
	}
	return out
}

// txReadThenUsed reports whether query (the call that returned the rows)
// runs on a transaction, and body later (after next) commits it or runs a
// further statement on it: a read cut off by a broken connection or a
// server error aborts the transaction, so that later call fails and its
// error is the one the function returns. A transaction is a value of a
// type named Tx (database/sql, sqlx, pgx), a variable named tx or ...Tx,
// or one body assigns from a Begin call; the query may run on it through
// a prepared statement or a querier built on it (tx.StmtContext(ctx,
// stmt).QueryContext, queries.New(tx).ListItems). A later statement is a
// Commit, Exec or Query method called on it, or any call handed it
// (s.log.LogManyTx(ctx, tx, ids)).
func txReadThenUsed(info *types.Info, body *ast.BlockStmt, query, next *ast.CallExpr) bool {
	recv, _, ok := code.Selector(query)
	if !ok {
		return false
	}
	tx := txUnder(info, body, recv)
	if tx == nil {
		return false
	}
	name := types.ExprString(tx)
	return code.AnyCall(body, func(c *ast.CallExpr) bool {
		if c.Pos() < next.End() {
			return false
		}
		if r, method, ok := code.Selector(c); ok && types.ExprString(r) == name && code.OneOf(method, "Commit",
			"Exec", "ExecContext", "Query", "QueryContext", "QueryRow", "QueryRowContext", "Get", "GetContext", "Select",
			"SelectContext", "NamedExec", "NamedExecContext", "Queryx", "QueryRowx", "CopyFrom", "SendBatch") {
			return true
		}
		for _, a := range c.Args {
			if types.ExprString(a) == name {
				return true
			}
		}
		return false
	})
}

// txUnder returns the transaction e is or is built on (see
// txReadThenUsed), or nil.
func txUnder(info *types.Info, body *ast.BlockStmt, e ast.Expr) ast.Expr {
	for range 4 {
		if isTxExpr(info, body, e) {
			return e
		}
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return nil
		}
		for _, a := range call.Args {
			if isTxExpr(info, body, a) {
				return a
			}
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		e = sel.X
	}
	return nil
}

// isTxExpr reports whether e holds a transaction (see txReadThenUsed).
func isTxExpr(info *types.Info, body *ast.BlockStmt, e ast.Expr) bool {
	switch ast.Unparen(e).(type) {
	case *ast.Ident, *ast.SelectorExpr:
	default:
		return false
	}
	if t := code.TypeOf(info, e); t != nil {
		if _, name := code.TypeName(t); name == "Tx" {
			return true
		}
	}
	last := types.ExprString(e)
	if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); ok {
		last = sel.Sel.Name
	}
	if last == "tx" || strings.HasSuffix(last, "Tx") {
		return true
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || found || len(as.Rhs) != 1 || types.ExprString(as.Lhs[0]) != types.ExprString(e) {
			return !found
		}
		call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		found = ok && strings.HasPrefix(code.CallName(call), "Begin")
		return !found
	})
	return found
}

// loopsOnNext reports whether next sits in a loop of body (for rows.Next()
// { … }, or for { if !rows.Next() { break } … }), rather than in an if that
// reads one row.
func loopsOnNext(body *ast.BlockStmt, next *ast.CallExpr) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if code.Contains(n, next.Pos()) {
				found = true
			}
		case *ast.FuncLit:
			return false
		}
		return !found
	})
	return found
}
