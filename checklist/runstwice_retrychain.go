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
func postThroughCall(pass *analysis.Pass, call *ast.CallExpr, bodies func() []ast.Node) (method, how string) {
	model, _ := pass.ResultOf[program.Analyzer].(*program.Model)
	fn, _ := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	s := model.SummaryOf(fn)
	if s == nil || s.Deduped {
		return "", ""
	}
	for _, e := range s.Effects {
		if e.Kind != program.HTTPOut || (e.Detail != "POST" && e.Detail != "PATCH") {
			continue
		}
		if retryloop.Inside(bodies(), call) == nil {
			return "", ""
		}
		steps := append([]program.Step{{Name: program.FuncName(fn)}}, e.Via...)
		return e.Detail, fmt.Sprintf("inside a retry loop, by `%s`%s (%s),", program.FuncName(fn), via(steps[1:]), program.ShortPos(pass.Fset, e.Pos))
	}
	return "", ""
}
