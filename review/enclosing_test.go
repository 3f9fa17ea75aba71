package review

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

func TestEnclosingFunc(t *testing.T) {
	src := "package p\n\nfunc A() {\n\t_ = 1\n}\n\nvar v = 2\n\ntype T struct{}\n\nfunc (t *T) M() {\n\t_ = 3\n}\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg := &packages.Package{Syntax: []*ast.File{f}}
	at := func(needle string) token.Pos {
		return f.FileStart + token.Pos(strings.Index(src, needle))
	}
	for needle, want := range map[string]string{"_ = 1": "A", "v = 2": "", "_ = 3": "T.M", "package": "", "struct{}": ""} {
		if got := enclosingFunc(pkg, at(needle)); got != want {
			t.Errorf("enclosingFunc at %q = %q, want %q", needle, got, want)
		}
	}
}
