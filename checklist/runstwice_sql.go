package checklist

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/internal/handler"
	"github.com/prodready/prodready/checklist/internal/sqltext"
)

var insertNotIdempotentAnalyzer = &analysis.Analyzer{
	Name:             "insert_not_idempotent",
	Doc:              "reports SQL INSERTs without a conflict guard run inside a job, message, event or webhook handler",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer},
	RunDespiteErrors: true,
	Run:              func(pass *analysis.Pass) (any, error) { return runHandlerSQL(pass, false) },
}

var updateNotIdempotentAnalyzer = &analysis.Analyzer{
	Name:             "update_not_idempotent",
	Doc:              "reports relative SQL UPDATEs (x = x + n) without a dedupe guard run inside a job, message, event or webhook handler",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer},
	RunDespiteErrors: true,
	Run:              func(pass *analysis.Pass) (any, error) { return runHandlerSQL(pass, true) },
}

// runHandlerSQL reports inserts (or, with updates, relative updates) that a
// redelivered handler would apply twice.
func runHandlerSQL(pass *analysis.Pass, updates bool) (any, error) {
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	info := pass.TypesInfo
	guards := map[ast.Node]bool{} // handler node -> has a dedupe guard
	for file, c := range callIdx.All() {
		call := c.Node().(*ast.CallExpr)
		if !sqltext.QueryMethods[code.CallName(call)] {
			continue
		}
		_, body := code.OuterFuncOf(c)
		if file == nil || body == nil {
			continue
		}
		stmt, ok := sqltext.Statement(info, body, call)
		if !ok {
			continue
		}
		var msg string
		if updates {
			col, rel := sqltext.RelativeUpdate(stmt)
			if !rel || sqltext.UpdateGuarded(stmt) {
				continue
			}
			msg = "UPDATE sets " + col + " relative to itself inside %s; a redelivery applies it twice. Record the message ID in the same transaction (INSERT ... ON CONFLICT DO NOTHING) and skip if it was already there, or guard the UPDATE with a version"
		} else {
			if !sqltext.IsInsert(stmt) || sqltext.Guarded(stmt) {
				continue
			}
			msg = "INSERT without ON CONFLICT (or another guard) inside %s; a redelivery inserts a second row or fails forever on a unique key. Add ON CONFLICT (key) DO NOTHING with a key taken from the message"
		}
		hc, kind := handler.Enclosing(info, file, c)
		if kind == handler.None {
			continue
		}
		hn := hc.Node()
		g, seen := guards[hn]
		if !seen {
			g = hasDedupeGuard(info, hn, body)
			guards[hn] = g
		}
		if g {
			continue
		}
		pass.Report(analysis.Diagnostic{
			Pos: call.Pos(), End: call.End(),
			Message: strings.Replace(msg, "%s", describeHandler(kind), 1),
		})
	}
	return nil, nil
}

func describeHandler(k handler.Kind) string {
	switch k {
	case handler.Queue:
		return "a queue handler (queues deliver at least once)"
	case handler.Webhook:
		return "a webhook handler (senders redeliver on timeouts)"
	case handler.Event:
		return "an event handler (events are redelivered)"
	}
	return "a job or message handler (deliveries repeat)"
}

// hasDedupeGuard reports whether the handler deduplicates some other way: a
// guarded INSERT (a processed-messages marker), or a call or name that speaks
// of dedupe, idempotency, duplicates or unique violations.
func hasDedupeGuard(info *types.Info, handlerNode ast.Node, outer *ast.BlockStmt) bool {
	found := false
	ast.Inspect(handlerNode, func(n ast.Node) bool {
		if found {
			return false
		}
		switch x := n.(type) {
		case *ast.CallExpr:
			if s, ok := sqltext.Statement(info, outer, x); ok && sqltext.IsInsert(s) && sqltext.Guarded(s) {
				found = true
			}
		case *ast.Ident:
			l := strings.ToLower(x.Name)
			for _, w := range []string{"dedup", "idempot", "alreadyprocessed", "markprocessed", "isprocessed", "duplicate", "uniqueviolation"} {
				if strings.Contains(l, w) {
					found = true
				}
			}
		case *ast.BasicLit:
			// A unique-violation check by SQLSTATE.
			if x.Value == `"23505"` || x.Value == "`23505`" {
				found = true
			}
		}
		return !found
	})
	return found
}
