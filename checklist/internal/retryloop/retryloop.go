// Package retryloop finds the bodies of retry loops: for loops counting
// attempts or backing off, and functions handed to retry helpers such as
// cenkalti/backoff's Retry, avast/retry-go's Do, sethvargo/go-retry's Do,
// buildkite/roko's Retrier.Do, failsafe-go's Run and Get, or a helper of the
// module's own named for retrying.
//
// A library's callback counts only when it returns an error (the last
// result): the operation retried, not a notify or retry-if hook handed to
// the same library. k8s.io's RetryOnConflict, and OnError with a
// conflict-only predicate, are not retries of the kind the checks ask
// about: they re-run a read-modify-write only after the server refused it.
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
	"github.com/cenkalti/backoff":        true,
	"github.com/cenkalti/backoff/v2":     true,
	"github.com/cenkalti/backoff/v3":     true,
	"github.com/cenkalti/backoff/v4":     true,
	"github.com/cenkalti/backoff/v5":     true,
	"github.com/avast/retry-go":          true,
	"github.com/avast/retry-go/v2":       true,
	"github.com/avast/retry-go/v3":       true,
	"github.com/avast/retry-go/v4":       true,
	"github.com/avast/retry-go/v5":       true,
	"github.com/sethvargo/go-retry":      true,
	"github.com/buildkite/roko":          true,
	"github.com/failsafe-go/failsafe-go": true,
	"k8s.io/client-go/util/retry":        true,
	"k8s.io/apimachinery/pkg/util/wait":  true,
}

// Helpers says whether a call is of one of the module's own functions that
// runs its function argument again on failure, whatever it is named (the
// program model knows them across packages). nil knows none.
type Helpers func(call *ast.CallExpr) bool

// Bodies returns the retry bodies of file: each loop that retries (its whole
// statement) and each function literal handed to a retry helper.
func Bodies(info *types.Info, file *ast.File, more Helpers) []ast.Node {
	var out []ast.Node
	walk(info, file, more, func(body ast.Node, _ *ast.CallExpr) { out = append(out, body) })
	return out
}

// HelperOf returns the call that hands body (a function literal of
// [Bodies]) to a retry helper, or nil for a loop.
func HelperOf(info *types.Info, file *ast.File, more Helpers, body ast.Node) *ast.CallExpr {
	var out *ast.CallExpr
	walk(info, file, more, func(b ast.Node, call *ast.CallExpr) {
		if b == body && out == nil {
			out = call
		}
	})
	return out
}

// HelperName renders a retry helper's callee for a message:
// "backoff.Retry", "roko.Retrier.DoWithContext", "s.withRetry".
func HelperName(info *types.Info, file *ast.File, call *ast.CallExpr) string {
	ref := code.Resolve(info, file, call.Fun)
	if retryPkgs[ref.Pkg] {
		pkg := pkgName(info, file, ref.Pkg)
		if ref.Recv != "" {
			return pkg + "." + ref.Recv + "." + ref.Name
		}
		return pkg + "." + ref.Name
	}
	fun := ast.Unparen(call.Fun)
	if ix, ok := fun.(*ast.IndexExpr); ok {
		fun = ix.X
	}
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		if _, isCall := ast.Unparen(sel.X).(*ast.CallExpr); isCall {
			return sel.Sel.Name
		}
	}
	return types.ExprString(fun)
}

// pkgName is the name a package of path goes by: its declared name where the
// file imports it, else the last element of its path that is not a major
// version.
func pkgName(info *types.Info, file *ast.File, path string) string {
	for _, is := range file.Imports {
		if strings.Trim(is.Path.Value, "`\"") != path {
			continue
		}
		if info != nil {
			if pn := info.PkgNameOf(is); pn != nil {
				return pn.Imported().Name()
			}
		}
		if is.Name != nil {
			return is.Name.Name
		}
	}
	parts := strings.Split(path, "/")
	last := parts[len(parts)-1]
	if len(parts) > 1 && len(last) > 1 && last[0] == 'v' && strings.Trim(last[1:], "0123456789") == "" {
		last = parts[len(parts)-2]
	}
	return last
}

// walk calls found for each retry body of file with the helper call that
// retries it (nil for a loop).
func walk(info *types.Info, file *ast.File, more Helpers, found func(body ast.Node, call *ast.CallExpr)) {
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
				found(x, nil)
			}
		case *ast.RangeStmt:
			if isRetryRange(info, x) {
				found(x, nil)
			}
		case *ast.CallExpr:
			lib, ok := isRetryCall(info, file, x)
			if !ok && !lib && more != nil && more(x) {
				ok = true
			}
			if !ok {
				return true
			}
			for _, a := range x.Args {
				var fl *ast.FuncLit
				switch arg := ast.Unparen(a).(type) {
				case *ast.FuncLit:
					fl = arg
				case *ast.Ident:
					if len(funcs) > 0 {
						fl = assignedFuncLit(info, funcs[len(funcs)-1], arg)
					}
				}
				if fl != nil && (!lib || returnsError(info, fl)) {
					found(fl, x)
				}
			}
		}
		return true
	}
	ast.Inspect(file, visit)
}

// returnsError reports whether a library callback's last result is an
// error: the operation a retry library runs again, not its hooks.
func returnsError(info *types.Info, fl *ast.FuncLit) bool {
	sig, ok := code.TypeOf(info, fl).(*types.Signature)
	if !ok {
		return true // no types: trust the library
	}
	r := sig.Results()
	if r.Len() == 0 {
		return false
	}
	return types.Identical(r.At(r.Len()-1).Type(), types.Universe.Lookup("error").Type())
}

// Lazy returns a function that computes Bodies(info, file) on its first call
// and returns the same answer after. Finding the bodies walks the whole file,
// and most files hold no call a retry check asks about.
func Lazy(info *types.Info, file *ast.File, more Helpers) func() []ast.Node {
	return sync.OnceValue(func() []ast.Node { return Bodies(info, file, more) })
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

// IsRetryCall reports whether call hands its function arguments to a retry
// helper of a library or one named for retrying.
func IsRetryCall(info *types.Info, file *ast.File, call *ast.CallExpr) bool {
	_, ok := isRetryCall(info, file, call)
	return ok
}

// isRetryCall reports whether call hands its function arguments to a retry
// helper, and whether that helper is one of retryPkgs.
func isRetryCall(info *types.Info, file *ast.File, call *ast.CallExpr) (lib, ok bool) {
	ref := code.Resolve(info, file, call.Fun)
	if ref.Pkg == "k8s.io/client-go/util/retry" && (ref.Name == "RetryOnConflict" || ref.Name == "OnError" && conflictOnly(call)) {
		// Re-runs a read-modify-write the server refused: nothing was done twice.
		return true, false
	}
	if retryPkgs[ref.Pkg] {
		return true, true
	}
	l := strings.ToLower(code.CallName(call))
	return false, strings.Contains(l, "retry") || strings.HasPrefix(l, "withbackoff")
}

// conflictOnly reports whether retry.OnError's predicate retries only on a
// conflict (errors.IsConflict, apierrors.IsConflict).
func conflictOnly(call *ast.CallExpr) bool {
	if len(call.Args) < 2 {
		return false
	}
	switch f := ast.Unparen(call.Args[1]).(type) {
	case *ast.SelectorExpr:
		return f.Sel.Name == "IsConflict"
	case *ast.Ident:
		return f.Name == "IsConflict"
	}
	return false
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
