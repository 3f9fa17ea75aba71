package review

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/packages"

	"github.com/prodready/prodready/checklist/program"
)

// startUp tells which code of an application runs only while a process
// starts: a function that main, init, package-level code or a command's
// run reach by plain calls only, and that nothing which may run again
// reaches. A leaked connection, a request with no timeout or a whole read
// there happens once per process start, which the operator sees; in a
// handler it happens per request. The checks whose risk is per run (see
// [startUpCapped]) are info there.
//
// Decisions:
//   - Start-up is reached from main, init, package-level code and every
//     command's run through plain calls: calls in the caller's own code,
//     not in a function literal, not started with go; a call through an
//     interface takes every method of its name. A function whose own body
//     loops for the process's life (a worker, a ticker) is not start-up,
//     nor is what it calls.
//   - Code that may run again is reached, by any reference (a method
//     itself, or through an interface those of its name whose types may
//     implement it; every method of the name with part of the module out of
//     sight), from an entry point of the program model (a handler, a
//     consumer, a job), from a looping function, and from every reference
//     that is not a plain call: a function or method value handed on (a
//     route's handler, errgroup.Go(s.sync), a callback), a method handed
//     over by a conversion to an interface, anything named inside a
//     function literal or started with go. Start-up code that only hands
//     a callback on stays start-up; the callback does not.
//   - With part of the module out of sight (a review of a change), code
//     out of sight may call any method by dispatch, so only plain
//     functions are start-up then.
type startUp struct {
	funcs   map[string]bool // declared functions and command runs
	methods bool            // methods may be start-up: the whole module is in sight
	// runs are the command runs' extents, lits every function literal's:
	// a literal runs when whatever it is handed to calls it, unless it is
	// a command's run.
	runs, lits []span
}

// startUpOnly computes the start-up code of g, given the positions of the
// program models' entry points.
func (g *graph) startUpOnly(entries []token.Pos) *startUp {
	su := &startUp{funcs: map[string]bool{}, methods: !g.partial, runs: g.spans, lits: g.lits}
	roots := append([]string(nil), g.roots...)
	roots = append(roots, g.cmds...)
	start := map[string]bool{}
	stack := roots
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if start[n] || g.lasts[n] {
			continue
		}
		start[n] = true
		for _, r := range g.edges[n] {
			if !r.plain {
				continue
			}
			stack = append(stack, r.to)
			if r.iface {
				stack = append(stack, g.byName[r.method]...)
			}
		}
	}
	// With the whole module in sight, a method reference reaches that
	// method (and, through an interface, the methods whose types may
	// implement it), as for liveness: a Start called on a collector's
	// detector does not make the server's Start run again.
	mode := byName
	if !g.partial {
		mode = typed
	}
	var again []string
	for n, refs := range g.edges {
		if g.lasts[n] {
			again = append(again, n)
		}
		for _, r := range refs {
			if r.plain || r.cmd {
				continue
			}
			again = append(again, r.to)
			if r.method == "" || (mode == typed && !r.iface) {
				continue
			}
			for _, k := range g.byName[r.method] {
				if mode != typed || g.mayImplement(k, r) {
					again = append(again, k)
				}
			}
		}
	}
	for _, p := range entries {
		// An entry that is a function literal (a route's inline handler)
		// is not its enclosing function: what it names is seeded above.
		if _, inLit := innermostSpan(g.lits, p); !inLit {
			if k := g.at(p); k != "" {
				again = append(again, k)
			}
		}
	}
	runsAgain := g.walk(again, mode, func(ref) bool { return false })
	for n := range start {
		if !runsAgain[n] && (g.declared[n] || slices.Contains(g.cmds, n)) {
			su.funcs[n] = true
		}
	}
	return su
}

// startUpFunc returns the name of the declared function holding pos in pkg
// when only start-up code runs it, else "".
func (u *unused) startUpFunc(pkg *packages.Package, pos token.Pos) string {
	if u == nil || u.start == nil || pkg.TypesInfo == nil {
		return ""
	}
	if lit, ok := innermostSpan(u.start.lits, pos); ok {
		// Inside a function literal: a command's run is judged as a
		// whole; any other literal (a handler, a goroutine, a callback)
		// runs when it is called, which start-up code does not decide.
		for _, r := range u.start.runs {
			if r.pos == lit.pos && r.end == lit.end && u.start.funcs[r.key] {
				return "this command's run"
			}
		}
		return ""
	}
	fd := enclosingDecl(pkg, pos)
	if fd == nil {
		return ""
	}
	fn, ok := pkg.TypesInfo.Defs[fd.Name].(*types.Func)
	if !ok || !u.start.funcs[key(fn)] || (fd.Recv != nil && !u.start.methods) {
		return ""
	}
	return fd.Name.Name
}

// calledName returns the name a call's function expression calls: f,
// pkg.F, x.M, or an instantiation of one.
func calledName(fun ast.Expr) *ast.Ident {
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		return f
	case *ast.SelectorExpr:
		return f.Sel
	case *ast.IndexExpr:
		return calledName(f.X)
	case *ast.IndexListExpr:
		return calledName(f.X)
	}
	return nil
}

// entryPositions returns the positions of the models' concurrent and
// at-least-once entry points.
func (ms *models) entryPositions() []token.Pos {
	if ms == nil {
		return nil
	}
	var out []token.Pos
	for _, m := range ms.list {
		for _, e := range m.Entries {
			if e.Delivery == program.Concurrent || e.Delivery == program.AtLeastOnce {
				out = append(out, e.Pos)
			}
		}
	}
	return out
}

// startUpCapped are the checks whose risk is per run of the line: once per
// process start, a leaked connection, a whole read, a query per element or
// a goroutine per item is worth knowing, not a comment. http-no-timeout is
// one only where the finding is a request sent (not a client built, which
// start-up code hands to what serves). Checks whose defect corrupts or
// loses data (http-status-unchecked: a start-up fetch that takes an error
// page for its configuration) are not here.
var startUpCapped = map[string]bool{
	"http-body-not-closed": true, "read-unbounded": true, "query-in-loop": true,
	"goroutine-unbounded": true, "sleep-in-handler": true, "lock-across-io": true,
	"http-no-context": true, "context-background-in-scope": true, "http-no-timeout": true,
	// An error page taken for data at start-up fails or misconfigures the
	// start, once, in front of whoever starts the process.
	"http-status-unchecked": true,
}

// sendsRequest reports whether the finding at pos sits on a call (a
// request sent: http.Get(url), client.Do(req)), or on a client literal
// that a local variable holds and that only sends from there (client :=
// &http.Client{...}; client.Get(url)), rather than on a client built to be
// kept: stored, returned or handed on, it may send per request later.
func sendsRequest(pkg *packages.Package, pos token.Pos) bool {
	for _, f := range pkg.Syntax {
		if f.FileStart > pos || pos > f.FileEnd {
			continue
		}
		path, _ := astutil.PathEnclosingInterval(f, pos, pos)
		call := false
		for i, n := range path {
			if n.Pos() != pos {
				continue
			}
			switch n.(type) {
			case *ast.CompositeLit, *ast.UnaryExpr:
				return localClient(pkg.TypesInfo, path[i:])
			case *ast.CallExpr:
				call = true
			}
		}
		return call
	}
	return false
}

// localClient reports whether the literal at path[0] (path runs outwards)
// is assigned to a variable declared there whose every use in the
// enclosing function is as the receiver of a method call.
func localClient(info *types.Info, path []ast.Node) bool {
	if info == nil {
		return false
	}
	var v types.Object
	var body ast.Node
	for i, n := range path {
		switch x := n.(type) {
		case *ast.UnaryExpr, *ast.CompositeLit, *ast.ParenExpr:
			continue
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE && len(x.Lhs) == 1 && len(x.Rhs) == 1 {
				if id, ok := x.Lhs[0].(*ast.Ident); ok {
					v = info.Defs[id]
				}
			}
		case *ast.ValueSpec:
			if len(x.Names) == 1 && len(x.Values) == 1 {
				v = info.Defs[x.Names[0]]
			}
		}
		if v == nil {
			return false
		}
		for _, outer := range path[i+1:] {
			if fd, ok := outer.(*ast.FuncDecl); ok {
				body = fd.Body
				break
			}
			if fl, ok := outer.(*ast.FuncLit); ok {
				body = fl.Body
				break
			}
		}
		break
	}
	if v == nil || body == nil {
		return false
	}
	// A call inside a function literal may run later, per request: the
	// client is kept by the literal then.
	var lits []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if fl, ok := n.(*ast.FuncLit); ok {
			lits = append(lits, fl)
			return false
		}
		return true
	})
	inLit := func(p token.Pos) bool {
		return slices.ContainsFunc(lits, func(l ast.Node) bool { return l.Pos() <= p && p < l.End() })
	}
	uses, calls := 0, 0
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Ident:
			if info.Uses[x] == v {
				uses++
			}
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok {
				if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && info.Uses[id] == v {
					if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal && !inLit(x.Pos()) {
						calls++
					}
				}
			}
		}
		return true
	})
	return uses > 0 && uses == calls
}

// isRun reports whether id is the whole of n, a command's run named as a
// function or method value (RunE: runValidate, Action: app.serve): the run
// calls it when the command runs.
func isRun(n ast.Node, id *ast.Ident) bool {
	switch x := n.(type) {
	case *ast.Ident:
		return x == id
	case *ast.SelectorExpr:
		return x.Sel == id
	}
	return false
}
