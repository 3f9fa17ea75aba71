package checklist

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/finding"
)

func closeNotIdempotentCheck() *Check {
	return &Check{
		ID:       "close-not-idempotent",
		Question: finding.RunsTwice,
		Severity: finding.SeverityWarning,
		Title:    "Close, Stop or Shutdown that panics when called twice",
		Rationale: "Shutdown paths run twice more often than anyone plans: a deferred Close and an explicit one, a " +
			"signal handler and a failing health check, two owners of one client. A Close that closes a channel " +
			"field panics the second time (close of closed channel), and one that closes a field and sets it to nil " +
			"panics on the nil the second time. The check reports such a method when nothing in it guards the " +
			"second call: no sync.Once, no closed flag or nil check on a field, no select that sees the channel " +
			"already closed, no atomic swap.",
		Fix: "Wrap the body in a sync.Once (s.closeOnce.Do(...)), or check and set a closed flag under the lock, or return early when the field is already nil.",
		Bad: `func (s *Server) Close() error {
	close(s.quit)
	return s.ln.Close()
}`,
		Good: `func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.quit)
		err = s.ln.Close()
	})
	return err
}`,
		Analyzer: closeNotIdempotentAnalyzer,
	}
}

var closeNotIdempotentAnalyzer = &analysis.Analyzer{
	Name:             "close_not_idempotent",
	Doc:              "reports Close, Stop and Shutdown methods that close a channel field, or close and nil a field, with no guard against a second call",
	Requires:         []*analysis.Analyzer{inspect.Analyzer},
	RunDespiteErrors: true,
	Run:              runCloseNotIdempotent,
}

func runCloseNotIdempotent(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for c := range insp.Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := c.Node().(*ast.FuncDecl)
		if fd.Recv == nil || fd.Body == nil || len(fd.Recv.List) != 1 || len(fd.Recv.List[0].Names) != 1 {
			continue
		}
		switch fd.Name.Name {
		case "Close", "Stop", "Shutdown":
		default:
			continue
		}
		recv := pass.TypesInfo.Defs[fd.Recv.List[0].Names[0]]
		if recv == nil || closeGuarded(pass.TypesInfo, fd.Body, recv) {
			continue
		}
		if call, what := unguardedClose(pass.TypesInfo, fd.Body, recv); call != nil {
			pass.Reportf(call.Pos(), "%s %s with no guard against a second call; a second %s panics. Wrap it in a sync.Once, or check a closed flag or nil field first",
				fd.Name.Name, what, fd.Name.Name)
		}
	}
	return nil, nil
}

// unguardedClose finds, in a Close method's own body (not in closures it
// starts), close(recv.field) or recv.field.Close() followed by
// recv.field = nil.
func unguardedClose(info *types.Info, body *ast.BlockStmt, recv types.Object) (*ast.CallExpr, string) {
	nilled := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok {
			for i, l := range as.Lhs {
				if f := recvField(info, l, recv); f != "" && i < len(as.Rhs) && isNilIdent(as.Rhs[i]) {
					nilled[f] = true
				}
			}
		}
		_, lit := n.(*ast.FuncLit)
		return !lit
	})
	var found *ast.CallExpr
	var what string
	ast.Inspect(body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		if _, lit := n.(*ast.FuncLit); lit {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "close" && len(call.Args) == 1 {
			if _, builtin := info.Uses[id].(*types.Builtin); builtin {
				if f := recvField(info, call.Args[0], recv); f != "" {
					found, what = call, "closes the channel field "+f
				}
			}
			return true
		}
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Close" {
			if f := recvField(info, sel.X, recv); f != "" && nilled[f] {
				found, what = call, "closes "+f+" and sets it to nil"
			}
		}
		return true
	})
	return found, what
}

// closeGuarded reports whether a Close method guards its second call: a
// condition or select over a receiver field, a sync.Once, an atomic swap.
func closeGuarded(info *types.Info, body *ast.BlockStmt, recv types.Object) bool {
	guarded := false
	mentionsField := func(e ast.Node) bool {
		found := false
		ast.Inspect(e, func(n ast.Node) bool {
			if x, ok := n.(ast.Expr); ok && recvField(info, x, recv) != "" {
				found = true
			}
			return !found
		})
		return found
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.IfStmt:
			if mentionsField(x.Cond) {
				guarded = true
			}
		case *ast.SwitchStmt:
			if x.Tag != nil && mentionsField(x.Tag) {
				guarded = true
			}
		case *ast.CommClause:
			if x.Comm != nil && mentionsField(x.Comm) {
				guarded = true // select { case <-s.done: return; default: }
			}
		case *ast.SelectorExpr:
			switch x.Sel.Name {
			case "Do", "CompareAndSwap", "Swap":
				guarded = true
			}
		}
		return !guarded
	})
	return guarded
}

// recvField returns the name of the receiver field e selects (s.quit), or "".
func recvField(info *types.Info, e ast.Node, recv types.Object) string {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok || info.Uses[id] != recv {
		return ""
	}
	if s, ok := info.Selections[sel]; ok && s.Kind() == types.FieldVal {
		return sel.Sel.Name
	}
	return ""
}
