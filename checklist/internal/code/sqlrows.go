package code

import (
	"go/ast"
	"go/types"
)

// rowsQueryNames are the query spellings accepted when type information is
// missing (database/sql, sqlx, pgx).
var rowsQueryNames = []string{"Query", "QueryContext", "Queryx", "QueryxContext", "NamedQuery", "NamedQueryContext"}

// IsRowsType reports whether t is a result-set type: one with Next, Scan,
// Close and Err methods (database/sql *Rows, pgx Rows, sqlx *Rows…).
func IsRowsType(t types.Type) bool {
	return HasMethods(t, "Next", "Scan", "Close", "Err")
}

// RowsQuery reports whether call returns a result set as its first result
// that the caller must close. typed is false when the answer rests on the
// call's spelling alone because type information is missing.
func RowsQuery(info *types.Info, call *ast.CallExpr) (ok, typed bool) {
	if IsConversion(info, call) {
		return false, true
	}
	if t := TypeOf(info, call); t != nil {
		if tup, isTuple := t.(*types.Tuple); isTuple {
			if tup.Len() == 0 {
				return false, true
			}
			t = tup.At(0).Type()
		}
		if !IsRowsType(t) {
			return false, true
		}
		// A method of the rows themselves (NextResultSet…) does not open new rows.
		if recv, _, isSel := Selector(call); isSel && IsRowsType(TypeOf(info, recv)) {
			return false, true
		}
		return true, true
	}
	_, name, isSel := Selector(call)
	return isSel && OneOf(name, rowsQueryNames...), false
}

// NextCond reports whether e is v.Next() (positive) or !v.Next() (negated).
func NextCond(info *types.Info, e ast.Node, v Var) (isNext, negated bool) {
	ex, ok := e.(ast.Expr)
	if !ok {
		return false, false
	}
	ex = ast.Unparen(ex)
	if u, ok := ex.(*ast.UnaryExpr); ok && u.Op.String() == "!" {
		negated = true
		ex = ast.Unparen(u.X)
	}
	call, ok := ex.(*ast.CallExpr)
	if !ok {
		return false, false
	}
	recv, name, ok := Selector(call)
	if !ok || name != "Next" || !v.Is(info, recv) {
		return false, false
	}
	return true, negated
}
