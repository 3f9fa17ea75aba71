package checklist

import (
	"go/ast"
	"go/constant"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func dbWritesNoTxCheck() *Check {
	return &Check{
		Question: finding.FailsHalfway,
		Severity: finding.SeverityInfo,
		Title:    "several database writes on a pool outside a transaction",
		Rationale: "Each Exec on a connection pool commits on its own. When a function writes twice — an order and " +
			"its lines, a debit and a credit, a row and its outbox event — and the second write fails (a " +
			"constraint, a timeout, a restart), the first stays committed: money leaves one account and reaches " +
			"no other, an order exists without lines, an event is never sent. The check counts INSERT, UPDATE, " +
			"DELETE and MERGE statements (known constant SQL) executed on *sql.DB, *sql.Conn, *pgxpool.Pool or " +
			"*pgx.Conn in one function, leaving out writes in mutually exclusive branches, and reports the " +
			"second one. Writes on a dedicated connection after a manual BEGIN on it are in a transaction. " +
			"Migrations, start-up, one-shot tools and test support are left alone: a run that stops halfway " +
			"is rerun by whoever started it, not left behind by a request.",
		Fix: "Run the writes in one transaction: BeginTx, defer Rollback, the writes on tx, then Commit.",
		Bad: `if _, err := db.ExecContext(ctx, "UPDATE accounts SET balance = balance - $1 WHERE id = $2", amt, from); err != nil {
	return err
}
_, err := db.ExecContext(ctx, "UPDATE accounts SET balance = balance + $1 WHERE id = $2", amt, to)
return err`,
		Good: `tx, err := db.BeginTx(ctx, nil)
if err != nil {
	return err
}
defer tx.Rollback()
if _, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance - $1 WHERE id = $2", amt, from); err != nil {
	return err
}
if _, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance + $1 WHERE id = $2", amt, to); err != nil {
	return err
}
return tx.Commit()`,
		Analyzer: dbWritesNoTxAnalyzer,
	}
}

var dbWritesNoTxAnalyzer = &analysis.Analyzer{
	Name:             "db_writes_no_tx",
	Doc:              "reports functions that write to the database twice on a pool, outside a transaction",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              runDBWritesNoTx,
}

type poolWrite struct {
	call  *ast.CallExpr
	stack []ast.Node
}

func runDBWritesNoTx(pass *analysis.Pass) (any, error) {
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	info := code.Info(pass)
	writes := map[ast.Node][]poolWrite{}
	where := whereOf(pass)
	begun := manualBegins(info, callIdx)
	var order []ast.Node
	for _, c := range callIdx.All() {
		call := c.Node().(*ast.CallExpr)
		// Migrations, start-up, one-shot tools and tests: a half-done run
		// is rerun by hand, not left behind by a request.
		if !isPoolWrite(info, call) || where.Quiet(c) {
			continue
		}
		stack := code.Stack(c)
		fn := code.EnclosingFunc(stack)
		if fn == nil {
			continue
		}
		if recv, _, _ := code.Selector(call); recv != nil && begun[fn][types.ExprString(recv)] {
			continue // a manual BEGIN on this dedicated connection: the writes are in a transaction
		}
		if _, seen := writes[fn]; !seen {
			order = append(order, fn)
		}
		writes[fn] = append(writes[fn], poolWrite{call, append([]ast.Node(nil), stack...)})
	}
	for _, fn := range order {
		ws := writes[fn]
		for j := 1; j < len(ws); j++ {
			first := -1
			for i := 0; i < j; i++ {
				if !exclusive(ws[i].stack, ws[j].stack) {
					first = i
					break
				}
			}
			if first < 0 {
				continue
			}
			recv, _, _ := code.Selector(ws[j].call)
			pass.ReportRangef(ws[j].call, "second database write on the pool %s outside a transaction (the first is on line %d): if this one fails, the first stays committed and the data is half-updated; run both in one transaction",
				types.ExprString(recv), pass.Fset.Position(ws[first].call.Pos()).Line)
			break // one finding per function
		}
	}
	return nil, nil
}

// isPoolWrite reports whether call executes a constant INSERT, UPDATE,
// DELETE or MERGE on a pool or plain connection (not a transaction).
func isPoolWrite(info *types.Info, call *ast.CallExpr) bool {
	fn := code.Callee(info, call)
	if fn == nil || !code.OneOf(fn.Name(), "Exec", "ExecContext") {
		return false
	}
	path, name := code.RecvNamed(fn)
	switch {
	case path == "database/sql" && (name == "DB" || name == "Conn"):
	case path == "github.com/jackc/pgx/v5/pgxpool" && name == "Pool":
	case path == "github.com/jackc/pgx/v5" && name == "Conn":
	case path == "github.com/jackc/pgx/v4/pgxpool" && name == "Pool":
	case path == "github.com/jackc/pgx/v4" && name == "Conn":
	case path == "github.com/jmoiron/sqlx" && name == "DB":
	default:
		return false
	}
	for _, a := range call.Args {
		tv, ok := info.Types[a]
		if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
			continue
		}
		return isWriteSQL(constant.StringVal(tv.Value))
	}
	return false
}

// isWriteSQL reports whether q is a data-changing statement.
func isWriteSQL(q string) bool {
	words := strings.Fields(strings.ToUpper(stripSQLComments(q)))
	if len(words) == 0 {
		return false
	}
	switch words[0] {
	case "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE":
		return true
	case "WITH":
		for _, w := range words[1:] {
			switch strings.TrimLeft(w, "(") {
			case "INSERT", "UPDATE", "DELETE", "MERGE":
				return true
			}
		}
	}
	return false
}

// stripSQLComments removes leading -- and /* */ comments.
func stripSQLComments(q string) string {
	for {
		q = strings.TrimSpace(q)
		switch {
		case strings.HasPrefix(q, "--"):
			i := strings.IndexByte(q, '\n')
			if i < 0 {
				return ""
			}
			q = q[i+1:]
		case strings.HasPrefix(q, "/*"):
			i := strings.Index(q, "*/")
			if i < 0 {
				return ""
			}
			q = q[i+2:]
		default:
			return q
		}
	}
}

// exclusive reports whether the nodes at the ends of stacks a and b cannot
// both run in one call of the function: they sit in different branches of
// one if or switch, or one sits in a branch that returns before the other.
func exclusive(a, b []ast.Node) bool {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	if i == 0 || i >= len(a) || i >= len(b) {
		return false
	}
	switch lca := a[i-1].(type) {
	case *ast.IfStmt:
		return (a[i] == ast.Node(lca.Body) && b[i] == lca.Else) || (a[i] == lca.Else && b[i] == ast.Node(lca.Body))
	case *ast.BlockStmt:
		_, ca := a[i].(*ast.CaseClause)
		_, cb := b[i].(*ast.CaseClause)
		_, ma := a[i].(*ast.CommClause)
		_, mb := b[i].(*ast.CommClause)
		if (ca && cb) || (ma && mb) {
			return true
		}
	}
	// The earlier write sits in a branch that ends by returning.
	for _, n := range a[i:] {
		if list := code.StmtList(n); len(list) > 0 {
			if _, ok := list[len(list)-1].(*ast.ReturnStmt); ok {
				return true
			}
		}
	}
	return false
}
