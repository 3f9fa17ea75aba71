package checklist

import (
	"go/ast"
	"go/token"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
)

// Helpers the checks that read effect summaries share: where in a
// function's body the path to an effect starts, and the calls there.

// entryOrder is where, in the entry's own body, the path to an effect
// starts: the first call of its chain, or the effect itself.
func entryOrder(e *program.Effect) token.Pos {
	if len(e.Via) > 0 {
		return e.Via[0].Pos
	}
	return e.Pos
}

// isDBWrite reports whether an effect writes to a database.
func isDBWrite(e *program.Effect) bool {
	switch e.Kind {
	case program.Insert, program.Upsert, program.Update, program.RelUpdate, program.Delete:
		return true
	}
	return false
}

// siteCall is a call in a function body with the path of nodes down to it.
type siteCall struct {
	call  *ast.CallExpr
	stack []ast.Node
}

// callsAt indexes the outermost call starting at each position of body
// (a chain db.Model(x).Update(...) and its inner calls share one).
func callsAt(body *ast.BlockStmt) map[token.Pos]*siteCall {
	out := map[token.Pos]*siteCall{}
	code.WalkStack(body, func(n ast.Node, stack []ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && out[call.Pos()] == nil {
			out[call.Pos()] = &siteCall{call: call, stack: append([]ast.Node(nil), stack...)}
		}
		return true
	})
	return out
}
