package checklist

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
)

// dualWriteCap caps a dual-write finding: at info when the entry is only
// guessed, or when the two writes sit on mutually exclusive branches (an
// e-mail when one field is empty, the UPDATE when it is not) so that no run
// does both; posted otherwise.
func dualWriteCap(pass *analysis.Pass, e *program.Entry, a, b *program.Effect) string {
	if cat := entryCap(e); cat != "" {
		return cat
	}
	pa, pb := divergence(a, b)
	if exclusiveBranches(pass, pa, pb) {
		return AtMostInfo
	}
	return ""
}

// divergence returns where two effects' chains part: the positions of the
// first steps that differ (or the effects themselves when a chain ends).
func divergence(a, b *program.Effect) (token.Pos, token.Pos) {
	i := 0
	for i < len(a.Via) && i < len(b.Via) && a.Via[i].Pos == b.Via[i].Pos {
		i++
	}
	pa, pb := a.Pos, b.Pos
	if i < len(a.Via) {
		pa = a.Via[i].Pos
	}
	if i < len(b.Via) {
		pb = b.Via[i].Pos
	}
	return pa, pb
}

// exclusiveBranches reports whether the calls at a and b, in one function of
// the package, sit on branches no run takes both of: the two arms of an if,
// two cases of a switch, or an arm that returns and code after its if.
func exclusiveBranches(pass *analysis.Pass, a, b token.Pos) bool {
	if a > b {
		a, b = b, a
	}
	for _, f := range pass.Files {
		if !code.Contains(f, a) || !code.Contains(f, b) {
			continue
		}
		path, _ := astutil.PathEnclosingInterval(f, a, a)
		for i, n := range path {
			switch x := n.(type) {
			case *ast.FuncDecl, *ast.FuncLit:
				return false
			case *ast.IfStmt:
				if !code.Contains(x, b) {
					// a's arm ends the function: code after the if runs only
					// when it was not taken.
					if code.Contains(x.Body, a) && endsInReturn(x.Body) {
						return true
					}
					continue
				}
				if code.Contains(x.Body, a) && x.Else != nil && code.Contains(x.Else, b) {
					return true
				}
			case *ast.CaseClause:
				if code.Contains(x, b) {
					continue
				}
				// b in another case of the same switch, or after a case
				// that returns.
				if i+2 < len(path) && code.Contains(path[i+1], b) {
					return true
				}
				if len(x.Body) > 0 {
					if _, ok := x.Body[len(x.Body)-1].(*ast.ReturnStmt); ok {
						return true
					}
				}
			}
		}
	}
	return false
}
