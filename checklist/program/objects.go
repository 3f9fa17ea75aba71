package program

import (
	"go/ast"
	"go/types"
	"strings"

	"github.com/prodready/prodready/checklist/internal/code"
)

// objectCreate classifies a Kubernetes Create call (a typed clientset's,
// the dynamic client's or controller-runtime's) whose object gets a name
// made up at the call: metadata.generateName, or a Name built from a UUID
// or a random string. The API server takes each such Create as a new
// object, so a delivery that runs twice makes two; a name derived from the
// delivery would make the second fail with AlreadyExists instead. Only the
// function that calls Create is searched for the name: an object built
// elsewhere is not judged (the pattern, chosen for precision).
func objectCreate(info *types.Info, outer *ast.BlockStmt, call *ast.CallExpr, pkg, name string) *Effect {
	if name != "Create" || !kubeClient(pkg) || outer == nil {
		return nil
	}
	var obj ast.Expr
	for _, a := range call.Args {
		if t := info.TypeOf(a); t != nil && kubeObject(t) {
			obj = a
			break
		}
	}
	if obj == nil {
		return nil
	}
	how := ""
	switch x := code.Unaddr(obj).(type) {
	case *ast.CompositeLit:
		how = madeUpName(info, x)
	case *ast.Ident:
		v := info.Uses[x]
		if v == nil {
			return nil
		}
		ast.Inspect(outer, func(n ast.Node) bool {
			if how != "" {
				return false
			}
			switch s := n.(type) {
			case *ast.AssignStmt:
				for i, l := range s.Lhs {
					if i >= len(s.Rhs) || len(s.Lhs) != len(s.Rhs) {
						break
					}
					if id, ok := l.(*ast.Ident); ok && (info.Defs[id] == v || info.Uses[id] == v) {
						if lit, ok := code.Unaddr(s.Rhs[i]).(*ast.CompositeLit); ok {
							how = madeUpName(info, lit)
						}
					}
					if sel, ok := l.(*ast.SelectorExpr); ok && rootIs(info, sel, v) {
						switch sel.Sel.Name {
						case "GenerateName":
							how = "generateName"
						case "Name":
							if randomExpr(info, s.Rhs[i]) {
								how = "a random name"
							}
						}
					}
				}
			case *ast.ValueSpec:
				for i, id := range s.Names {
					if info.Defs[id] == v && i < len(s.Values) {
						if lit, ok := code.Unaddr(s.Values[i]).(*ast.CompositeLit); ok {
							how = madeUpName(info, lit)
						}
					}
				}
			case *ast.CallExpr:
				if sel, ok := ast.Unparen(s.Fun).(*ast.SelectorExpr); ok && rootIs(info, sel.X, v) {
					switch {
					case sel.Sel.Name == "SetGenerateName":
						how = "generateName"
					case sel.Sel.Name == "SetName" && len(s.Args) == 1 && randomExpr(info, s.Args[0]):
						how = "a random name"
					}
				}
			}
			return true
		})
	}
	if how == "" {
		return nil
	}
	return &Effect{Kind: ObjectCreate, Detail: "Kubernetes object under " + how, Pos: call.Pos()}
}

// kubeClient reports whether pkg holds a Kubernetes API client: client-go
// (typed, dynamic), controller-runtime, or a clientset an application
// generated (…/clientset/versioned/typed/…).
func kubeClient(pkg string) bool {
	return hasPrefix(pkg, "k8s.io/client-go/", "sigs.k8s.io/controller-runtime/") || strings.Contains(pkg, "/clientset/")
}

// kubeObject reports whether t is (a pointer to) a struct with ObjectMeta
// embedded, or an unstructured object: what a Create writes.
func kubeObject(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Name() == "Unstructured" {
		return true
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := range st.NumFields() {
		if f := st.Field(i); f.Embedded() && f.Name() == "ObjectMeta" {
			return true
		}
	}
	return false
}

// madeUpName says how a composite literal names its object when it makes
// the name up: "generateName" for a GenerateName key anywhere in it, "a
// random name" for a Name key whose value calls a UUID or random source.
func madeUpName(info *types.Info, lit *ast.CompositeLit) string {
	how := ""
	ast.Inspect(lit, func(n ast.Node) bool {
		kv, ok := n.(*ast.KeyValueExpr)
		if !ok || how != "" {
			return how == ""
		}
		if id, ok := kv.Key.(*ast.Ident); ok {
			switch {
			case id.Name == "GenerateName":
				how = "generateName"
			case id.Name == "Name" && randomExpr(info, kv.Value):
				how = "a random name"
			}
		}
		return true
	})
	return how
}

// randomExpr reports whether e calls a UUID or random-string source.
func randomExpr(info *types.Info, e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		if fn := code.Callee(info, call); fn != nil && fn.Pkg() != nil {
			p := fn.Pkg().Path()
			if strings.Contains(p, "uuid") || p == "k8s.io/apimachinery/pkg/util/rand" || p == "math/rand" || p == "math/rand/v2" {
				found = true
			}
		}
		return true
	})
	return found
}

// rootIs reports whether the selector chain e (obj.ObjectMeta.Name) starts
// at the variable v.
func rootIs(info *types.Info, e ast.Expr, v types.Object) bool {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			e = x.X
		case *ast.Ident:
			return info.Uses[x] == v
		default:
			return false
		}
	}
}
