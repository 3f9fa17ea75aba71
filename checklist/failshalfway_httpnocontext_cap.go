package checklist

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist/internal/code"
)

// When a missing context is not the comment to post: http-no-context lowers
// a finding to info where the request goes out through a client with no
// Timeout (http-no-timeout posts the real problem on that very call, and a
// deadline fixes both: one comment per defect), and where the only context
// at hand is detached (context.WithoutCancel, context.Background()), so
// there is no cancellation to hand on.

// untimedNote, timedNote and detachedNote say why a finding is only info.
const (
	untimedNote  = " (info: the client has no Timeout, which http-no-timeout reports on this call; a deadline fixes both)"
	timedNote    = " (info: the client's own Timeout bounds the call, so a missing cancellation costs at most that long)"
	detachedNote = " (info: the context at hand is detached, so there is no cancellation to hand on)"
)

// timedFields lists, for one package, the struct fields that hold an
// *http.Client every assignment of which (s.hc = &http.Client{...},
// &Server{hc: &http.Client{...}}) is a client literal that sets Timeout.
// Read on first use: most packages send no request without a context.
type timedFields struct {
	pass   *analysis.Pass
	fields map[*types.Var]bool
}

// timedClient reports whether e, the client a request goes out through, is
// such a field (s.httpClient).
func (t *timedFields) timedClient(e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || t.pass.TypesInfo == nil {
		return false
	}
	v, ok := t.pass.TypesInfo.Uses[sel.Sel].(*types.Var)
	if !ok || !v.IsField() {
		return false
	}
	if t.fields == nil {
		t.read()
	}
	return t.fields[v]
}

// read fills fields from the package's assignments and keyed literals.
func (t *timedFields) read() {
	info := t.pass.TypesInfo
	t.fields = map[*types.Var]bool{}
	untimed := map[*types.Var]bool{}
	note := func(key *ast.Ident, val ast.Expr, body *ast.BlockStmt) {
		v, ok := info.Uses[key].(*types.Var)
		if !ok || !v.IsField() {
			return
		}
		if timedClientLit(val) || timedLocal(info, body, val) {
			t.fields[v] = true
		} else {
			untimed[v] = true
		}
	}
	for _, f := range t.pass.Files {
		for _, d := range f.Decls {
			var body *ast.BlockStmt
			if fd, ok := d.(*ast.FuncDecl); ok {
				body = fd.Body
			}
			ast.Inspect(d, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.AssignStmt:
					if len(x.Lhs) != len(x.Rhs) {
						return true
					}
					for i, l := range x.Lhs {
						if sel, ok := ast.Unparen(l).(*ast.SelectorExpr); ok {
							note(sel.Sel, x.Rhs[i], body)
						}
					}
				case *ast.KeyValueExpr:
					if key, ok := x.Key.(*ast.Ident); ok {
						note(key, x.Value, body)
					}
				}
				return true
			})
		}
	}
	for v := range untimed {
		delete(t.fields, v)
	}
}

// timedLocal reports whether e is a local variable whose Timeout the
// function sets (client := &http.Client{}; ...; client.Timeout = timeout),
// on the branch that builds it or on every path: a client the function
// takes from a cache instead was built by the same code.
func timedLocal(info *types.Info, body *ast.BlockStmt, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || body == nil {
		return false
	}
	v := code.VarOf(info, id)
	return code.AnyAssignment(body, func(l, _ ast.Expr) bool {
		sel, ok := ast.Unparen(l).(*ast.SelectorExpr)
		return ok && sel.Sel.Name == "Timeout" && v.Is(info, sel.X)
	})
}

// timedClientLit reports whether e is a client literal that sets Timeout:
// &http.Client{Timeout: ...} or http.Client{Timeout: ...}.
func timedClientLit(e ast.Expr) bool {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok {
		e = u.X
	}
	lit, ok := e.(*ast.CompositeLit)
	return ok && hasKey(lit, "Timeout") && strings.HasSuffix(types.ExprString(lit.Type), "Client")
}

// sentTimed reports whether the request call builds or sends goes out
// through a client held in a field that always carries a Timeout.
func sentTimed(t *timedFields, call *ast.CallExpr, name string, reqUses []code.Use) bool {
	if name == "http.NewRequest" {
		for _, u := range reqUses {
			if u.Kind != code.UseArg || code.CallName(u.Call) != "Do" {
				continue
			}
			if recv, _, ok := code.Selector(u.Call); ok && t.timedClient(recv) {
				return true
			}
		}
		return false
	}
	recv, _, ok := code.Selector(call)
	return ok && t.timedClient(recv)
}

// sentUntimed reports whether the request call builds or sends (named as
// noContextCall names it) goes out through a client with no Timeout:
// http.Get and its kind (http.DefaultClient, unless init gives it a
// Timeout), a Client method on such a client, or a request built with
// http.NewRequest and handed to such a client's Do in body.
func sentUntimed(info *types.Info, file *ast.File, body *ast.BlockStmt, call *ast.CallExpr, name string, timedDefault bool, reqUses []code.Use) bool {
	switch name {
	case "http.Get", "http.Head", "http.Post", "http.PostForm":
		return !timedDefault
	case "http.NewRequest":
		for _, u := range reqUses {
			if u.Kind != code.UseArg || code.CallName(u.Call) != "Do" {
				continue
			}
			if recv, _, ok := code.Selector(u.Call); ok && untimedClient(info, file, body, recv, timedDefault) {
				return true
			}
		}
		return false
	}
	recv, _, ok := code.Selector(call)
	return ok && untimedClient(info, file, body, recv, timedDefault)
}

// untimedClient reports whether e is http.DefaultClient (with no Timeout
// from init) or a local variable of body assigned only client literals
// (&http.Client{…}) that set no Timeout, and whose Timeout body never
// sets.
func untimedClient(info *types.Info, file *ast.File, body *ast.BlockStmt, e ast.Expr, timedDefault bool) bool {
	if code.Resolve(info, file, e).Is(netHTTP, "DefaultClient") {
		return !timedDefault
	}
	v, ok := code.LocalVar(info, e)
	if !ok || body == nil {
		return false
	}
	lits, other := 0, false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok {
			return true
		}
		for i, l := range as.Lhs {
			if sel, ok := l.(*ast.SelectorExpr); ok && v.Is(info, sel.X) && sel.Sel.Name == "Timeout" {
				other = true
			}
			if !v.Is(info, l) {
				continue
			}
			if len(as.Lhs) != len(as.Rhs) {
				other = true
				continue
			}
			r := ast.Unparen(as.Rhs[i])
			if u, ok := r.(*ast.UnaryExpr); ok {
				r = u.X
			}
			lit, ok := r.(*ast.CompositeLit)
			if !ok || !code.TypeExprIs(info, file, litType(info, lit), netHTTP, "Client") || hasKey(lit, "Timeout") {
				other = true
				continue
			}
			lits++
		}
		return true
	})
	return lits > 0 && !other
}

// detachedCtx reports whether the context at hand for a call at pos in
// body is detached: ctx (its expression) is a variable whose every
// assignment in body is context.WithoutCancel(…), context.Background() or
// TODO() (or a wrapper of those), or the call sits in a function literal
// and such a variable of the enclosing function is in scope: the closure
// was handed work meant to outlive the caller.
func detachedCtx(info *types.Info, imps code.Imports, body *ast.BlockStmt, stack []ast.Node, ctx string) bool {
	if body == nil {
		return false
	}
	detached := map[string]bool{}
	attached := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok {
			return true
		}
		for i, l := range as.Lhs {
			id, ok := l.(*ast.Ident)
			if !ok {
				continue
			}
			if len(as.Lhs) != len(as.Rhs) {
				attached[id.Name] = true // ctx, cancel := context.WithTimeout(…): a deadline to hand on
				continue
			}
			if t := code.TypeOf(info, id); t != nil && !code.IsNamed(t, "context", "Context") {
				continue
			}
			if detachedRoot(info, imps, as.Rhs[i]) {
				detached[id.Name] = true
			} else {
				attached[id.Name] = true
			}
		}
		return true
	})
	if detached[ctx] && !attached[ctx] {
		return true
	}
	inLit := false
	for _, n := range stack {
		if _, ok := n.(*ast.FuncLit); ok {
			inLit = true
		}
	}
	if !inLit {
		return false
	}
	for name := range detached {
		if !attached[name] {
			return true
		}
	}
	return false
}

// detachedRoot reports whether e is a context cut from its caller's
// cancellation, with no deadline of its own: context.WithoutCancel(…),
// Background() or TODO(), directly or under context.WithValue.
func detachedRoot(info *types.Info, imps code.Imports, e ast.Expr) bool {
	for {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return false
		}
		if code.IsPkgCall(info, imps, call, "context", "WithoutCancel", "Background", "TODO") {
			return true
		}
		if !code.IsPkgCall(info, imps, call, "context", "WithValue") || len(call.Args) == 0 {
			return false
		}
		e = call.Args[0]
	}
}
