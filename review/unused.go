package review

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/packages"
)

// unused tells which declared functions of an application nothing in the
// module calls outside tests: a finding inside one is about code that does
// not run in production, which a reviewer does not want commented on.
//
// Decisions:
//   - Only in an application: some loaded root package is a main package.
//     A library's exported functions are called by its users, whom the
//     module does not show. In a review the loader widens the change to
//     every package of the module that imports it (load.WithChains), so
//     every possible caller of a changed function is loaded too.
//   - A function counts as used when any non-test file of a loaded package
//     refers to it (a call, a function value, a method value), compared by
//     its full name so that a package's test variant and the package agree.
//   - A method counts as used when any method or interface method of that
//     name is referred to anywhere: an interface call reaches every
//     implementation, and the model does not follow conversions to
//     interfaces, so the name is the conservative test.
//   - main, init, and functions a file marks with a directive (//go:linkname,
//     //export) are used. Transitively dead code (called only from unused
//     functions) is not followed: one level keeps the rule cheap and safe.
//
// Written here rather than taken from golang.org/x/tools/go/callgraph
// (RTA): that needs the SSA form of every package, which the review does not
// build, and the question is only whether a name is referred to at all.
type unused struct {
	app     bool
	funcs   map[string]bool // full names of functions referred to
	methods map[string]bool // names of methods referred to
}

// newUnused indexes the references of pkgs (the run's root packages).
func newUnused(pkgs []*packages.Package) *unused {
	u := &unused{funcs: map[string]bool{}, methods: map[string]bool{}}
	for _, p := range pkgs {
		if p.Name == "main" {
			u.app = true
		}
		if p.TypesInfo == nil {
			continue
		}
		tests := map[*token.File]bool{}
		for _, f := range p.Syntax {
			if tf := p.Fset.File(f.Pos()); tf != nil && strings.HasSuffix(tf.Name(), "_test.go") {
				tests[tf] = true
			}
		}
		for id, obj := range p.TypesInfo.Uses {
			fn, ok := obj.(*types.Func)
			if !ok || tests[p.Fset.File(id.Pos())] {
				continue
			}
			fn = fn.Origin()
			if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
				u.methods[fn.Name()] = true
				continue
			}
			u.funcs[fn.FullName()] = true
		}
	}
	return u
}

// unusedFunc returns the name of the declared function holding pos in pkg
// when nothing in the module refers to it outside tests, else "".
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
			if !ok || directive(fd) || (fd.Recv == nil && (fd.Name.Name == "main" || fd.Name.Name == "init")) {
				return ""
			}
			if fd.Recv != nil {
				if u.methods[fn.Name()] {
					return ""
				}
			} else if u.funcs[fn.FullName()] {
				return ""
			}
			return fd.Name.Name
		}
	}
	return ""
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
