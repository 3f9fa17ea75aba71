package review

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// conversions adds to node from the edges of the conversions to interfaces
// that n makes: where a value of a concrete type flows into an interface
// with methods, code out of sight may call the type's methods that the
// interface's method set holds (river calls a worker's Work, net/http a
// handler's ServeHTTP). lits are the function literals around n, innermost
// last, for the results a return converts to.
//
// Decisions:
//   - The flows followed: a call's argument to an interface parameter (the
//     call's resolved signature: variadic and instantiated generic
//     parameters), an assignment or var declaration to an interface
//     variable, field, map or slice element, a composite literal's field,
//     element or map key, a return to an interface result, a conversion
//     I(x), and a send on a channel of interfaces.
//   - Only where the static types differ: a concrete type (not an
//     interface, not a type parameter) into an interface.
//   - The empty interface (any) hands over no method by itself: log.Println(v)
//     does not make every method of v live. A value handed as any to a
//     function of another module may be asserted there to that package's
//     own interfaces, though: go-flags runs a command handed to AddCommand
//     as a Commander, encoding/json a Marshaler. Such an argument hands over
//     the methods of each exported interface of the callee's package that
//     its type implements. Methods called by reflection (net/rpc's Register,
//     text/template) are not followed.
//   - A blank target (var _ I = (*T)(nil), _ = x) is a compile-time
//     assertion, not a flow: nothing runs the methods.
//   - Only methods declared in the module become edges (promoted methods of
//     embedded fields included): those of other modules are never judged.
func (b *builder) conversions(from string, n ast.Node, lits []*ast.FuncLit) {
	switch x := n.(type) {
	case *ast.CallExpr:
		tv, ok := b.info.Types[x.Fun]
		if !ok {
			return
		}
		if tv.IsType() {
			if len(x.Args) == 1 {
				b.convert(from, x.Args[0], tv.Type) // I(x)
			}
			return
		}
		sig, ok := tv.Type.Underlying().(*types.Signature)
		if !ok {
			return
		}
		params := sig.Params()
		var foreign *types.Package // the callee's package, when another module's
		looked := false
		for i, a := range x.Args {
			var t types.Type
			switch {
			case sig.Variadic() && i >= params.Len()-1 && x.Ellipsis == 0:
				if s, ok := params.At(params.Len() - 1).Type().Underlying().(*types.Slice); ok {
					t = s.Elem()
				}
			case i < params.Len():
				t = params.At(i).Type()
			}
			b.convert(from, a, t)
			if t == nil || !isAny(t) {
				continue
			}
			if !looked {
				looked = true
				if fn := typeutil.StaticCallee(b.info, x); fn != nil && fn.Pkg() != nil && !b.g.our(fn.Pkg().Path()) {
					foreign = fn.Pkg()
				}
			}
			if foreign == nil {
				continue // a call of the module's own, or of a function value
			}
			src := b.info.TypeOf(a)
			if src == nil || types.IsInterface(src) {
				continue
			}
			for _, it := range b.g.interfacesOf(foreign) {
				if types.Implements(src, it.Underlying().(*types.Interface)) {
					b.convert(from, a, it)
				}
			}
		}
	case *ast.AssignStmt:
		if len(x.Lhs) != len(x.Rhs) {
			return
		}
		for i, l := range x.Lhs {
			if !blank(l) {
				b.convert(from, x.Rhs[i], b.info.TypeOf(l))
			}
		}
	case *ast.ValueSpec:
		if x.Type == nil || len(x.Names) != len(x.Values) {
			return
		}
		t := b.info.TypeOf(x.Type)
		for i, v := range x.Values {
			if !blank(x.Names[i]) {
				b.convert(from, v, t)
			}
		}
	case *ast.CompositeLit:
		b.literal(from, x)
	case *ast.ReturnStmt:
		sig := b.sig
		if len(lits) > 0 {
			sig, _ = b.info.TypeOf(lits[len(lits)-1]).(*types.Signature)
		}
		if sig == nil || sig.Results().Len() != len(x.Results) {
			return
		}
		for i, r := range x.Results {
			b.convert(from, r, sig.Results().At(i).Type())
		}
	case *ast.SendStmt:
		if t := b.info.TypeOf(x.Chan); t != nil {
			if c, ok := t.Underlying().(*types.Chan); ok {
				b.convert(from, x.Value, c.Elem())
			}
		}
	}
}

// literal adds the conversions of a composite literal's fields, elements
// and map keys.
func (b *builder) literal(from string, x *ast.CompositeLit) {
	t := b.info.TypeOf(x)
	if t == nil {
		return
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem() // an elided &T in a []*T literal
	}
	switch u := t.Underlying().(type) {
	case *types.Struct:
		for i, el := range x.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok {
					if f, ok := b.info.Uses[id].(*types.Var); ok {
						b.convert(from, kv.Value, f.Type())
					}
				}
			} else if i < u.NumFields() {
				b.convert(from, el, u.Field(i).Type())
			}
		}
	case *types.Slice, *types.Array, *types.Map:
		var key, elem types.Type
		switch u := u.(type) {
		case *types.Slice:
			elem = u.Elem()
		case *types.Array:
			elem = u.Elem()
		case *types.Map:
			key, elem = u.Key(), u.Elem()
		}
		for _, el := range x.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				if key != nil {
					b.convert(from, kv.Key, key)
				}
				el = kv.Value
			}
			b.convert(from, el, elem)
		}
	}
}

// convert adds to node from an edge to each method of the module that
// handing the value v to the interface target hands over, when v's type is
// concrete and target an interface with methods.
func (b *builder) convert(from string, v ast.Expr, target types.Type) {
	if target == nil || !types.IsInterface(target) {
		return
	}
	if _, ok := target.(*types.TypeParam); ok {
		return
	}
	it, ok := target.Underlying().(*types.Interface)
	if !ok || it.NumMethods() == 0 {
		return
	}
	src := b.info.TypeOf(v)
	if src == nil || types.IsInterface(src) {
		return // an interface (or a type parameter) already, or untyped nil
	}
	switch s := src.(type) {
	case *types.Tuple:
		return // f(g()) with g's results spread: not followed
	case *types.Basic:
		if s.Kind() == types.UntypedNil {
			return
		}
	}
	ms := b.g.msets.MethodSet(src)
	for i := range it.NumMethods() {
		m := it.Method(i)
		sel := ms.Lookup(m.Pkg(), m.Name())
		if sel == nil {
			continue
		}
		fn, ok := sel.Obj().(*types.Func)
		if !ok || fn.Pkg() == nil || !b.g.our(fn.Pkg().Path()) {
			continue
		}
		b.g.edges[from] = append(b.g.edges[from], ref{to: key(fn), pkg: fn.Pkg().Path()})
	}
}

// isAny reports whether t is the empty interface.
func isAny(t types.Type) bool {
	it, ok := t.Underlying().(*types.Interface)
	return ok && it.NumMethods() == 0 && !isTypeParam(t)
}

// isTypeParam reports whether t is a type parameter.
func isTypeParam(t types.Type) bool {
	_, ok := t.(*types.TypeParam)
	return ok
}

// interfacesOf returns the exported interface types with methods that pkg
// declares at package level, cached per package.
func (g *graph) interfacesOf(pkg *types.Package) []types.Type {
	if its, ok := g.ifaces[pkg]; ok {
		return its
	}
	var its []types.Type
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || !tn.Exported() || tn.IsAlias() {
			continue
		}
		if it, ok := tn.Type().Underlying().(*types.Interface); ok && it.NumMethods() > 0 {
			its = append(its, tn.Type())
		}
	}
	if g.ifaces == nil {
		g.ifaces = map[*types.Package][]types.Type{}
	}
	g.ifaces[pkg] = its
	return its
}

// blank reports whether an assignment's or declaration's target is _.
func blank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}
