package checklist

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
)

// Helpers of the checks that judge by where code runs (program.Where) and by
// what a byte stream or a connection is.

// whereOf returns the pass's program.Where; nil (everything serving) when the
// analyzer does not require it.
func whereOf(pass *analysis.Pass) *program.Where {
	w, _ := pass.ResultOf[program.WhereAnalyzer].(*program.Where)
	return w
}

// severityByRoute caps a finding in a handler of an admin-only route at info:
// a handful of trusted operators call it, not the load.
func severityByRoute(w *program.Where, c inspector.Cursor) string {
	if w.Admin(c) {
		return AtMostInfo
	}
	return ""
}

// decompressorOf reports whether src is a variable the function assigns a
// gzip, zlib or flate reader over another reader (zr, err :=
// gzip.NewReader(r.Body)), and returns the decompressor's name and what it
// reads.
func decompressorOf(info *types.Info, file *ast.File, body *ast.BlockStmt, src ast.Expr) (string, ast.Expr) {
	id, ok := ast.Unparen(src).(*ast.Ident)
	if !ok || info == nil {
		return "", nil
	}
	obj := info.Uses[id]
	if obj == nil {
		return "", nil
	}
	name, inner := "", ast.Expr(nil)
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 || len(as.Lhs) == 0 || name != "" {
			return name == ""
		}
		lid, ok := as.Lhs[0].(*ast.Ident)
		if !ok || (info.Defs[lid] != obj && info.Uses[lid] != obj) {
			return true
		}
		call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		ref := code.Resolve(info, file, call.Fun)
		for _, d := range []struct{ pkg, fn, name string }{
			{"compress/gzip", "NewReader", "gzip"},
			{"compress/zlib", "NewReader", "zlib"},
			{"compress/flate", "NewReader", "flate"},
			{"github.com/klauspost/compress/gzip", "NewReader", "gzip"},
			{"github.com/klauspost/compress/zstd", "NewReader", "zstd"},
		} {
			if ref.Is(d.pkg, d.fn) {
				name, inner = d.name, call.Args[0]
			}
		}
		return true
	})
	return name, inner
}

// manualBegins returns, per function, the dedicated connections (a
// *sql.Conn or *pgx.Conn, by their expression) on which the function
// executes a constant BEGIN or START TRANSACTION: the writes on them that
// follow run in that transaction, as db-writes-no-tx wants.
func manualBegins(info *types.Info, calls *code.Calls) map[ast.Node]map[string]bool {
	out := map[ast.Node]map[string]bool{}
	if info == nil {
		return out
	}
	for _, c := range calls.All() {
		call := c.Node().(*ast.CallExpr)
		fn := code.Callee(info, call)
		if fn == nil || !code.OneOf(fn.Name(), "Exec", "ExecContext") {
			continue
		}
		path, name := code.RecvNamed(fn)
		if name != "Conn" || (path != "database/sql" && path != "github.com/jackc/pgx/v5" && path != "github.com/jackc/pgx/v4") {
			continue
		}
		begin := false
		for _, a := range call.Args {
			if tv, ok := info.Types[a]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
				q := strings.ToUpper(strings.TrimSpace(constant.StringVal(tv.Value)))
				begin = q == "BEGIN" || strings.HasPrefix(q, "BEGIN ") || strings.HasPrefix(q, "BEGIN;") || strings.HasPrefix(q, "START TRANSACTION")
			}
		}
		recv, _, _ := code.Selector(call)
		fd := code.EnclosingFunc(code.Stack(c))
		if !begin || recv == nil || fd == nil {
			continue
		}
		if out[fd] == nil {
			out[fd] = map[string]bool{}
		}
		out[fd][types.ExprString(recv)] = true
	}
	return out
}

// placed wraps the Run of a fails-halfway check so that it speaks by where
// the code runs (program.Where): silent in test support (tests, mocks,
// fakes, examples, end-to-end harnesses), at most info in one-shot code
// (start-up, migrations, CLI commands, build-time generators and dev tools),
// where a failure is seen by the person who ran it and costs a re-run. Code
// that lasts (a function holding a for {}, select or range-over-channel
// loop, or a literal started with go) stays at the check's own severity
// wherever it sits. startUpServes keeps one-shot code of a server's main
// package at full severity too: what a server builds at start-up (a
// client, say), it uses under load.
func placed(run func(*analysis.Pass) (any, error), startUpServes bool) func(*analysis.Pass) (any, error) {
	return func(pass *analysis.Pass) (any, error) {
		w := whereOf(pass)
		insp, _ := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		if w == nil || insp == nil {
			return run(pass)
		}
		p := *pass
		report := pass.Report
		p.Report = func(d analysis.Diagnostic) {
			switch placeOf(pass.TypesInfo, w, insp, d.Pos) {
			case program.TestSupport:
				return
			case program.OneShot:
				if !startUpServes || !w.ServerProcess() {
					d.Category = AtMostInfo
				}
			}
			report(d)
		}
		return run(&p)
	}
}

// placeOf returns the setting of the code at pos: Where's, except that a
// function that lasts (see [lasting]) inside one-shot code is serving.
func placeOf(info *types.Info, w *program.Where, insp *inspector.Inspector, pos token.Pos) program.Setting {
	c, ok := insp.Root().FindByPos(pos, pos)
	if !ok {
		return program.Serving
	}
	s := w.Of(c)
	if s != program.OneShot {
		return s
	}
	for f := range c.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		if lasting(info, f) {
			return program.Serving
		}
	}
	return s
}

// lasting reports whether the function at c may run for the life of the
// process: a literal started with go, or a function whose own body (not its
// literals') holds a select, a range over a channel, or a loop with no
// condition that sleeps or receives: a worker, a ticker, a consumer. A
// tool's for {} that reads until EOF and breaks does not count.
func lasting(info *types.Info, c inspector.Cursor) bool {
	var body *ast.BlockStmt
	switch f := c.Node().(type) {
	case *ast.FuncLit:
		if call, ok := c.Parent().Node().(*ast.CallExpr); ok && call.Fun == f {
			if _, ok := c.Parent().Parent().Node().(*ast.GoStmt); ok {
				return true
			}
		}
		body = f.Body
	case *ast.FuncDecl:
		body = f.Body
	}
	return program.Lasts(info, body)
}
