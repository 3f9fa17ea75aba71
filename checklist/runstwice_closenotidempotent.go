package checklist

import (
	"fmt"
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
		Severity: finding.SeverityInfo,
		Title:    "Close, Stop or Shutdown that panics when called twice",
		Rationale: "Shutdown paths run twice more often than anyone plans: a deferred Close and an explicit one, a " +
			"signal handler and a failing health check, two owners of one client. A Close that closes a channel " +
			"field panics the second time (close of closed channel), and one that closes a field and sets it to nil " +
			"panics on the nil the second time. The check reports such a method when nothing in it guards the " +
			"second call: no sync.Once, no closed flag or nil check on a field, no select that sees the channel " +
			"already closed, no atomic swap. It reports only where a second call is plausible in the package: the " +
			"method is referenced (called, deferred or taken as a value) from two or more places, or a value of its " +
			"type is handed to a parameter of an interface type that has the method (an io.Closer passed on to " +
			"whatever closes it). A Close that one place calls once is left alone, as is a second call from another " +
			"package, which the check does not see. Where only such a hand-off makes a second call plausible, the " +
			"finding is at most info: a lifecycle registry runs each service's Stop once at shutdown.",
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
	var refs map[*types.Func]closeRef // built on the first candidate: most packages have none
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
		call, what := unguardedClose(pass.TypesInfo, fd.Body, recv)
		if call == nil {
			continue
		}
		if refs == nil {
			refs = closeRefs(pass, insp)
		}
		m, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
		if m == nil || refs[m].direct+refs[m].handed < 2 {
			continue // nothing in sight runs it twice
		}
		msg := fmt.Sprintf("%s %s with no guard against a second call; a second %s panics. Wrap it in a sync.Once, or check a closed flag or nil field first",
			fd.Name.Name, what, fd.Name.Name)
		if refs[m].direct < 2 {
			// Only a hand-off to an interface makes a second call
			// plausible: a lifecycle registry that runs each service's
			// Stop once at shutdown looks the same (reads G and H: both
			// such findings judged false).
			reportIn(pass, call, AtMostInfo, msg+" (info: a second call is plausible only because a value of this type is handed to an interface with "+fd.Name.Name+", whose owner may run it once)")
			continue
		}
		if g := stateGuard(pass.TypesInfo, fd.Body, recv); g != "" {
			// A state check the check cannot read into: a second call in
			// sequence is stopped; only two racing calls get past it.
			reportIn(pass, call, AtMostInfo, msg+" (info: the close sits behind "+g+", a state check of the receiver, so a second call in sequence does not reach it; only two calls racing past the check do)")
			continue
		}
		reportIn(pass, call, "", msg)
	}
	return nil, nil
}

// closeRef counts the places that may run a method: direct references,
// and hand-offs to an interface parameter (two each).
type closeRef struct{ direct, handed int }

// closeRefs counts, for each method of the package, the places that may run
// it: references to it (s.Close(), defer s.Close(), t.Cleanup(s.Close)),
// and arguments of its receiver's type passed to a parameter of an interface
// type with a method of that name (an io.Closer handed to its closer), which
// count twice: the callee's owner may close it as well as its creator.
func closeRefs(pass *analysis.Pass, insp *inspector.Inspector) map[*types.Func]closeRef {
	refs := map[*types.Func]closeRef{}
	for _, obj := range pass.TypesInfo.Uses {
		if f, ok := obj.(*types.Func); ok && f.Pkg() == pass.Pkg {
			r := refs[f]
			r.direct++
			refs[f] = r
		}
	}
	for c := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := c.Node().(*ast.CallExpr)
		sig, _ := pass.TypesInfo.TypeOf(call.Fun).(*types.Signature)
		if sig == nil {
			continue
		}
		for i, a := range call.Args {
			var pt types.Type
			switch {
			case i < sig.Params().Len()-1 || i < sig.Params().Len() && !sig.Variadic():
				pt = sig.Params().At(i).Type()
			case sig.Variadic() && sig.Params().Len() > 0:
				if s, ok := sig.Params().At(sig.Params().Len() - 1).Type().(*types.Slice); ok {
					pt = s.Elem()
				}
			}
			iface, _ := types.Unalias(pt).(*types.Interface)
			if pt != nil && iface == nil {
				iface, _ = pt.Underlying().(*types.Interface)
			}
			at := pass.TypesInfo.TypeOf(a)
			if iface == nil || at == nil || types.IsInterface(at) {
				continue
			}
			for j := range iface.NumMethods() {
				obj, _, _ := types.LookupFieldOrMethod(at, true, pass.Pkg, iface.Method(j).Name())
				if f, ok := obj.(*types.Func); ok && f.Pkg() == pass.Pkg {
					r := refs[f]
					r.handed += 2
					refs[f] = r
				}
			}
		}
	}
	return refs
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

// stateGuard returns a state check of the receiver in a Close method that
// closeGuarded does not see through: a condition calling a method of the
// receiver (if s.IsRunning() { close(s.running) }: the method reads the
// channel in a select with a default), or a switch on a local taken from a
// receiver field (st := <-w.state; switch st { case idle: ...; default: }),
// a state machine whose first Close moves the state on; "" when none.
func stateGuard(info *types.Info, body *ast.BlockStmt, recv types.Object) string {
	taken := map[types.Object]bool{} // locals assigned from a receiver field
	found := ""
	ast.Inspect(body, func(n ast.Node) bool {
		if found != "" {
			return false
		}
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			for i, l := range x.Lhs {
				if id, ok := l.(*ast.Ident); ok && i < len(x.Rhs) && mentionsRecvField(info, x.Rhs[i], recv) {
					if obj := info.ObjectOf(id); obj != nil {
						taken[obj] = true
					}
				}
			}
		case *ast.IfStmt:
			if c := recvMethodCall(info, x.Cond, recv); c != "" {
				found = c
			}
		case *ast.SwitchStmt:
			if id, ok := ast.Unparen(x.Tag).(*ast.Ident); ok && taken[info.ObjectOf(id)] {
				found = "switch " + id.Name
			}
		}
		return found == ""
	})
	return found
}

// mentionsRecvField reports whether e reads a field of the receiver.
func mentionsRecvField(info *types.Info, e ast.Expr, recv types.Object) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if x, ok := n.(ast.Expr); ok && recvField(info, x, recv) != "" {
			found = true
		}
		return !found
	})
	return found
}

// recvMethodCall returns the text of a call of a receiver's method in e
// (s.IsRunning()), or "".
func recvMethodCall(info *types.Info, e ast.Expr, recv types.Object) string {
	found := ""
	ast.Inspect(e, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found != "" {
			return found == ""
		}
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && info.Uses[id] == recv {
				if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal {
					found = types.ExprString(call)
				}
			}
		}
		return found == ""
	})
	return found
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
