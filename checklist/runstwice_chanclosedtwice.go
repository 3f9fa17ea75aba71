package checklist

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/finding"
)

func chanClosedTwiceCheck() *Check {
	return &Check{
		ID:       "chan-closed-twice",
		Question: finding.RunsTwice,
		Severity: finding.SeverityWarning,
		Title:    "channel closed after it is taken from a map or field that still holds it",
		Rationale: "A function that looks a channel up in a map (or reads it from a field) and closes it leaves the " +
			"closed channel where it found it. The next call for the same key (a repeated unsubscribe, a retried " +
			"cancel, two goroutines racing to finish one job) finds it again and panics: close of closed channel. " +
			"The check reports close(ch) where ch was read from a map with no delete of that map in the function, " +
			"or from a field that the function neither resets nor checks. It also reports a channel that two deferred " +
			"calls of one function close (defer close(ch) and a deferred clean-up that closes ch again): both run on " +
			"every return, so the second always panics; a goroutine that closes a channel variable it shares with " +
			"its function while the function points the variable at a new channel (a relist restarted each " +
			"round): an old goroutine then closes the new round's channel, which its own goroutine closes again; " +
			"and a channel a function closes in two goroutines it runs (a worker's close when the work runs out " +
			"and a signal handler's close on an interrupt), which a late interrupt closes twice. The map, field " +
			"and two-goroutine cases are info: the second call or the race they need is not in sight.",
		Fix: "Remove the channel from its holder before closing it (delete(m, key), or s.ch = nil), under the same lock as the lookup.",
		Bad: `func (b *Broker) Unsubscribe(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if ch, ok := b.subs[id]; ok {
		close(ch)
	}
}`,
		Good: `func (b *Broker) Unsubscribe(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if ch, ok := b.subs[id]; ok {
		delete(b.subs, id)
		close(ch)
	}
}`,
		Analyzer: chanClosedTwiceAnalyzer,
	}
}

var chanClosedTwiceAnalyzer = &analysis.Analyzer{
	Name:             "chan_closed_twice",
	Doc:              "reports close(ch) of a channel read from a map or field that still holds it afterwards",
	Requires:         []*analysis.Analyzer{inspect.Analyzer},
	RunDespiteErrors: true,
	Run:              runChanClosedTwice,
}

func runChanClosedTwice(pass *analysis.Pass) (any, error) {
	info := pass.TypesInfo
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	var resets map[*types.Func]map[*types.Var]bool // fieldResets, computed at the first close that needs it
	// How many close calls each declared function holds: only one with two
	// or more can close a channel in two goroutines.
	closes := map[*ast.FuncDecl]int{}
	for _, c := range code.Preorder(insp, (*ast.CallExpr)(nil)) {
		id, ok := ast.Unparen(c.Node().(*ast.CallExpr).Fun).(*ast.Ident)
		if !ok || id.Name != "close" {
			continue
		}
		for fc := range c.Enclosing((*ast.FuncDecl)(nil)) {
			closes[fc.Node().(*ast.FuncDecl)]++
			break
		}
	}
	for _, c := range code.Preorder(insp, (*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		if body := code.Body(c.Node()); body != nil && !testOnlyCode(pass, body.Pos()) {
			reportDeferredTwice(pass, body)
		}
		fd, ok := c.Node().(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		if closes[fd] >= 1 && !testOnlyCode(pass, fd.Body.Pos()) {
			captured := reportCapturedClose(pass, fd)
			if closes[fd] >= 2 {
				reportClosedAcrossGoroutines(pass, fd, captured)
			}
		}
		// Where each local channel came from: a map index or a field.
		from := chanHolders(info, c)
		if len(from) == 0 {
			continue
		}
		reset := holderResets(fd.Body) // holders deleted from or assigned to
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || !builtinClose(info, call) {
				return true
			}
			arg, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
			if !ok {
				return true
			}
			holder, ok := from[info.Uses[arg]]
			if !ok {
				return true
			}
			h := types.ExprString(holder.expr)
			if reset[h] || (!holder.isMap && fieldChecked(fd.Body, h)) || freshHolder(info, fd.Body, holder.expr) {
				return true
			}
			if resets == nil {
				resets = fieldResets(pass)
			}
			if calleeResets(info, fd.Body, holder.expr, resets) {
				return true
			}
			kind, fix := "the map "+h, "Delete it from "+h
			if !holder.isMap {
				kind, fix = "the field "+h, "Set "+h+" to nil (or check it)"
			}
			// Reads of applications judged every such finding false (0 of
			// 12 posted, sessions 6 to 13): the second call for the same
			// key or object that the panic needs is not in sight.
			reportIn(pass, call, AtMostInfo, fmt.Sprintf("closes %s, taken from %s that still holds it; the next call for it closes it again and panics. %s before closing, under the lock that guards the lookup (info: whether anything calls this again for the same %s is not in sight)",
				arg.Name, kind, fix, map[bool]string{true: "key", false: "object"}[holder.isMap]))
			return true
		})
	}
	return nil, nil
}

// chanHolders maps each local channel variable of the function declared at
// fc assigned from a map index or a struct field to where it came from. It
// reads the assignments from the inspector's index, which skips the rest of
// the tree.
func chanHolders(info *types.Info, fc inspector.Cursor) map[types.Object]chanHolder {
	var from map[types.Object]chanHolder
	for ac := range fc.Preorder((*ast.AssignStmt)(nil)) {
		x := ac.Node().(*ast.AssignStmt)
		if len(x.Rhs) != 1 || len(x.Lhs) == 0 {
			continue
		}
		id, ok := x.Lhs[0].(*ast.Ident)
		obj := info.ObjectOf(id)
		if !ok || obj == nil {
			continue
		}
		if _, isChan := obj.Type().Underlying().(*types.Chan); !isChan {
			continue
		}
		var h chanHolder
		switch r := ast.Unparen(x.Rhs[0]).(type) {
		case *ast.IndexExpr:
			if _, isMap := info.TypeOf(r.X).Underlying().(*types.Map); !isMap {
				continue
			}
			h = chanHolder{expr: r.X, isMap: true}
		case *ast.SelectorExpr:
			if s, ok := info.Selections[r]; !ok || s.Kind() != types.FieldVal {
				continue
			}
			h = chanHolder{expr: r}
		default:
			continue
		}
		if from == nil {
			from = map[types.Object]chanHolder{}
		}
		from[obj] = h
	}
	return from
}

// freshHolder reports whether holder is a field of a local variable that
// body assigns a composite literal (state := &watch{stopped: make(chan
// struct{})}): an object made on this call, whose channel no other call
// can reach through it.
func freshHolder(info *types.Info, body *ast.BlockStmt, holder ast.Expr) bool {
	sel, ok := ast.Unparen(holder).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	root, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := info.ObjectOf(root).(*types.Var)
	if !ok || v.IsField() {
		return false
	}
	fresh, other := false, false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok {
			return true
		}
		for i, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && info.ObjectOf(id) == v {
				if len(as.Rhs) == len(as.Lhs) {
					if _, lit := code.Unaddr(as.Rhs[i]).(*ast.CompositeLit); lit {
						fresh = true
						continue
					}
				}
				other = true
			}
		}
		return true
	})
	return fresh && !other
}

// holderResets returns the text of each map or field body deletes from or
// assigns to (delete(c.subs, id), c.subs[id] = ..., s.done = ...).
func holderResets(body *ast.BlockStmt) map[string]bool {
	reset := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				switch l := ast.Unparen(l).(type) {
				case *ast.IndexExpr:
					reset[types.ExprString(l.X)] = true
				case *ast.SelectorExpr:
					reset[types.ExprString(l)] = true
				}
			}
		case *ast.CallExpr:
			if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && id.Name == "delete" && len(x.Args) == 2 {
				reset[types.ExprString(x.Args[0])] = true
			}
		}
		return true
	})
	return reset
}

// fieldResets maps each function of the package to the struct fields its
// own body stores into or deletes from (c.cycles[id] = make(chan struct{}),
// s.done = make(chan struct{}), delete(c.subs, id)).
func fieldResets(pass *analysis.Pass) map[*types.Func]map[*types.Var]bool {
	info := pass.TypesInfo
	out := map[*types.Func]map[*types.Var]bool{}
	fieldOf := func(e ast.Expr) *types.Var {
		if ix, ok := ast.Unparen(e).(*ast.IndexExpr); ok {
			e = ix.X
		}
		if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); ok {
			if s, ok := info.Selections[sel]; ok && s.Kind() == types.FieldVal {
				v, _ := s.Obj().(*types.Var)
				return v
			}
		}
		return nil
	}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, _ := info.Defs[fd.Name].(*types.Func)
			if fn == nil {
				continue
			}
			set := map[*types.Var]bool{}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.AssignStmt:
					for _, l := range x.Lhs {
						if v := fieldOf(l); v != nil {
							set[v] = true
						}
					}
				case *ast.CallExpr:
					if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && id.Name == "delete" && len(x.Args) == 2 {
						if v := fieldOf(x.Args[0]); v != nil {
							set[v] = true
						}
					}
				}
				return true
			})
			if len(set) > 0 {
				out[fn] = set
			}
		}
	}
	return out
}

// calleeResets reports whether body calls a function of the package that
// stores a fresh value into the field holder names, or deletes from it:
// the channel taken is replaced for the next cycle (ch := c.cycles[cur];
// c.newCycle(); return func() { close(ch) }), so a later close closes
// another channel.
func calleeResets(info *types.Info, body *ast.BlockStmt, holder ast.Expr, resets map[*types.Func]map[*types.Var]bool) bool {
	sel, ok := ast.Unparen(holder).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	s, ok := info.Selections[sel]
	if !ok || s.Kind() != types.FieldVal {
		return false
	}
	field, _ := s.Obj().(*types.Var)
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if fn := code.Callee(info, call); fn != nil && resets[fn][field] {
				found = true
			}
		}
		return !found
	})
	return found
}

// chanHolder is where a local channel was read from: a map or a field.
type chanHolder struct {
	expr  ast.Expr
	isMap bool
}

// fieldChecked reports whether a condition or a sync.Once in body guards
// the field named h.
func fieldChecked(body *ast.BlockStmt, h string) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.IfStmt:
			ast.Inspect(x.Cond, func(m ast.Node) bool {
				if e, ok := m.(ast.Expr); ok && types.ExprString(e) == h {
					found = true
				}
				return !found
			})
		case *ast.SelectorExpr:
			if x.Sel.Name == "Do" || x.Sel.Name == "CompareAndSwap" {
				found = true
			}
		}
		return !found
	})
	return found
}

// reportDeferredTwice reports a channel that body's deferred calls close
// twice: defer close(ch) beside a deferred function that closes ch too, or
// two defer close(ch). Both run on every return, so the second always
// panics: close of closed channel.
func reportDeferredTwice(pass *analysis.Pass, body *ast.BlockStmt) {
	info := pass.TypesInfo
	seen := map[string]*ast.CallExpr{}
	for _, st := range body.List {
		ds, ok := st.(*ast.DeferStmt)
		if !ok {
			continue
		}
		var closes []*ast.CallExpr
		if lit, ok := ast.Unparen(ds.Call.Fun).(*ast.FuncLit); ok {
			// Only the literal's own top-level statements: a close behind
			// an if may not run.
			for _, ls := range lit.Body.List {
				if es, ok := ls.(*ast.ExprStmt); ok {
					if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok {
						closes = append(closes, call)
					}
				}
			}
		} else {
			closes = append(closes, ds.Call)
		}
		for _, call := range closes {
			if len(call.Args) != 1 {
				continue
			}
			id, ok := ast.Unparen(call.Fun).(*ast.Ident)
			if !ok || id.Name != "close" {
				continue
			}
			if _, builtin := info.Uses[id].(*types.Builtin); info != nil && !builtin {
				continue
			}
			key := types.ExprString(ast.Unparen(call.Args[0]))
			if first, dup := seen[key]; dup {
				pass.Reportf(call.Pos(), "%s is closed by two deferred calls in this function (the first at line %d): both run on every return, so the second always panics with close of closed channel; close it in one place",
					key, pass.Fset.Position(first.Pos()).Line)
				continue
			}
			seen[key] = call
		}
	}
}
