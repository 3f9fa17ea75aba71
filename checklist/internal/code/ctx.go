package code

import (
	"go/ast"
	"go/token"
	"go/types"
)

// CtxSource is a context a function has at hand.
type CtxSource struct {
	// Expr is how to spell it at the call site: "ctx" or "r.Context()".
	Expr string
	// Var is the parameter it comes from.
	Var Var
	// FromRequest is true when it comes from an *http.Request parameter.
	FromRequest bool
}

// CtxParam returns the context the innermost function in stack (or any
// function enclosing it, for closures) receives: a named context.Context
// parameter (or one of a framework type that embeds context.Context), or
// else a named *http.Request parameter. Context parameters win
// over requests, and inner functions over outer ones.
func CtxParam(info *types.Info, imps Imports, stack []ast.Node) (CtxSource, bool) {
	for i := len(stack) - 1; i >= 0; i-- {
		ft := FuncType(stack[i])
		if ft == nil {
			continue
		}
		if src, ok := ctxFromParams(info, imps, ft); ok {
			return src, true
		}
	}
	return CtxSource{}, false
}

func ctxFromParams(info *types.Info, imps Imports, ft *ast.FuncType) (CtxSource, bool) {
	var req CtxSource
	haveReq := false
	if ft.Params == nil {
		return CtxSource{}, false
	}
	for _, field := range ft.Params.List {
		isCtx := IsTypeExpr(info, imps, field.Type, "context", "Context", false) || carriesContext(TypeOf(info, field.Type))
		isReq := !isCtx && IsTypeExpr(info, imps, field.Type, "net/http", "Request", true)
		if !isCtx && !isReq {
			continue
		}
		for _, name := range field.Names {
			if name.Name == "_" {
				continue
			}
			v, _ := LocalVar(info, name)
			if isCtx {
				return CtxSource{Expr: name.Name, Var: v}, true
			}
			if !haveReq {
				req = CtxSource{Expr: name.Name + ".Context()", Var: v, FromRequest: true}
				haveReq = true
			}
		}
	}
	return req, haveReq
}

// IsTypeExpr reports whether the type expression e denotes path.name (or
// *path.name when pointer is set), by types or by the file's imports.
func IsTypeExpr(info *types.Info, imps Imports, e ast.Expr, path, name string, pointer bool) bool {
	if t := TypeOf(info, e); t != nil {
		if pointer {
			p, ok := types.Unalias(t).(*types.Pointer)
			if !ok {
				return false
			}
			t = p.Elem()
		} else if _, ok := types.Unalias(t).(*types.Pointer); ok {
			return false
		}
		n, ok := types.Unalias(t).(*types.Named)
		return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == path && n.Obj().Name() == name
	}
	if pointer {
		star, ok := e.(*ast.StarExpr)
		if !ok {
			return false
		}
		e = star.X
	}
	return IsPkgSelector(nil, imps, e, path, name)
}

// LocalCtx returns a local variable of type context.Context declared in the
// function body before pos and in scope at pos, when types are known.
func LocalCtx(info *types.Info, body *ast.BlockStmt, pos token.Pos) (string, bool) {
	if info == nil || body == nil {
		return "", false
	}
	name := ""
	ast.Inspect(body, func(n ast.Node) bool {
		if name != "" {
			return false
		}
		if n != nil && n.Pos() > pos {
			return false
		}
		id, ok := n.(*ast.Ident)
		if !ok || id.Name == "_" {
			return true
		}
		obj, ok := info.Defs[id].(*types.Var)
		if !ok || obj.Parent() == nil || !obj.Parent().Contains(pos) || obj.Pos() >= pos {
			return true
		}
		if IsNamed(obj.Type(), "context", "Context") {
			if _, isPtr := types.Unalias(obj.Type()).(*types.Pointer); !isPtr {
				name = id.Name
			}
		}
		return true
	})
	return name, name != ""
}

// carriesContext reports whether t is a struct type, or a pointer to one,
// that embeds context.Context: a framework's request context (a job's or
// handler's Context type) is then itself the caller's context.
func carriesContext(t types.Type) bool {
	if t == nil {
		return false
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for f := range st.Fields() {
		if f.Embedded() && IsNamed(f.Type(), "context", "Context") {
			return true
		}
	}
	return false
}
