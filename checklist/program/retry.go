package program

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/prodready/prodready/checklist/internal/retryloop"
)

// RetryHelper marks a function of the module that runs a function it is
// handed again on failure, whatever it is named: it calls a func-typed
// parameter inside a retry loop (or a closure handed to a retry library),
// or hands the parameter itself to a retry library (backoff.Retry(op, b)).
// Checks ask [Model.RetriesFuncArg] in any package that calls the helper.
type RetryHelper struct{}

// AFact marks RetryHelper as an analysis fact.
func (*RetryHelper) AFact() {}

func (*RetryHelper) String() string { return "retries its function argument" }

// RetriesFuncArg reports whether fn, a function of the module, runs a
// function handed to it again on failure ([RetryHelper]).
func (m *Model) RetriesFuncArg(fn *types.Func) bool {
	if m == nil || fn == nil {
		return false
	}
	return m.retriers[fn.Origin()]
}

// findRetryHelpers exports a [RetryHelper] fact for each of the package's
// retry helpers and records in m every retry helper the package calls, its
// own or imported.
func findRetryHelpers(pass *analysis.Pass, insp *inspector.Inspector, m *Model) {
	info := pass.TypesInfo
	m.retriers = map[*types.Func]bool{}
	for _, file := range pass.Files {
		// The file's retry bodies, found only if a function calls one of
		// its func-typed parameters.
		bodies := retryloop.Lazy(info, file, nil)
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, _ := info.Defs[fd.Name].(*types.Func)
			params := funcParams(fn)
			if len(params) == 0 {
				continue
			}
			if retriesParam(info, file, fd.Body, params, bodies) {
				m.retriers[fn] = true
				pass.ExportObjectFact(fn, &RetryHelper{})
			}
		}
	}
	// Every call of the package, through the inspector's index (a walk of
	// each file's whole tree cost more than the rest of this function);
	// each imported function's fact is asked for once.
	asked := map[*types.Func]bool{}
	for c := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		fn, _ := typeutil.Callee(info, c.Node().(*ast.CallExpr)).(*types.Func)
		if fn == nil || fn.Pkg() == nil || fn.Pkg() == pass.Pkg || asked[fn.Origin()] {
			continue
		}
		asked[fn.Origin()] = true
		if pass.ImportObjectFact(fn.Origin(), new(RetryHelper)) {
			m.retriers[fn.Origin()] = true
		}
	}
}

// funcParams are fn's parameters of function type.
func funcParams(fn *types.Func) map[*types.Var]bool {
	if fn == nil {
		return nil
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok {
		return nil
	}
	var out map[*types.Var]bool
	for i := range sig.Params().Len() {
		p := sig.Params().At(i)
		if _, ok := p.Type().Underlying().(*types.Signature); ok {
			if out == nil {
				out = map[*types.Var]bool{}
			}
			out[p] = true
		}
	}
	return out
}

// retriesParam reports whether body calls one of params inside a retry
// body, or hands one to a retry helper.
func retriesParam(info *types.Info, file *ast.File, body *ast.BlockStmt, params map[*types.Var]bool, bodies func() []ast.Node) bool {
	isParam := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return false
		}
		v, ok := info.Uses[id].(*types.Var)
		return ok && params[v]
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if found || !ok {
			return !found
		}
		if isParam(call.Fun) && retryloop.Inside(bodies(), call) != nil {
			found = true
			return false
		}
		if retryloop.IsRetryCall(info, file, call) {
			for _, a := range call.Args {
				if isParam(a) {
					found = true
					return false
				}
			}
		}
		return true
	})
	return found
}
