// Package code answers the questions the checks ask about the code they
// read: which function a call names or calls, what type an expression has,
// which local variable an identifier is and where it goes, what context a
// function has at hand, and how a function can exit. It uses type information
// when the package has it and falls back to syntax (the file's imports and
// identifier names) when it does not, so that checks keep working on packages
// that fail to type-check: such a package arrives with empty (never nil) maps
// in its types.Info.
package code

import (
	"go/ast"
	"go/token"
	"go/types"
	"iter"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/inspector"
)

// Ref names what an expression refers to: a package-level function, variable,
// type or constant (Recv empty), or a method or field (Recv is the receiver's
// named type).
type Ref struct {
	// Pkg is the import path of the declaring package.
	Pkg string
	// Recv is the receiver type's name for methods and fields, else "".
	Recv string
	// Name is the object's name.
	Name string
	// Typed is true when the answer came from type information.
	Typed bool
}

// Is reports whether r is pkg.name (Recv empty) or, with name of the form
// "Type.Method", the method or field Method of pkg.Type.
func (r Ref) Is(pkg, name string) bool {
	if r.Pkg != pkg {
		return false
	}
	if recv, meth, ok := strings.Cut(name, "."); ok {
		return r.Recv == recv && r.Name == meth
	}
	return r.Recv == "" && r.Name == name
}

// Resolve says what e (an identifier or selector, possibly parenthesised or
// instantiated) refers to. It returns the zero Ref when it cannot tell.
func Resolve(info *types.Info, file *ast.File, e ast.Expr) Ref {
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.IndexExpr:
		return Resolve(info, file, x.X)
	case *ast.IndexListExpr:
		return Resolve(info, file, x.X)
	case *ast.Ident:
		if info != nil {
			if obj := info.Uses[x]; obj != nil {
				return refOf(obj)
			}
		}
	case *ast.SelectorExpr:
		if info != nil {
			if sel := info.Selections[x]; sel != nil {
				return refOf(sel.Obj())
			}
			if obj := info.Uses[x.Sel]; obj != nil {
				return refOf(obj)
			}
		}
		// Syntax: pkgname.Name where pkgname is one of the file's imports.
		if id, ok := ast.Unparen(x.X).(*ast.Ident); ok && file != nil {
			if info != nil {
				if obj := info.Uses[id]; obj != nil {
					if pn, ok := obj.(*types.PkgName); ok {
						return Ref{Pkg: pn.Imported().Path(), Name: x.Sel.Name, Typed: true}
					}
					return Ref{}
				}
			}
			if path := ImportPath(file, id.Name); path != "" {
				return Ref{Pkg: path, Name: x.Sel.Name}
			}
		}
	}
	return Ref{}
}

func refOf(obj types.Object) Ref {
	if obj == nil || obj.Pkg() == nil {
		return Ref{}
	}
	r := Ref{Pkg: obj.Pkg().Path(), Name: obj.Name(), Typed: true}
	switch o := obj.(type) {
	case *types.Func:
		if sig, ok := o.Type().(*types.Signature); ok && sig.Recv() != nil {
			if n := NamedOf(sig.Recv().Type()); n != nil {
				r.Recv = n.Obj().Name()
				if n.Obj().Pkg() != nil {
					r.Pkg = n.Obj().Pkg().Path()
				}
			} else {
				r.Recv = "?"
			}
		}
	case *types.Var:
		if o.IsField() {
			// The struct holding a field is not recorded on the field; callers
			// that care about fields use TypeOf on the selector's operand.
			r.Recv = "?"
		}
	}
	return r
}

// IsPointerTo reports whether t is *pkg.name.
func IsPointerTo(t types.Type, pkg, name string) bool {
	if t == nil {
		return false
	}
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && IsNamed(p.Elem(), pkg, name)
}

// TypeExprIs reports whether the type expression te (as written in a composite
// literal, new(T) or a declaration) denotes pkg.name, by types or by syntax.
func TypeExprIs(info *types.Info, file *ast.File, te ast.Expr, pkg, name string) bool {
	if te == nil {
		return false
	}
	if t := TypeOf(info, te); t != nil {
		return IsNamed(t, pkg, name)
	}
	te = ast.Unparen(te)
	if st, ok := te.(*ast.StarExpr); ok {
		te = st.X
	}
	return Resolve(info, file, te).Is(pkg, name)
}

// ImportPath returns the import path that local name stands for in file, or "".
func ImportPath(file *ast.File, local string) string {
	for _, imp := range file.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		if importLocal(imp, path) == local {
			return path
		}
	}
	return ""
}

// Preorder yields, in preorder, the cursor of every node of the given kinds
// in the inspector's package together with the file that holds it. Knowing the
// file from the walk saves climbing the tree for every node, which profiling
// showed to be the catalogue's largest single cost on a large module.
//
// Generated files (see [Generated]) are left out: prodready reports nothing
// in them (a finding there is fixed in the generator), and in modules of
// generated clients they are most of the code.
func Preorder(insp *inspector.Inspector, kinds ...ast.Node) iter.Seq2[*ast.File, inspector.Cursor] {
	return func(yield func(*ast.File, inspector.Cursor) bool) {
		for fc := range insp.Root().Children() {
			file, ok := fc.Node().(*ast.File)
			if !ok || Generated(file) {
				continue
			}
			for c := range fc.Preorder(kinds...) {
				if !yield(file, c) {
					return
				}
			}
		}
	}
}

// AnyAssignment reports whether root holds a pairwise assignment (l1, l2 =
// r1, r2, or :=) with one pair for which match holds.
func AnyAssignment(root ast.Node, match func(lhs, rhs ast.Expr) bool) bool {
	found := false
	ast.Inspect(root, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || found || len(as.Lhs) != len(as.Rhs) {
			return !found
		}
		for i, l := range as.Lhs {
			if match(l, as.Rhs[i]) {
				found = true
				break
			}
		}
		return !found
	})
	return found
}

// Stack returns the path from the file down to the node at c, the node last:
// what inspector.WithStack hands its callback. Built on demand, after a cheap
// test has kept the node, it spares the walk the cost of keeping a stack for
// every node of a kind as common as *ast.CallExpr.
func Stack(c inspector.Cursor) []ast.Node {
	var st []ast.Node
	for p := c; p.Node() != nil; p = p.Parent() {
		st = append(st, p.Node())
	}
	slices.Reverse(st)
	return st
}

// FuncOf returns the innermost function (declaration or literal) enclosing c,
// its body, and its type; body is nil at file level.
func FuncOf(c inspector.Cursor) (ast.Node, *ast.FuncType, *ast.BlockStmt) {
	for p := range c.Parent().Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		return p.Node(), FuncType(p.Node()), Body(p.Node())
	}
	return nil, nil, nil
}

// OuterFuncOf returns the outermost function declaration (or top-level
// function literal) enclosing c, so that closures inside it are searched too.
func OuterFuncOf(c inspector.Cursor) (ast.Node, *ast.BlockStmt) {
	var node ast.Node
	for p := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		node = p.Node()
	}
	return node, Body(node)
}

// RootIdent returns the identifier at the root of a selector chain such as
// a.b.c, or nil.
func RootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// Contains reports whether pos lies within n.
func Contains(n ast.Node, pos token.Pos) bool {
	return n != nil && n.Pos() <= pos && pos < n.End()
}

// CallName returns the selected or called name of a call: "Do" for c.Do(x),
// "Get" for http.Get(u), "f" for f(x).
func CallName(call *ast.CallExpr) string {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	case *ast.IndexExpr:
		if id, ok := f.X.(*ast.Ident); ok {
			return id.Name
		}
	}
	return ""
}

// LastName is the name an identifier or selector ends in: s.sessions gives
// sessions; "" for any other expression.
func LastName(e ast.Expr) string {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return x.Sel.Name
	}
	return ""
}

// IsStdlib reports whether an import path belongs to the standard library.
func IsStdlib(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return path != "" && !strings.Contains(first, ".")
}

// Ancestors yields the nodes enclosing c, innermost first, up to and
// including its *ast.File, and never the inspector's root (whose Parent
// panics).
func Ancestors(c inspector.Cursor) iter.Seq[inspector.Cursor] {
	return func(yield func(inspector.Cursor) bool) {
		p := c
		for {
			if _, isFile := p.Node().(*ast.File); isFile || p.Node() == nil {
				return
			}
			p = p.Parent()
			if p.Node() == nil || !yield(p) {
				return
			}
		}
	}
}

// AnyCall reports whether some call inside n satisfies match, stopping at
// the first that does.
func AnyCall(n ast.Node, match func(*ast.CallExpr) bool) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if found {
			return false
		}
		if call, ok := x.(*ast.CallExpr); ok && match(call) {
			found = true
		}
		return !found
	})
	return found
}

// headBytes is how much of a file review reads for a generated-code marker
// (review.isGenerated); a marker further down does not count there either.
const headBytes = 8 << 10

// Generated reports whether file carries Go's generated-code marker, a
// "// Code generated ... DO NOT EDIT." line before the package clause,
// within the first 8 KiB of the file. That is a subset of the files review
// treats as generated (it also takes other generators' banners), so a check
// that skips the files Generated reports loses no finding that review would
// keep: review drops every finding in a generated file.
func Generated(file *ast.File) bool {
	const prefix, suffix = "// Code generated ", " DO NOT EDIT."
	for _, group := range file.Comments {
		for _, c := range group.List {
			if c.Pos() > file.Package || int(c.End()-file.FileStart) > headBytes {
				return false
			}
			if strings.Contains(c.Text, "\npackage ") {
				return false // review stops reading its header at a package line
			}
			if !strings.Contains(c.Text, prefix) {
				continue
			}
			for line := range strings.SplitSeq(c.Text, "\n") {
				line = strings.TrimSuffix(line, "\r")
				if rest, ok := strings.CutPrefix(line, prefix); ok && strings.HasSuffix(rest, suffix) {
					return true
				}
			}
		}
	}
	return false
}

// ZeroLiteral reports whether e is written as a zero value: 0, an empty
// string literal (interpreted or raw) or nil.
func ZeroLiteral(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.BasicLit:
		return x.Value == "0" || x.Value == `""` || x.Value == "``"
	case *ast.Ident:
		return x.Name == "nil"
	}
	return false
}
