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
	"golang.org/x/tools/go/cfg"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func sqlRowsNotClosedCheck() *Check {
	return &Check{
		Question: finding.FailsHalfway,
		Severity: finding.SeverityError,
		Title:    "query rows not closed on every path",
		Rationale: "Rows hold a pooled connection until they are closed or read to the end. A return from inside " +
			"the read loop (a Scan error, an early match), or a Query whose rows are thrown away, keeps that " +
			"connection checked out for good; after a few hundred such errors the pool is empty and every " +
			"query in the service blocks. The check follows each path from the query: one that leaves the " +
			"function without Close, without reading the rows to the end, and without handing them to another " +
			"function is reported (a deferred call handed the method value, defer logOnError(ctx, rows.Close), " +
			"closes them); the query's own error branch (the if right after it, or the if whose init it is, " +
			"when its condition holds only if the query failed) has no rows to close and is not followed. Rows of a " +
			"database/sql transaction (sqlx's Tx too) are closed by its Commit or Rollback, so they hold the " +
			"transaction's connection only until it ends: those paths are at most info (pgx's are not: its Commit " +
			"fails while rows are open; and rows thrown away keep their severity, since the transaction's next " +
			"statement finds its connection busy). Rows are any type with Next, Scan, Close and Err, so an ORM's scanner interface " +
			"counts like *sql.Rows (and `if !rows.Next()` reading one row is followed like a loop). A QueryRow " +
			"(database/sql, pgx) whose row is thrown away or never scanned, returned or handed on holds its " +
			"connection too, and is reported. Where it speaks: every function of the module, at error; " +
			"test support (tests, mocks, fakes, examples, end-to-end harnesses) is silent, and one-shot code (start-up, migrations, CLI commands, build-time generators and dev tools under hack/, scripts/ or tools/) is at most info unless it loops for the life of the process.",
		Fix: "defer rows.Close() right after the query's error check; use Exec for statements that return no rows.",
		Bad: `rows, err := db.QueryContext(ctx, "SELECT id FROM users WHERE team = $1", team)
if err != nil {
	return nil, err
}
for rows.Next() {
	var id int64
	if err := rows.Scan(&id); err != nil {
		return nil, err // the connection never goes back to the pool
	}
	ids = append(ids, id)
}`,
		Good: `rows, err := db.QueryContext(ctx, "SELECT id FROM users WHERE team = $1", team)
if err != nil {
	return nil, err
}
defer rows.Close()
for rows.Next() {
	var id int64
	if err := rows.Scan(&id); err != nil {
		return nil, err
	}
	ids = append(ids, id)
}
return ids, rows.Err()`,
		Analyzer: sqlRowsNotClosedAnalyzer,
	}
}

var sqlRowsNotClosedAnalyzer = &analysis.Analyzer{
	Name:             "sql_rows_not_closed",
	Doc:              "reports query rows that some path leaves open",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.Analyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              placed(runSQLRowsNotClosed, false),
}

func runSQLRowsNotClosed(pass *analysis.Pass) (any, error) {
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	info := code.Info(pass)
calls:
	for _, c := range callIdx.All() {
		call := c.Node().(*ast.CallExpr)
		if testOnlyCode(pass, call.Pos()) {
			continue
		}
		if isSingleRow(info, call) {
			reportUnscannedRow(pass, info, code.Stack(c), call)
			continue
		}
		isQuery, typed := code.RowsQuery(info, call)
		if !isQuery {
			continue
		}
		stack := code.Stack(c)
		if typed && (code.Discarded(stack, call) || firstResultBlank(stack, call)) {
			pass.ReportRangef(call, "the rows this query returns are thrown away, so they are never closed and keep a pooled connection checked out; use Exec for statements that return no rows")
			continue
		}
		body := code.Body(code.EnclosingFunc(stack))
		if body == nil {
			continue
		}
		rows, assign, ok := code.AssignedFrom(info, stack, call, 0)
		if !ok {
			continue
		}
		if outer, at := capturedBody(stack, rows); outer != nil {
			// rows, err = db.Query(...) inside a retry closure, into a
			// variable of the function around it: that function holds
			// the rows from the statement that runs the closure on, and
			// closes them or not.
			body, assign = outer, at
		}
		uses := code.Uses(info, body, rows)
		if !typed && !hasMethodCall(uses, "Next") {
			continue // without types, only a variable iterated with Next counts as rows
		}
		if code.Escapes(uses, nil) {
			continue // returned, stored or handed to a function that reads and closes them
		}
		for _, u := range uses {
			if u.Kind == code.UseMethodCall && u.Name == "Close" && u.Deferred {
				continue calls
			}
			if u.Kind == code.UseField && u.Name == "Close" && u.Deferred {
				continue calls // defer logOnError(ctx, rows.Close): the method value runs at return
			}
		}
		// The branches that test the query for failure hold no rows:
		// if errors.Is(err, sql.ErrNoRows) { ... } and if err != nil { ... }
		// may follow each other.
		errChecks := code.FailureBranches(info, stack, assign)
		closes := func(n ast.Node) bool { return closesRows(info, n, rows) }
		skip := func(from *cfg.Block, succ int, to *cfg.Block) bool {
			if to.Kind == cfg.KindIfThen && slices.ContainsFunc(errChecks, func(ifs *ast.IfStmt) bool { return ast.Stmt(ifs) == to.Stmt }) {
				return true
			}
			if len(from.Nodes) == 0 {
				return false
			}
			// Next returning false has closed the rows (database/sql and pgx both do).
			isNext, negated := code.NextCond(info, from.Nodes[len(from.Nodes)-1], rows)
			return isNext && ((succ == 1) != negated)
		}
		exits := code.OpenExits(info, body, assign, closes, skip)
		if len(exits) == 0 {
			continue
		}
		line := pass.Fset.Position(call.Pos()).Line
		// Rows of a database/sql transaction are closed when it commits or
		// rolls back, so they hold its connection only until then.
		cat, held := "", "its pooled connection stays checked out"
		if sqlTxQuery(info, call) || txHandle(info, call) || stmtOnTx(info, body, call) {
			cat, held = AtMostInfo, "they hold the transaction's connection until it commits or rolls back, which closes them (database/sql)"
		}
		note := ""
		if cat == "" && allScanFailures(info, body, exits, rows, assign) {
			// The loop reads them to the end, which closes them; only a
			// Scan that fails (a column type the code does not expect)
			// returns early. Read P judged 32 such findings unwanted.
			cat, note = AtMostInfo, " (info: the loop reads them to the end, which closes them; only a failed Scan returns with them open)"
		}
		if !hasMethodCall(uses, "Close") {
			reportIn(pass, call, cat, fmt.Sprintf("%s from this query is not closed on every path (no Close, and not read to the end): %s; add defer %s.Close() after the error check%s", rows.Name, held, rows.Name, note))
			continue
		}
		for _, exit := range exits {
			where := "this return"
			if exit.Return == nil {
				where = "the end of this function"
			}
			pass.Report(analysis.Diagnostic{Pos: exit.Pos, Category: cat,
				Message: fmt.Sprintf("%s leaves %s from line %d open (not closed, not read to the end): %s; prefer defer %s.Close()%s", where, rows.Name, line, held, rows.Name, note)})
		}
	}
	return nil, nil
}

// capturedBody returns the body of the function around the innermost one
// in stack that declares rows, when rows is declared outside that
// innermost function (a variable a closure assigns), with the statement of
// that body that holds the closure; nil otherwise.
func capturedBody(stack []ast.Node, rows code.Var) (*ast.BlockStmt, ast.Stmt) {
	if rows.Obj == nil {
		return nil, nil
	}
	at := rows.Obj.Pos()
	inner := true
	for i := len(stack) - 1; i >= 0; i-- {
		var body *ast.BlockStmt
		switch f := stack[i].(type) {
		case *ast.FuncDecl:
			body = f.Body
		case *ast.FuncLit:
			body = f.Body
		default:
			continue
		}
		if body == nil {
			return nil, nil
		}
		if inner {
			if f := stack[i]; f.Pos() <= at && at < f.End() {
				return nil, nil // the innermost function's own variable or parameter
			}
			inner = false
			continue
		}
		if body.Pos() <= at && at < body.End() {
			// The statement of body on the way down to the closure.
			for j := i + 1; j+1 < len(stack); j++ {
				if stack[j] == body {
					if st, ok := stack[j+1].(ast.Stmt); ok {
						return body, st
					}
				}
			}
			return nil, nil
		}
	}
	return nil, nil
}

// allScanFailures reports whether every exit is a return on the failure of
// a Scan of rows (if err := rows.Scan(&v); err != nil { return ... }, or the
// err assigned by the statement just before the if), or on the query's own
// failure, tested after a statement between them (span.Finish(err)), where
// there are no rows.
func allScanFailures(info *types.Info, body *ast.BlockStmt, exits []code.Exit, rows code.Var, assign ast.Node) bool {
	for _, e := range exits {
		if e.Return == nil || !scanFailureReturn(info, body, e.Return, rows) && !queryFailureReturn(info, body, e.Return, assign) {
			return false
		}
	}
	return true
}

// queryFailureReturn reports whether ret sits directly in an if that
// tests the error the query assigned (rows, err := q(); ...; if err != nil
// { return ... }), with no other assignment to it in between.
func queryFailureReturn(info *types.Info, body *ast.BlockStmt, ret *ast.ReturnStmt, assign ast.Node) bool {
	as, ok := assign.(*ast.AssignStmt)
	if !ok || len(as.Lhs) < 2 {
		return false
	}
	errVar, ok := code.LocalVar(info, as.Lhs[len(as.Lhs)-1])
	if !ok {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		blk, ok := n.(*ast.BlockStmt)
		if !ok || found {
			return !found
		}
		at := slices.Index(blk.List, ast.Stmt(as))
		if at < 0 {
			return true
		}
		for _, st := range blk.List[at+1:] {
			if ifs, ok := st.(*ast.IfStmt); ok && ifs.Init == nil && slices.Contains(ifs.Body.List, ast.Stmt(ret)) {
				bin, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
				found = ok && bin.Op == token.NEQ && errVar.Is(info, bin.X) && isNilIdent(bin.Y)
				return false
			}
			if assigns(info, st, errVar) {
				return false
			}
		}
		return false
	})
	return found
}

// assigns reports whether st assigns v.
func assigns(info *types.Info, st ast.Stmt, v code.Var) bool {
	as, ok := st.(*ast.AssignStmt)
	return ok && slices.ContainsFunc(as.Lhs, func(l ast.Expr) bool { return v.Is(info, l) })
}

// scanFailureReturn reports whether ret sits directly in the body of an if
// that tests the error of a Scan of rows.
func scanFailureReturn(info *types.Info, body *ast.BlockStmt, ret *ast.ReturnStmt, rows code.Var) bool {
	isScan := func(e ast.Expr) bool {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return false
		}
		recv, name, ok := code.Selector(call)
		return ok && (strings.HasPrefix(name, "Scan") || name == "StructScan") && rows.Is(info, recv)
	}
	scanAssign := func(st ast.Stmt) bool {
		as, ok := st.(*ast.AssignStmt)
		return ok && len(as.Rhs) == 1 && isScan(as.Rhs[0])
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		blk, ok := n.(*ast.BlockStmt)
		if !ok || found {
			return !found
		}
		for i, st := range blk.List {
			ifs, ok := st.(*ast.IfStmt)
			if !ok || !slices.Contains(ifs.Body.List, ast.Stmt(ret)) {
				continue
			}
			found = ifs.Init != nil && scanAssign(ifs.Init) || ifs.Init == nil && i > 0 && scanAssign(blk.List[i-1])
			return false
		}
		return true
	})
	return found
}

// sqlTxQuery reports whether call is a query method of a database/sql
// transaction: its receiver is a *sql.Tx, or a struct embedding one (sqlx's
// Tx). database/sql closes such rows when the transaction ends (they watch
// its context), unlike pgx, whose Commit fails while rows are open.
func sqlTxQuery(info *types.Info, call *ast.CallExpr) bool {
	recv, _, ok := code.Selector(call)
	if !ok {
		return false
	}
	t := code.TypeOf(info, recv)
	if t == nil {
		return false
	}
	if code.IsPointerTo(t, "database/sql", "Tx") {
		return true
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for f := range st.Fields() {
		if f.Embedded() && code.IsPointerTo(f.Type(), "database/sql", "Tx") {
			return true
		}
	}
	return false
}

// stmtOnTx reports whether call queries a statement the function prepared
// on a database/sql transaction (stmt, err := tx.PrepareContext(ctx, q);
// rows, err := stmt.QueryContext(ctx, id)): its rows are the transaction's,
// closed when it ends.
func stmtOnTx(info *types.Info, body *ast.BlockStmt, call *ast.CallExpr) bool {
	recv, _, ok := code.Selector(call)
	if !ok || info == nil || body == nil || !code.IsPointerTo(code.TypeOf(info, recv), "database/sql", "Stmt") {
		return false
	}
	id, ok := ast.Unparen(recv).(*ast.Ident)
	if !ok {
		return false
	}
	// stmt, err := tx.PrepareContext(...): the one assignment of the
	// statement, the first of a call's two results.
	v := code.VarOf(info, id)
	var prep *ast.CallExpr
	n := 0
	ast.Inspect(body, func(node ast.Node) bool {
		as, ok := node.(*ast.AssignStmt)
		if !ok || len(as.Lhs) == 0 || len(as.Rhs) != 1 {
			return true
		}
		if lid, ok := as.Lhs[0].(*ast.Ident); ok && v.Is(info, lid) {
			n++
			prep, _ = ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		}
		return true
	})
	if n != 1 || prep == nil {
		return false
	}
	switch code.CallName(prep) {
	case "Prepare", "PrepareContext", "Stmt", "StmtContext":
		return sqlTxQuery(info, prep)
	}
	return false
}

// txHandle reports whether a query runs on the module's own transaction
// type over database/sql: a type with Commit and Rollback methods
// (concourse's db.Tx interface wraps a *sql.Tx), not pgx's, whose Commit
// fails while rows are open; the receiver of the query, or the handle a
// query builder is run with.
func txHandle(info *types.Info, call *ast.CallExpr) bool {
	recv, _, ok := code.Selector(call)
	if !ok {
		return false
	}
	// A query builder run on a transaction (squirrel's
	// psql.Select(...).RunWith(tx).Query()): the handle is RunWith's.
	for e := recv; ; {
		inner, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			break
		}
		x, name, ok := code.Selector(inner)
		if !ok {
			break
		}
		if name == "RunWith" && len(inner.Args) == 1 {
			return isTxType(code.TypeOf(info, inner.Args[0]))
		}
		e = x
	}
	return isTxType(code.TypeOf(info, recv))
}

// isTxType reports whether t (or what it points to) has Commit and
// Rollback methods and is not pgx's.
func isTxType(t types.Type) bool {
	if t == nil {
		return false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() != nil && strings.HasPrefix(n.Obj().Pkg().Path(), "github.com/jackc/pgx") {
		return false
	}
	if !types.IsInterface(t) {
		t = types.NewPointer(t) // the pointer's method set holds both receivers' methods
	}
	ms := types.NewMethodSet(t)
	return ms.Lookup(nil, "Commit") != nil && ms.Lookup(nil, "Rollback") != nil
}

// closesRows reports whether node n closes rows.
func closesRows(info *types.Info, n ast.Node, rows code.Var) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if call, ok := m.(*ast.CallExpr); ok {
			if recv, name, ok := code.Selector(call); ok && name == "Close" && rows.Is(info, recv) {
				found = true
			}
		}
		return !found
	})
	return found
}

// firstResultBlank reports whether call's first result is assigned to the
// blank identifier (rows, err := … with rows written as _).
func firstResultBlank(stack []ast.Node, call *ast.CallExpr) bool {
	if len(stack) < 2 || stack[len(stack)-1] != ast.Node(call) {
		return false
	}
	as, ok := stack[len(stack)-2].(*ast.AssignStmt)
	if !ok || len(as.Rhs) != 1 || len(as.Lhs) < 2 {
		return false
	}
	id, ok := as.Lhs[0].(*ast.Ident)
	return ok && id.Name == "_"
}

// isSingleRow reports whether call returns a single-row result that holds
// its connection until it is scanned: database/sql's *Row or pgx's Row.
func isSingleRow(info *types.Info, call *ast.CallExpr) bool {
	t := code.TypeOf(info, call)
	if t == nil {
		return false
	}
	if _, ok := t.(*types.Tuple); ok {
		return false
	}
	return code.IsPointerTo(t, "database/sql", "Row") || code.IsNamed(t, "github.com/jackc/pgx/v5", "Row") ||
		code.IsNamed(t, "github.com/jackc/pgx/v4", "Row")
}

// reportUnscannedRow reports a QueryRow whose row is thrown away or never
// scanned, returned or handed on: the query ran, and its connection stays
// checked out (database/sql releases it only in Scan).
func reportUnscannedRow(pass *analysis.Pass, info *types.Info, stack []ast.Node, call *ast.CallExpr) {
	if code.Discarded(stack, call) {
		pass.ReportRangef(call, "the row this QueryRow returns is thrown away: it is never scanned, so its pooled connection is never released; use Exec for a statement whose result is not read, or Scan the row")
		return
	}
	row, _, ok := code.AssignedFrom(info, stack, call, 0)
	body := code.Body(code.EnclosingFunc(stack))
	if !ok || body == nil {
		return // scanned in the same expression, returned or stored
	}
	uses := code.Uses(info, body, row)
	if hasMethodCall(uses, "Scan") || code.Escapes(uses, nil) {
		return
	}
	pass.ReportRangef(call, "%s from this QueryRow is never scanned, so its pooled connection is never released; Scan it (its error says whether the query failed) or use Exec", row.Name)
}
