// Package retryloop finds the bodies of retry loops: for loops counting
// attempts or backing off, and functions handed to retry helpers such as
// cenkalti/backoff's Retry or avast/retry-go's Do.
package retryloop

import (
	"go/ast"
	"go/types"
	"strings"
	"sync"

	"github.com/prodready/prodready/checklist/internal/code"
)

// retryPkgs are libraries whose functions run a callback until it succeeds.
var retryPkgs = map[string]bool{
	"github.com/cenkalti/backoff":       true,
	"github.com/cenkalti/backoff/v4":    true,
	"github.com/cenkalti/backoff/v5":    true,
	"github.com/avast/retry-go":         true,
	"github.com/avast/retry-go/v4":      true,
	"github.com/sethvargo/go-retry":     true,
	"k8s.io/client-go/util/retry":       true,
	"k8s.io/apimachinery/pkg/util/wait": true,
}

// Bodies returns the retry bodies of file: each loop that retries (its whole
// statement) and each function literal handed to a retry helper.
func Bodies(info *types.Info, file *ast.File) []ast.Node {
	var out []ast.Node
	var funcs []*ast.BlockStmt // enclosing function bodies, innermost last
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncDecl:
			if x.Body != nil {
				funcs = append(funcs, x.Body)
				ast.Inspect(x.Body, visit)
				funcs = funcs[:len(funcs)-1]
			}
			return false
		case *ast.ForStmt:
			if isRetryFor(x) {
				out = append(out, x)
			}
		case *ast.RangeStmt:
			if isRetryRange(info, x) {
				out = append(out, x)
			}
		case *ast.CallExpr:
			if isRetryCall(info, file, x) {
				for _, a := range x.Args {
					switch arg := ast.Unparen(a).(type) {
					case *ast.FuncLit:
						out = append(out, arg)
					case *ast.Ident:
						if len(funcs) > 0 {
							if fl := assignedFuncLit(info, funcs[len(funcs)-1], arg); fl != nil {
								out = append(out, fl)
							}
						}
					}
				}
			}
		}
		return true
	}
	ast.Inspect(file, visit)
	return out
}

// Lazy returns a function that computes Bodies(info, file) on its first call
// and returns the same answer after. Finding the bodies walks the whole file,
// and most files hold no call a retry check asks about.
func Lazy(info *types.Info, file *ast.File) func() []ast.Node {
	return sync.OnceValue(func() []ast.Node { return Bodies(info, file) })
}

// Inside returns the innermost retry body in bodies containing n, or nil.
func Inside(bodies []ast.Node, n ast.Node) ast.Node {
	var best ast.Node
	for _, b := range bodies {
		if b.Pos() <= n.Pos() && n.End() <= b.End() && b != n {
			if best == nil || b.Pos() >= best.Pos() {
				best = b
			}
		}
	}
	return best
}

// Body returns the statements a retry body repeats.
func Body(n ast.Node) *ast.BlockStmt {
	switch x := n.(type) {
	case *ast.ForStmt:
		return x.Body
	case *ast.RangeStmt:
		return x.Body
	case *ast.FuncLit:
		return x.Body
	case *ast.FuncDecl:
		return x.Body
	}
	return nil
}

func isRetryCall(info *types.Info, file *ast.File, call *ast.CallExpr) bool {
	ref := code.Resolve(info, file, call.Fun)
	if retryPkgs[ref.Pkg] {
		return true
	}
	l := strings.ToLower(code.CallName(call))
	return strings.Contains(l, "retry") || strings.HasPrefix(l, "withbackoff")
}

func isRetryFor(f *ast.ForStmt) bool {
	for _, part := range []ast.Node{f.Init, f.Cond, f.Post} {
		if part != nil && mentions(part, attemptWord) {
			return true
		}
	}
	if f.Cond == nil && f.Body != nil {
		return mentions(f.Body, backoffWord)
	}
	return false
}

func isRetryRange(info *types.Info, r *ast.RangeStmt) bool {
	if t := code.TypeOf(info, r.X); t != nil {
		b, ok := t.Underlying().(*types.Basic)
		if !ok || b.Info()&types.IsInteger == 0 {
			return false
		}
	} else if _, ok := ast.Unparen(r.X).(*ast.CompositeLit); ok {
		return false
	}
	if r.Key != nil && mentions(r.Key, attemptWord) {
		return true
	}
	if id, ok := ast.Unparen(r.X).(*ast.Ident); ok && attemptWord(id.Name) {
		return true
	}
	if sel, ok := ast.Unparen(r.X).(*ast.SelectorExpr); ok && attemptWord(sel.Sel.Name) {
		return true
	}
	return false
}

// attemptWord matches names that count attempts: attempt, retries, tries, try.
func attemptWord(name string) bool {
	l := strings.ToLower(name)
	return strings.Contains(l, "attempt") || strings.Contains(l, "retr") || strings.Contains(l, "tries") || l == "try"
}

// backoffWord matches names that only a retrying loop uses.
func backoffWord(name string) bool {
	l := strings.ToLower(name)
	return strings.Contains(l, "backoff") || attemptWord(name)
}

func mentions(n ast.Node, match func(string) bool) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if found {
			return false
		}
		if _, ok := x.(*ast.FuncLit); ok {
			return false
		}
		if id, ok := x.(*ast.Ident); ok && match(id.Name) {
			found = true
		}
		return true
	})
	return found
}

// assignedFuncLit finds the function literal a local variable is set to.
func assignedFuncLit(info *types.Info, body *ast.BlockStmt, id *ast.Ident) *ast.FuncLit {
	v := code.VarOf(info, id)
	var out *ast.FuncLit
	ast.Inspect(body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.AssignStmt:
			for i, l := range s.Lhs {
				if lid, ok := l.(*ast.Ident); ok && v.Is(info, lid) && i < len(s.Rhs) {
					if fl, ok := ast.Unparen(s.Rhs[i]).(*ast.FuncLit); ok {
						out = fl
					}
				}
			}
		case *ast.ValueSpec:
			for i, name := range s.Names {
				if v.Is(info, name) && i < len(s.Values) {
					if fl, ok := ast.Unparen(s.Values[i]).(*ast.FuncLit); ok {
						out = fl
					}
				}
			}
		}
		return true
	})
	return out
}
