package checklist

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/prodready/prodready/checklist/internal/code"
)

// fieldHeldTx judges a transaction begun into a field of a struct value the
// function holds itself (ctx.Transaction, err = db.Beginx(), where ctx is a
// request context copied into a local variable), which the variable-based
// judgement passes over as stored for a caller. The function owns it when
// it commits or rolls back that field itself; a struct value is the
// function's own copy, so nothing the function returns to closes it. It
// reports the Begin when a return leaves the transaction open (the
// forbidden or not-found answer that follows a Begin), unless a deferred
// call or a call handed the holder ends it. A holder of pointer type is
// left alone: a middleware may end what it points to.
func fieldHeldTx(pass *analysis.Pass, info *types.Info, decls *code.Decls, stack []ast.Node, call *ast.CallExpr, body *ast.BlockStmt) {
	i := slices.Index(stack, ast.Node(call))
	if info == nil || body == nil || i < 1 {
		return
	}
	assign, ok := stack[i-1].(*ast.AssignStmt)
	if !ok || len(assign.Rhs) != 1 || ast.Node(assign.Rhs[0]) != ast.Node(call) || len(assign.Lhs) == 0 {
		return
	}
	sel, ok := ast.Unparen(assign.Lhs[0]).(*ast.SelectorExpr)
	if !ok {
		return
	}
	holder, ok := code.LocalVar(info, sel.X)
	if !ok || holder.Obj == nil || holder.Obj.Pos() < body.Pos() || holder.Obj.Pos() >= body.End() {
		return // a parameter's or an outer variable's field: whoever passed it may end it
	}
	if _, isStruct := types.Unalias(holder.Obj.Type()).Underlying().(*types.Struct); !isStruct {
		return
	}
	text := types.ExprString(sel)
	is := func(e ast.Expr) bool { return types.ExprString(ast.Unparen(e)) == text }
	owned, deferred := false, false
	ast.Inspect(body, func(n ast.Node) bool {
		if d, ok := n.(*ast.DeferStmt); ok {
			if endsField(info, decls, d.Call, is, holder) {
				deferred = true
			}
			return true
		}
		if c, ok := n.(*ast.CallExpr); ok {
			if recv, name, ok := code.Selector(c); ok && endsTxMethod(name) && is(recv) {
				owned = true
			}
		}
		return true
	})
	if !owned || deferred {
		return
	}
	closes := func(n ast.Node) bool {
		if _, ok := n.(*ast.DeferStmt); ok {
			return false
		}
		found := false
		ast.Inspect(n, func(m ast.Node) bool {
			if c, ok := m.(*ast.CallExpr); ok && !found && endsField(info, decls, c, is, holder) {
				found = true
			}
			return !found
		})
		return found
	}
	errCheck := code.FailureBranch(info, stack, assign)
	skip := func(_ *cfg.Block, _ int, b *cfg.Block) bool {
		return errCheck != nil && b.Kind == cfg.KindIfThen && b.Stmt == errCheck
	}
	exits := code.OpenExits(info, body, assign, closes, skip)
	var where []string
	for _, exit := range exits {
		if exit.Return == nil {
			return // falls off the end: a shape this judgement does not claim
		}
		where = append(where, fmt.Sprintf("the return on line %d", pass.Fset.Position(exit.Pos).Line))
	}
	if len(where) == 0 {
		return
	}
	pass.ReportRangef(call, "transaction %s has no deferred Rollback, and %s leaves it open (no Rollback or Commit on that path): it keeps its locks and pooled connection for good, since nothing else holds this copy of %s; add defer %s.Rollback() after the error check (a no-op once committed)",
		text, strings.Join(where, ", "), holder.Name, text)
}

// endsField reports whether call ends the field-held transaction: Commit
// or Rollback on it, a call handed it whose name says it ends one
// (h.Runtime.Rollback(ctx.Transaction)), or a function of the package
// handed the holder that commits or rolls back.
func endsField(info *types.Info, decls *code.Decls, call *ast.CallExpr, is func(ast.Expr) bool, holder code.Var) bool {
	if recv, name, ok := code.Selector(call); ok && endsTxMethod(name) && is(recv) {
		return true
	}
	for _, a := range call.Args {
		if is(a) && (endingName(call) || helperEnds(decls, info, call)) {
			return true
		}
		if holder.Is(info, a) && helperEnds(decls, info, call) {
			return true
		}
	}
	return false
}

// helperEnds reports whether call is to a function of the package whose
// body commits or rolls back something.
func helperEnds(decls *code.Decls, info *types.Info, call *ast.CallExpr) bool {
	fd := decls.Of(info, call)
	if fd == nil || fd.Body == nil {
		return false
	}
	return code.AnyCall(fd.Body, func(c *ast.CallExpr) bool {
		_, name, ok := code.Selector(c)
		return ok && endsTxMethod(name)
	})
}
