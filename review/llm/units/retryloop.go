package units

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// reattempts reports whether loop calls something again after it failed:
// the shape of a retry loop, with or without a sleep between attempts (the
// loop that does not sleep is the worse defect). It looks for
//   - a loop whose counter or bound is named like attempts or retries, or
//   - a loop that does not walk a collection (for {}, a counter not bounded by
//     len, range over an integer) and whose body makes a call and, on an
//     error, continues (if err != nil { continue }) or leaves only on success
//     (if err == nil { return/break }).
func reattempts(fs fileSyntax, loop ast.Node) bool {
	var body *ast.BlockStmt
	var header []ast.Node
	switch l := loop.(type) {
	case *ast.ForStmt:
		body = l.Body
		header = []ast.Node{l.Init, l.Cond, l.Post}
		if l.Cond != nil && hasAnyCall(l.Cond) {
			if !namedLikeAttempts(header...) {
				return false // for rows.Next(), for i < len(items): walks a collection
			}
		}
	case *ast.RangeStmt:
		body = l.Body
		header = []ast.Node{l.Key, l.X}
		if !rangesOverInt(fs, l.X) {
			return false
		}
	default:
		return false
	}
	if body == nil || !hasAnyCall(body) {
		return false
	}
	if namedLikeAttempts(header...) {
		return true
	}
	found := false
	inspectNoLits(body, func(n ast.Node) {
		is, ok := n.(*ast.IfStmt)
		if !ok || found {
			return
		}
		op, ok := errNilCheck(is.Cond)
		if !ok {
			return
		}
		switch op {
		case token.NEQ:
			found = endsWith(is.Body, token.CONTINUE)
		case token.EQL:
			found = endsWith(is.Body, token.BREAK) || endsWithReturn(is.Body)
		}
	})
	return found
}

// inspectNoLits walks n without entering function literals, whose loops and
// checks are their own.
func inspectNoLits(n ast.Node, f func(ast.Node)) {
	ast.Inspect(n, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if n != nil {
			f(n)
		}
		return true
	})
}

func hasAnyCall(n ast.Node) bool {
	found := false
	inspectNoLits(n, func(n ast.Node) {
		if _, ok := n.(*ast.CallExpr); ok {
			found = true
		}
	})
	return found
}

// namedLikeAttempts reports whether the nodes name an attempt counter or a
// retry bound.
func namedLikeAttempts(nodes ...ast.Node) bool {
	found := false
	for _, n := range nodes {
		if n == nil {
			continue
		}
		inspectNoLits(n, func(n ast.Node) {
			id, ok := n.(*ast.Ident)
			if !ok {
				return
			}
			name := strings.ToLower(id.Name)
			for _, w := range []string{"attempt", "retr", "tries", "try"} {
				if strings.Contains(name, w) {
					found = true
				}
			}
		})
	}
	return found
}

// rangesOverInt reports whether a range statement counts (range 3, range n
// of an integer type) rather than walking a collection.
func rangesOverInt(fs fileSyntax, x ast.Expr) bool {
	if lit, ok := x.(*ast.BasicLit); ok {
		return lit.Kind == token.INT
	}
	if fs.info != nil {
		if t := fs.info.TypeOf(x); t != nil {
			b, ok := t.Underlying().(*types.Basic)
			return ok && b.Info()&types.IsInteger != 0
		}
	}
	return namedLikeAttempts(x)
}

// errNilCheck matches "err != nil" and "err == nil" (either side), for an
// identifier named err or ending in Err.
func errNilCheck(cond ast.Expr) (token.Token, bool) {
	be, ok := cond.(*ast.BinaryExpr)
	if !ok || (be.Op != token.NEQ && be.Op != token.EQL) {
		return 0, false
	}
	isNil := func(e ast.Expr) bool { id, ok := e.(*ast.Ident); return ok && id.Name == "nil" }
	isErr := func(e ast.Expr) bool {
		id, ok := e.(*ast.Ident)
		return ok && (id.Name == "err" || strings.HasSuffix(id.Name, "Err"))
	}
	if (isErr(be.X) && isNil(be.Y)) || (isNil(be.X) && isErr(be.Y)) {
		return be.Op, true
	}
	return 0, false
}

func endsWith(b *ast.BlockStmt, tok token.Token) bool {
	if b == nil || len(b.List) == 0 {
		return false
	}
	br, ok := b.List[len(b.List)-1].(*ast.BranchStmt)
	return ok && br.Tok == tok && br.Label == nil
}

func endsWithReturn(b *ast.BlockStmt) bool {
	if b == nil || len(b.List) == 0 {
		return false
	}
	_, ok := b.List[len(b.List)-1].(*ast.ReturnStmt)
	return ok
}
