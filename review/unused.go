package review

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/packages"
)

// unused tells which declared functions of an application nothing that
// runs in production reaches: a finding inside one is about code that does
// not run, which a reviewer does not want commented on.
//
// Decisions:
//   - Only in an application: some loaded root package is a main package
//     that is not an example, a test or a developers' tool (a library's
//     examples/ and tools/ mains do not make it an application).
//     A library's exported functions are called by its users, whom the
//     module does not show. In a review the loader widens the change to
//     every package of the module that imports it (load.WithChains), so
//     every possible caller of a changed function is loaded too.
//   - Reachability over references, not calls: a function is live when a
//     live function, or code outside any function (a package-level
//     variable's initialiser), refers to it by name (a call, a function
//     value, a method value). Roots are main, init, functions a directive
//     exposes (//go:linkname, //export) and package-level code. _test.go
//     files are not roots: code only tests reach is not production.
//   - Functions are compared by full name, so that a package's test variant
//     and the package agree. All methods of one name are one node: an
//     interface call reaches every implementation, and the model does not
//     follow conversions to interfaces, so the name is the conservative
//     test (a method is live when a live function refers to any method or
//     interface method of that name).
//
// Written here rather than taken from golang.org/x/tools/go/callgraph
// (RTA): that needs the SSA form of every package, which the review does not
// build, and the question is only whether a name is reached at all.
type unused struct {
	app  bool
	live map[string]bool // nodes reached: function full names, "method:" + name
}

// node names a function for the reference graph.
func node(fn *types.Func) string {
	fn = fn.Origin()
	if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
		return "method:" + fn.Name()
	}
	return fn.FullName()
}

// newUnused builds the reference graph of pkgs (the run's root packages)
// and walks it from the roots.
func newUnused(pkgs []*packages.Package) *unused {
	u := &unused{live: map[string]bool{}}
	for _, p := range pkgs {
		if p.Name == "main" && !exampleOrTool(p.PkgPath) {
			u.app = true
		}
	}
	if !u.app {
		return u // a library: the graph is not needed
	}
	edges := map[string][]string{}
	var roots []string
	for _, p := range pkgs {
		if p.TypesInfo == nil {
			continue
		}
		for _, f := range p.Syntax {
			if tf := p.Fset.File(f.Pos()); tf != nil && strings.HasSuffix(tf.Name(), "_test.go") {
				continue
			}
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok {
					// Package-level code: what it refers to is reached
					// when the package is initialised.
					roots = append(roots, refs(p.TypesInfo, d)...)
					continue
				}
				fn, ok := p.TypesInfo.Defs[fd.Name].(*types.Func)
				if !ok {
					continue
				}
				from := node(fn)
				if directive(fd) || (fd.Recv == nil && (fd.Name.Name == "main" || fd.Name.Name == "init")) {
					roots = append(roots, from)
				}
				if fd.Body != nil {
					edges[from] = append(edges[from], refs(p.TypesInfo, fd.Body)...)
				}
			}
		}
	}
	for len(roots) > 0 {
		n := roots[len(roots)-1]
		roots = roots[:len(roots)-1]
		if u.live[n] {
			continue
		}
		u.live[n] = true
		roots = append(roots, edges[n]...)
	}
	return u
}

// refs returns the nodes of the functions n refers to.
func refs(info *types.Info, n ast.Node) []string {
	var out []string
	ast.Inspect(n, func(m ast.Node) bool {
		if id, ok := m.(*ast.Ident); ok {
			if fn, ok := info.Uses[id].(*types.Func); ok {
				out = append(out, node(fn))
			}
		}
		return true
	})
	return out
}

// unusedFunc returns the name of the declared function holding pos in pkg
// when nothing live reaches it, else "".
func (u *unused) unusedFunc(pkg *packages.Package, pos token.Pos) string {
	if u == nil || !u.app || pkg.TypesInfo == nil {
		return ""
	}
	for _, f := range pkg.Syntax {
		if f.FileStart > pos || pos > f.FileEnd {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Pos() > pos || pos > fd.End() {
				continue
			}
			fn, ok := pkg.TypesInfo.Defs[fd.Name].(*types.Func)
			if !ok || u.live[node(fn)] {
				return ""
			}
			return fd.Name.Name
		}
	}
	return ""
}

// exampleOrTool reports whether a package path has a segment naming
// examples, tests or developers' tools.
func exampleOrTool(path string) bool {
	for seg := range strings.SplitSeq(path, "/") {
		switch strings.ToLower(seg) {
		case "example", "examples", "_examples", "test", "tests", "testdata", "e2e", "hack", "tools", "scripts", "internal_tools":
			return true
		}
	}
	return false
}

// directive reports whether a function's doc carries a directive that
// makes something outside Go's references call it (//go:linkname,
// //export for cgo).
func directive(fd *ast.FuncDecl) bool {
	if fd.Doc == nil {
		return false
	}
	for _, c := range fd.Doc.List {
		if strings.HasPrefix(c.Text, "//go:linkname") || strings.HasPrefix(c.Text, "//export ") {
			return true
		}
	}
	return false
}
