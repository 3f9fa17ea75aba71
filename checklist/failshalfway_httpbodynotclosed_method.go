package checklist

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist/internal/code"
)

// A response's body matters by the request's method: the transport gives a
// HEAD response http.NoBody and returns its connection to the pool at
// once, so leaving it unclosed leaks nothing; an OPTIONS probe's reply is
// rarely more than headers. http-body-not-closed is silent on the first
// and lowers the second to info.

// requestMethodOf returns the method, upper-cased, of the request whose
// response call returns, when the code says it: http.Head or a client's
// Head; a Do or RoundTrip of a request built in body with
// http.NewRequest(WithContext) on a constant method; or a wrapper handed
// the method as a constant argument (c.do(ctx, "HEAD", url)). "" when
// unknown.
func requestMethodOf(info *types.Info, file *ast.File, body *ast.BlockStmt, call *ast.CallExpr) string {
	ref := code.Resolve(info, file, call.Fun)
	if ref.Pkg == netHTTP && ref.Name == "Head" {
		return "HEAD"
	}
	for _, a := range call.Args {
		if m := methodConst(info, file, a); m != "" {
			return m
		}
	}
	if !code.OneOf(ref.Name, "Do", "RoundTrip") || len(call.Args) != 1 || body == nil {
		return ""
	}
	v, ok := code.LocalVar(info, call.Args[0])
	if !ok {
		return ""
	}
	method := ""
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || method != "" || len(as.Rhs) != 1 || !v.Is(info, as.Lhs[0]) {
			return method == ""
		}
		if build, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok {
			method = newRequestMethod(info, file, build)
		}
		return method == ""
	})
	return method
}

// newRequestMethod returns HEAD or OPTIONS when call is net/http's
// NewRequest or NewRequestWithContext on that method.
func newRequestMethod(info *types.Info, file *ast.File, call *ast.CallExpr) string {
	r := code.Resolve(info, file, call.Fun)
	if r.Pkg != netHTTP || r.Recv != "" {
		return ""
	}
	i := 0
	switch r.Name {
	case "NewRequest":
	case "NewRequestWithContext":
		i = 1
	default:
		return ""
	}
	if len(call.Args) <= i {
		return ""
	}
	return methodConst(info, file, call.Args[i])
}

// methodConst returns HEAD or OPTIONS when e is that method: a string
// constant or net/http's MethodHead or MethodOptions.
func methodConst(info *types.Info, file *ast.File, e ast.Expr) string {
	if s, ok := constString(info, e); ok {
		if s = strings.ToUpper(s); s == "HEAD" || s == "OPTIONS" {
			return s
		}
		return ""
	}
	ref := code.Resolve(info, file, e)
	if ref.Pkg == netHTTP {
		switch ref.Name {
		case "MethodHead":
			return "HEAD"
		case "MethodOptions":
			return "OPTIONS"
		}
	}
	return ""
}

// cappedPass returns a copy of pass whose reports are capped at info, with
// note added to each message.
func cappedPass(pass *analysis.Pass, note string) *analysis.Pass {
	p := *pass
	p.Report = func(d analysis.Diagnostic) {
		d.Category = AtMostInfo
		d.Message += note
		pass.Report(d)
	}
	return &p
}
