package program

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/internal/sqltext"
)

// countRead reports whether the DELETE or UPDATE that call runs (c is its
// cursor, body the function holding it) has its affected-row count read:
// RETURNING in its SQL, a gorm chain's .RowsAffected, or the result it is
// assigned to read for RowsAffected anywhere in the function
// (res.RowsAffected(), tx.RowsAffected). A count handed back to the caller
// through such a read counts too; a result dropped or read only for its
// error does not.
func countRead(info *types.Info, body *ast.BlockStmt, c inspector.Cursor, call *ast.CallExpr) bool {
	if s, ok := sqltext.Statement(info, body, call); ok && strings.Contains(strings.ToUpper(sqltext.Normalize(s)), " RETURNING ") {
		return true
	}
	var v code.Var
	var expr ast.Node = call
	for p := c.Parent(); ; p = p.Parent() {
		switch x := p.Node().(type) {
		case *ast.ParenExpr:
			expr = x
			continue
		case *ast.SelectorExpr:
			return x.X == expr && countField(x.Sel.Name)
		case *ast.AssignStmt:
			if len(x.Rhs) == 1 && x.Rhs[0] == expr && len(x.Lhs) > 0 {
				v, _ = code.LocalVar(info, x.Lhs[0])
			}
		case *ast.ValueSpec:
			if len(x.Values) == 1 && x.Values[0] == expr && len(x.Names) > 0 {
				v, _ = code.LocalVar(info, x.Names[0])
			}
		}
		break
	}
	if !v.Valid() {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && countField(sel.Sel.Name) && v.Is(info, sel.X) {
			found = true
		}
		return !found
	})
	return found
}

// LockingRead reports whether a call reads rows under a lock held to the end
// of its transaction: SELECT ... FOR UPDATE, a ForUpdate() builder step, or
// gorm's clause.Locking. outer is the function body holding the call, where
// a query kept in a local is looked up.
func LockingRead(info *types.Info, outer *ast.BlockStmt, call *ast.CallExpr) bool {
	return lockingRead(info, outer, call)
}

// countField reports whether a selector reads how many rows or documents a
// write changed: database/sql's and gorm's RowsAffected, the MongoDB
// driver's DeletedCount, ModifiedCount and MatchedCount.
func countField(name string) bool {
	switch name {
	case "RowsAffected", "DeletedCount", "ModifiedCount", "MatchedCount":
		return true
	}
	return false
}
