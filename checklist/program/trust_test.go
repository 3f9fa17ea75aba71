package program

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

const trustSrc = `package p

import (
	"io"
	"net/http"
)

func handle(w http.ResponseWriter, r *http.Request) {
	_, _ = io.ReadAll(r.Body)
	resp, _ := http.Get("http://127.0.0.1")
	_, _ = io.ReadAll(resp.Body)
	var s struct{ Body io.Reader }
	_, _ = io.ReadAll(s.Body)
}
`

// TestTrustOf: a request body is a client's, a response body an upstream's,
// any other Body unknown.
func TestTrustOf(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", trustSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	if _, err := conf.Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	var got []Source
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Body" {
			got = append(got, TrustOf(info, sel))
		}
		return true
	})
	want := []Source{Client, Upstream, Unknown}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Body %d: %q, want %q", i, got[i], want[i])
		}
	}
}
