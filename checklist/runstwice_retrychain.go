package checklist

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/prodready/prodready/checklist/internal/retryloop"
	"github.com/prodready/prodready/checklist/program"
)

// postThroughCall recognises, inside a retry loop or a closure handed to a
// retry helper, a call of a module function that sends a POST or PATCH
// further down (the program model's summary), with no idempotency or dedupe
// key on the way. It returns the method and how it is retried.
//
// chain lists the names of the functions down to the POST and its URL's
// text, the evidence of what the request is for.
func postThroughCall(pass *analysis.Pass, file *ast.File, call *ast.CallExpr, bodies func() []ast.Node) (method, how string, chain []string) {
	model, _ := pass.ResultOf[program.Analyzer].(*program.Model)
	fn, _ := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	s := model.SummaryOf(fn)
	if s == nil || s.Deduped {
		return "", "", nil
	}
	for _, e := range s.Effects {
		if (e.Kind != program.HTTPOut && e.Kind != program.HTTPParam) || (e.Detail != "POST" && e.Detail != "PATCH") {
			continue
		}
		rb := retryloop.Inside(bodies(), call)
		if rb == nil {
			return "", "", nil
		}
		steps := append([]program.Step{{Name: program.FuncName(fn)}}, e.Via...)
		for _, st := range steps {
			chain = append(chain, st.Name)
		}
		chain = append(chain, e.Target)
		return e.Detail, fmt.Sprintf("%s, by `%s`%s (%s),", retriedBy(pass, file, rb), program.FuncName(fn), via(steps[1:]), program.ShortPos(pass.Fset, e.Pos)), chain
	}
	return "", "", nil
}
