package checklist

import (
	"go/ast"
	"go/types"
	"reflect"
	"strings"

	"github.com/prodready/prodready/checklist/internal/code"
)

// loopbackDefaults returns the variables and struct fields of files that a
// command-line flag binds with a loopback default: the operator may point
// them elsewhere, but the program is written to listen on the host only
// (a profiling or kube-proxy command's --listen-addr defaulting to
// 127.0.0.1:4242).
//
// Decisions: a flag binds a target when a call named StringVar takes &x
// and a constant default (flag, pflag and cobra's Flags():
// StringVar(&x, name, value, usage), StringVarP(&x, name, short, value,
// usage)), when x := String(name, value, usage) or StringP(...) of a flag
// package is read through *x, when kingpin's Default("...") precedes
// StringVar(&x), or when a urfave/cli StringFlag literal names the
// target as its Destination and the default as its Value. A config
// struct's field whose tag gives a loopback default (`default:"..."`,
// `envDefault:"..."`) counts wherever it is read ([tagLoopback]).
//
// Written here: the flag libraries share no interface that says which
// variable a flag binds, so the calls are read by their shape.
func loopbackDefaults(info *types.Info, files []*ast.File) map[types.Object]bool {
	out := map[types.Object]bool{}
	if info == nil {
		return out
	}
	bind := func(target ast.Expr, def ast.Expr) {
		s, ok := constString(info, def)
		if !ok || !loopbackHost(s) {
			return
		}
		if u, ok := ast.Unparen(target).(*ast.UnaryExpr); ok {
			target = u.X
		}
		if obj := objectOf(info, target); obj != nil {
			out[obj] = true
		}
	}
	// p := flag.String(name, value, usage), var p = fs.StringP(...): *p.
	flagPointer := func(p, v ast.Expr) {
		call, ok := ast.Unparen(v).(*ast.CallExpr)
		if !ok || !flagPackageCall(info, call) {
			return
		}
		switch name := code.CallName(call); {
		case name == "String" && len(call.Args) >= 2:
			bind(p, call.Args[1])
		case name == "StringP" && len(call.Args) >= 3:
			bind(p, call.Args[2])
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				switch name := code.CallName(x); {
				case name == "StringVar" && len(x.Args) >= 3:
					bind(x.Args[0], x.Args[2])
				case name == "StringVarP" && len(x.Args) >= 4:
					bind(x.Args[0], x.Args[3])
				case name == "StringVar" && len(x.Args) == 1:
					if recv, ok := ast.Unparen(receiverOf(x)).(*ast.CallExpr); ok && code.CallName(recv) == "Default" && len(recv.Args) == 1 {
						bind(x.Args[0], recv.Args[0])
					}
				}
			case *ast.AssignStmt:
				if len(x.Lhs) == 1 && len(x.Rhs) == 1 {
					flagPointer(x.Lhs[0], x.Rhs[0])
				}
			case *ast.ValueSpec:
				if len(x.Names) == 1 && len(x.Values) == 1 {
					flagPointer(x.Names[0], x.Values[0])
				}
			case *ast.CompositeLit:
				var dest, value ast.Expr
				for _, el := range x.Elts {
					if kv, ok := el.(*ast.KeyValueExpr); ok {
						if id, ok := kv.Key.(*ast.Ident); ok {
							switch id.Name {
							case "Destination":
								dest = kv.Value
							case "Value":
								value = kv.Value
							}
						}
					}
				}
				if dest != nil && value != nil {
					bind(dest, value)
				}
			}
			return true
		})
	}
	return out
}

// flagPackageCall reports whether call is a function or method of a flag
// package (flag, spf13/pflag): a path whose last element says flag.
func flagPackageCall(info *types.Info, call *ast.CallExpr) bool {
	fn := code.Callee(info, call)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	p := fn.Pkg().Path()
	return p == "flag" || strings.HasSuffix(p, "/pflag")
}

// objectOf returns the variable or field e names: an identifier or a
// selector (o.listenAddr).
func objectOf(info *types.Info, e ast.Expr) types.Object {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		if obj := info.Uses[x]; obj != nil {
			return obj
		}
		return info.Defs[x]
	case *ast.SelectorExpr:
		if sel := info.Selections[x]; sel != nil {
			return sel.Obj()
		}
		return info.Uses[x.Sel]
	}
	return nil
}

// loopbackDefault reports whether e reads an address whose default is the
// loopback: a variable or field a flag of the package binds so, *p of a
// flag.String so bound, or a field whose tag gives such a default.
func (u *hostOnly) loopbackDefault(info *types.Info, e ast.Expr) bool {
	if u == nil || info == nil {
		return false
	}
	u.read()
	e = ast.Unparen(e)
	if star, ok := e.(*ast.StarExpr); ok {
		e = star.X
	}
	obj := objectOf(info, e)
	if obj == nil {
		return false
	}
	if u.defaults[obj] {
		return true
	}
	sel, ok := e.(*ast.SelectorExpr)
	return ok && tagLoopback(info, sel)
}

// tagLoopback reports whether the struct field sel selects carries a tag
// whose default is a loopback address: `default:"127.0.0.1:9999"` (kong,
// creasty/defaults, go-envconfig), `envDefault:"localhost:6060"` (caarlos0/env).
func tagLoopback(info *types.Info, sel *ast.SelectorExpr) bool {
	s := info.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal {
		return false
	}
	t := s.Recv()
	idx := s.Index()
	for i, k := range idx {
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok || k >= st.NumFields() {
			return false
		}
		if i == len(idx)-1 {
			tag := reflect.StructTag(st.Tag(k))
			for _, key := range []string{"default", "envDefault"} {
				if v, ok := tag.Lookup(key); ok && loopbackHost(v) {
					return true
				}
			}
			return false
		}
		t = st.Field(k).Type()
	}
	return false
}
