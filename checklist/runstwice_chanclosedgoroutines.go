package checklist

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist/internal/code"
)

// reportClosedAcrossGoroutines reports a channel that a function closes in
// two places that run in different goroutines: one in a literal it starts
// with go (or hands to errgroup's or a WaitGroup's Go) and one outside it,
// or in two such literals. Nothing orders the two: a worker that closes the
// channel when it runs out of work and a signal handler that closes it on
// an interrupt both run when the interrupt comes late, and the second close
// panics. A close inside sync.Once's Do, or in a select's default whose
// other case receives from the channel (already closed?), is guarded.
//
// Reads of applications judged such findings false (a close before the
// goroutines start, one behind an atomic gate, a harness): it is info, and
// a close reportCapturedClose posted (skip) is not reported again.
func reportClosedAcrossGoroutines(pass *analysis.Pass, fd *ast.FuncDecl, skip map[*ast.CallExpr]bool) {
	info := pass.TypesInfo
	type site struct {
		call *ast.CallExpr
		g    ast.Node  // the goroutine literal around it, or nil for the function's own
		at   token.Pos // where it runs from: the go statement or Go call, or the close itself
	}
	byChan := map[string][]site{}
	var order []string
	code.WalkStack(fd.Body, func(n ast.Node, stack []ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || !builtinClose(info, call) {
			return true
		}
		key := types.ExprString(ast.Unparen(call.Args[0]))
		if guardedClose(stack, key) {
			return true
		}
		var g ast.Node
		at := call.Pos()
		for i := len(stack) - 2; i >= 1 && g == nil; i-- {
			lit, ok := stack[i].(*ast.FuncLit)
			if !ok {
				continue
			}
			switch p := stack[i-1].(type) {
			case *ast.CallExpr:
				if p.Fun == lit && i >= 2 {
					if gs, isGo := stack[i-2].(*ast.GoStmt); isGo {
						g, at = lit, gs.Pos()
					}
				} else if code.CallName(p) == "Go" {
					g, at = lit, p.Pos() // errgroup.Group.Go, sync.WaitGroup.Go
				}
			}
		}
		if _, seen := byChan[key]; !seen {
			order = append(order, key)
		}
		byChan[key] = append(byChan[key], site{call, g, at})
		return true
	})
	for _, key := range order {
		sites := byChan[key]
		for i := 1; i < len(sites); i++ {
			if sites[i].g == sites[0].g || exclusiveBranches(pass, sites[0].at, sites[i].at) {
				continue
			}
			if skip[sites[i].call] || skip[sites[0].call] {
				break
			}
			first := pass.Fset.Position(sites[0].call.Pos()).Line
			reportIn(pass, sites[i].call, AtMostInfo, fmt.Sprintf("closes %s, which another goroutine of this function closes too (line %d): nothing orders the two, so when both run (a late interrupt as the work ends) the second close panics; close it in one place, or through a sync.Once (info: whether both run is not in sight)", key, first))
			break
		}
	}
}

// reportCapturedClose reports a close, in a goroutine the function
// starts, of a channel variable the goroutine shares with the function
// (captured, not handed in) when the function points that variable at a
// new channel while the goroutine may still run: in a loop, inside another
// literal, or after the go statement. The goroutine then closes whichever
// channel the variable holds when it gets there, a newer round's, which
// that round's own goroutine closes again: panic. It returns the closes it
// reported.
func reportCapturedClose(pass *analysis.Pass, fd *ast.FuncDecl) map[*ast.CallExpr]bool {
	info := pass.TypesInfo
	var reported map[*ast.CallExpr]bool
	code.WalkStack(fd.Body, func(n ast.Node, stack []ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || !builtinClose(info, call) {
			return true
		}
		id, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
		if !ok {
			return true
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || v.IsField() {
			return true
		}
		var lit *ast.FuncLit
		var start token.Pos
		for i := len(stack) - 2; i >= 2 && lit == nil; i-- {
			l, ok := stack[i].(*ast.FuncLit)
			if !ok {
				continue
			}
			if p, ok := stack[i-1].(*ast.CallExpr); ok && p.Fun == l {
				if gs, ok := stack[i-2].(*ast.GoStmt); ok {
					lit, start = l, gs.Pos()
				}
			}
		}
		if lit == nil || (v.Pos() >= lit.Pos() && v.Pos() < lit.End()) || guardedClose(stack, id.Name) {
			return true
		}
		if at := reassignedWhileRunning(info, fd.Body, v, lit, start); at.IsValid() {
			if reported == nil {
				reported = map[*ast.CallExpr]bool{}
			}
			reported[call] = true
			line := pass.Fset.Position(at).Line
			reportIn(pass, call, "", fmt.Sprintf("this goroutine closes the variable %s, which the function points at a new channel (line %d) while it may still run: it then closes the newer channel, and the goroutine started for that one closes it again, a panic. Hand the channel to the goroutine as an argument (go func(done chan struct{}) { ...; close(done) }(%s))",
				id.Name, line, id.Name))
		}
		return true
	})
	return reported
}

// reassignedWhileRunning returns where body assigns v (not its declaration)
// outside lit in a way that can happen while lit's goroutine, started at
// start, still runs: after the go statement, inside a loop around it or
// inside a function literal. NoPos when there is none.
func reassignedWhileRunning(info *types.Info, body *ast.BlockStmt, v *types.Var, lit *ast.FuncLit, start token.Pos) token.Pos {
	at := token.NoPos
	code.WalkStack(body, func(n ast.Node, stack []ast.Node) bool {
		if at.IsValid() || n == lit {
			return false
		}
		as, ok := n.(*ast.AssignStmt)
		if !ok || as.Tok != token.ASSIGN {
			return true
		}
		for _, l := range as.Lhs {
			id, ok := l.(*ast.Ident)
			if !ok || info.Uses[id] != v {
				continue
			}
			if as.Pos() > start {
				at = as.Pos()
				return false
			}
			for _, p := range stack {
				switch p.(type) {
				case *ast.FuncLit:
					at = as.Pos() // runs whenever the literal is called
				case *ast.ForStmt, *ast.RangeStmt:
					if p.Pos() <= start && start < p.End() {
						at = as.Pos() // the next round, while this round's goroutine runs
					}
				}
				if at.IsValid() {
					return false
				}
			}
		}
		return true
	})
	return at
}

// guardedClose reports whether the close at the top of stack runs inside
// sync.Once's Do (a literal handed to a call named Do) or in the default
// of a select that also receives from the channel named key.
func guardedClose(stack []ast.Node, key string) bool {
	for i := len(stack) - 2; i >= 1; i-- {
		switch n := stack[i].(type) {
		case *ast.FuncLit:
			if call, ok := stack[i-1].(*ast.CallExpr); ok && call.Fun != n && code.CallName(call) == "Do" {
				return true
			}
		case *ast.IfStmt:
			// if done.Add(1) == 2 { close(ch) }, if closed.CompareAndSwap(false,
			// true): an atomic counter or flag lets exactly one goroutine in.
			if stack[i+1] == n.Body && atomicGate(n.Cond) {
				return true
			}
		case *ast.CommClause:
			// The default of a select: the close runs only when no other
			// case was ready; guarded if one of them receives from key.
			if n.Comm != nil || i < 2 {
				continue
			}
			sel, ok := stack[i-2].(*ast.SelectStmt)
			if !ok {
				continue
			}
			for _, cl := range sel.Body.List {
				cc, ok := cl.(*ast.CommClause)
				if !ok || cc.Comm == nil {
					continue
				}
				found := false
				ast.Inspect(cc.Comm, func(m ast.Node) bool {
					if u, ok := m.(*ast.UnaryExpr); ok && types.ExprString(ast.Unparen(u.X)) == key {
						found = true
					}
					return !found
				})
				if found {
					return true
				}
			}
		}
	}
	return false
}

// atomicGate reports whether cond tests the result of an atomic update
// (Add, CompareAndSwap, Swap of sync/atomic or its types), which one
// caller alone sees.
func atomicGate(cond ast.Expr) bool {
	found := false
	ast.Inspect(cond, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			switch name := code.CallName(call); {
			case name == "CompareAndSwap", name == "Swap", strings.HasPrefix(name, "Add"),
				strings.HasPrefix(name, "CompareAndSwap"), strings.HasPrefix(name, "Swap"):
				found = true
			}
		}
		return !found
	})
	return found
}

// builtinClose reports whether call is the builtin close of one channel.
func builtinClose(info *types.Info, call *ast.CallExpr) bool {
	if len(call.Args) != 1 {
		return false
	}
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok || id.Name != "close" {
		return false
	}
	_, builtin := info.Uses[id].(*types.Builtin)
	return builtin
}
