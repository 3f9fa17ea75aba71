package checklist

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/internal/handler"
	"github.com/prodready/prodready/checklist/iocall"
	"github.com/prodready/prodready/checklist/program"
)

const errgroupPkg = "golang.org/x/sync/errgroup"

var goroutineUnboundedAnalyzer = &analysis.Analyzer{
	Name:             "goroutine_unbounded",
	Doc:              "reports goroutines started once per loop iteration with no bound on how many run at once",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.Analyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              runGoroutineUnbounded,
}

func runGoroutineUnbounded(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	decls := funcDecls(pass)
	model, _ := pass.ResultOf[program.Analyzer].(*program.Model)
	where := whereOf(pass)
	constLists := packageLiterals(pass)
	localDecls := code.NewDecls(pass)
	sizes := newSizer(pass, pass.ResultOf[code.CallsAnalyzer].(*code.Calls))
	for file, c := range code.Preorder(insp, (*ast.GoStmt)(nil), (*ast.CallExpr)(nil)) {
		if file == nil || where.Quiet(c) {
			continue
		}
		var msg string
		helperIO, guarded := false, false
		switch n := c.Node().(type) {
		case *ast.GoStmt:
			msg = "a goroutine is started for every iteration with nothing bounding how many run at once; a large input or a traffic spike starts thousands. Use errgroup with SetLimit, a semaphore channel or a fixed worker pool"
		case *ast.CallExpr:
			grp, ok := groupGo(info, file, n)
			if !ok {
				// A helper of the module that starts the goroutine itself
				// (s.async(func() {...}), safego.Go(f)).
				name, io, ok := spawningHelper(info, model, n)
				if !ok || waitsForItsGoroutines(decls.lookup(info, n.Fun)) || takesSlotFirst(decls.lookup(info, n.Fun)) {
					continue // a helper that waits, or takes a semaphore slot first, bounds its goroutines
				}
				if code.CallName(n) == "Go" && limited(c, info, localDecls, n) {
					continue // the module's own group type, made with a limit
				}
				helperIO = io
				msg = name + " starts a goroutine, and it is called for every iteration with nothing bounding how many run at once; a large input or a traffic spike starts thousands. Use errgroup with SetLimit, a semaphore channel or a fixed worker pool"
				guarded = startsOnCondition(decls.lookup(info, n.Fun))
				break
			}
			switch grp {
			case "errgroup":
				if limited(c, info, localDecls, n) {
					continue
				}
				msg = "errgroup.Group.Go in a loop with no SetLimit starts one goroutine per item; call g.SetLimit(n) before the loop"
			default:
				msg = "sync.WaitGroup.Go in a loop starts one goroutine per item with no bound; a WaitGroup waits but does not limit. Use errgroup with SetLimit or a semaphore"
			}
		}
		loop, ok := perItemLoop(c, info)
		if !ok || bounded(c, loop, info) || acceptLoop(loop) {
			continue
		}
		// A list fixed when the code was written or configured (peers,
		// webhooks, a package-level literal list, a slice built with a
		// fixed number of elements) starts as many goroutines as it holds:
		// a fan-out the author chose, not one the input decides.
		if overFixedSet(loop) || builtFixed(info, localDecls, enclosingBody(c), loop) || constLists.fixed(info, loop) {
			continue
		}
		// A goroutine per message is unbounded by nature. Over a slice or
		// map, or in an event loop, report only when the goroutine's work
		// visibly reaches the network or a database: the downstream is what
		// a burst of them overwhelms, and a list of local tasks (stopping
		// services, parsing files) is usually short.
		//
		// In a request handler the request decides the length of the list,
		// so a goroutine per element is reported whatever its work.
		_, inHandler := handler.EnclosingHTTP(info, file, c)
		if !inHandler && !helperIO && !messageLoop(info, loop) && !spawnDoesIO(pass, file, c.Node(), decls) {
			continue
		}
		// Posted only where the input decides how many: a list from the
		// request, the rows of a query, a message. A list of unknown origin
		// (a parameter nobody in the package fills from input, a field) is
		// usually short, and a loop that sleeps between starts paces them.
		cat := severityByRoute(where, c)
		src := sizes.loop(file, c, loop)
		switch {
		case src == sizeUnknown:
			cat = AtMostInfo
			msg += " (info only: what decides the length of this list is not in sight)"
		case sleepsInLoop(info, loop):
			cat = AtMostInfo
			msg += " (info only: the loop sleeps between starts, which paces them)"
		case failureLoop(info, loop):
			// for range closeChan { p.connect() }: one start per dropped
			// connection, a reconnect watcher rather than work.
			cat = AtMostInfo
			msg += " (info only: the loop receives errors or close notifications, one per failure: a reconnect, not work the input decides)"
		case dedupedByKey(c, loop):
			// if _, running := t.running.LoadOrStore(b.ID, true); !running { go t.track(b) }:
			// one goroutine per distinct key, which the code keeps
			// track of; how many run is how many keys are live.
			cat = AtMostInfo
			msg += " (info only: the goroutine starts only for a key not already running, so at most one runs per key)"
		case guarded:
			// go n.reconnect() only when the node goes from up to down:
			// the helper's own condition may bound the starts.
			cat = AtMostInfo
			msg += " (info only: the helper starts its goroutine only behind a condition of its own, such as a change of state, which may bound how many run)"
		case inHandler && src == sizeRequest:
			msg = "in a request handler, the request decides how many: " + msg
		default:
			// A message, a query's rows or a list of the service's own: on
			// the reads of applications such fan-outs were judged
			// deliberate every time (reads G to L: 0 of 10 posted true).
			cat = AtMostInfo
			msg = string(src) + " decides how many: " + msg + " (info only: not a list a client's request decides, where such fan-outs were judged deliberate on the reads of applications)"
		}
		pass.Report(analysis.Diagnostic{Pos: c.Node().Pos(), End: c.Node().End(), Category: cat, Message: msg})
	}
	return nil, nil
}

// sleepsInLoop reports whether the loop's own body (not its closures)
// calls time.Sleep: a loop that starts a goroutine per element and sleeps
// between them is paced, not a burst.
func sleepsInLoop(info *types.Info, loop ast.Node) bool {
	var body *ast.BlockStmt
	switch l := loop.(type) {
	case *ast.RangeStmt:
		body = l.Body
	case *ast.ForStmt:
		body = l.Body
	}
	if body == nil || info == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit, *ast.GoStmt:
			return false
		case *ast.CallExpr:
			if fn := code.Callee(info, x); fn != nil && code.IsPkgFunc(fn, "time", "Sleep") {
				found = true
			}
		}
		return !found
	})
	return found
}

// spawningHelper reports whether call calls a function of the module that
// starts a goroutine itself (its program-model summary has a goroutine
// effect of its own, not one further down), and whether the helper or the
// function values handed to it reach the network or a database.
func spawningHelper(info *types.Info, model *program.Model, call *ast.CallExpr) (name string, io, ok bool) {
	fn := code.Callee(info, call)
	sum := model.SummaryOf(fn)
	if sum == nil {
		return "", false, false
	}
	for _, e := range sum.Effects {
		if e.Kind == program.Goroutine && len(e.Via) == 0 {
			ok = true
		}
		switch e.Kind {
		case program.HTTPOut, program.Insert, program.Upsert, program.Update, program.RelUpdate, program.Delete, program.Publish:
			io = true
		}
	}
	if !ok {
		return "", false, false
	}
	for _, a := range call.Args {
		if f := code.Callee(info, &ast.CallExpr{Fun: a}); f != nil {
			if s := model.SummaryOf(f); s != nil && len(s.Effects) > 0 {
				io = true
			}
		}
		if lit, isLit := ast.Unparen(a).(*ast.FuncLit); isLit && code.AnyCall(lit.Body, func(c *ast.CallExpr) bool {
			s := model.SummaryOf(code.Callee(info, c))
			return s != nil && len(s.Effects) > 0
		}) {
			io = true
		}
	}
	return program.FuncName(fn), io, true
}

// startsOnCondition reports whether every go statement in a helper's own
// body (not in the literals it builds) sits under an if, switch or select:
// the helper decides per call whether to start one at all.
func startsOnCondition(fd *ast.FuncDecl) bool {
	if fd == nil || fd.Body == nil {
		return false
	}
	starts, all := 0, true
	code.WalkStack(fd.Body, func(n ast.Node, stack []ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.GoStmt:
			starts++
			under := false
			for _, p := range stack {
				switch p.(type) {
				case *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
					under = true
				}
			}
			all = all && under
		}
		return true
	})
	return starts > 0 && all
}

// takesSlotFirst reports whether a helper's body sends on a channel (takes
// a semaphore slot, concurrent <- token{}) before the first goroutine it
// starts: the channel's capacity bounds how many run.
func takesSlotFirst(fd *ast.FuncDecl) bool {
	if fd == nil || fd.Body == nil {
		return false
	}
	for _, st := range fd.Body.List {
		switch st.(type) {
		case *ast.SendStmt:
			return true
		case *ast.GoStmt:
			return false
		}
	}
	return false
}

// waitsForItsGoroutines reports whether a helper's body waits (wg.Wait(),
// g.Wait()): the goroutines it starts end before it returns, so calling it
// once per iteration does not pile them up.
func waitsForItsGoroutines(fd *ast.FuncDecl) bool {
	return fd != nil && fd.Body != nil && code.AnyCall(fd.Body, func(c *ast.CallExpr) bool {
		return code.CallName(c) == "Wait" && len(c.Args) == 0
	})
}

// groupGo reports whether call is errgroup.Group.Go or sync.WaitGroup.Go.
func groupGo(info *types.Info, file *ast.File, call *ast.CallExpr) (string, bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Go" {
		return "", false
	}
	ref := code.Resolve(info, file, sel)
	switch {
	case ref.Is(errgroupPkg, "Group.Go"):
		return "errgroup", true
	case ref.Is("sync", "WaitGroup.Go"):
		return "waitgroup", true
	}
	return "", false
}

// limited reports whether the errgroup whose Go is called gets SetLimit in
// the enclosing function, or is made by a constructor of this package that
// calls SetLimit (g := newLimitedGroup(ctx, n)), or comes from elsewhere (a
// parameter or field) so that its limit cannot be seen here.
func limited(c inspector.Cursor, info *types.Info, decls *code.Decls, call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false // a plain Go(f) of the package's own: no group to limit
	}
	root := code.RootIdent(sel.X)
	if root == nil {
		return true
	}
	v := code.VarOf(info, root)
	_, body := code.OuterFuncOf(c)
	if body == nil {
		return true
	}
	if v.Obj != nil && !code.Contains(body, v.Obj.Pos()) {
		return true // a parameter, field or package variable: configured elsewhere
	}
	if _, isSel := ast.Unparen(sel.X).(*ast.SelectorExpr); isSel {
		return true // s.group.Go: configured elsewhere
	}
	want := types.ExprString(sel.X)
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch x := n.(type) {
		case *ast.CallExpr:
			if s, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && s.Sel.Name == "SetLimit" && types.ExprString(s.X) == want {
				found = true
			}
		case *ast.AssignStmt:
			// g, ctx := newGroup(ctx, n): a constructor that limits it.
			if len(x.Rhs) == 1 && len(x.Lhs) > 0 && types.ExprString(x.Lhs[0]) == want {
				if rc, ok := ast.Unparen(x.Rhs[0]).(*ast.CallExpr); ok {
					found = constructorLimits(info, decls, rc)
				}
			}
		}
		return !found
	})
	return found
}

// constructorLimits reports whether call calls a function of this package
// that calls SetLimit on a group it makes and returns.
func constructorLimits(info *types.Info, decls *code.Decls, call *ast.CallExpr) bool {
	fd := decls.Of(info, call)
	if fd == nil || fd.Body == nil {
		return false
	}
	return code.AnyCall(fd.Body, func(c *ast.CallExpr) bool {
		s, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
		return ok && s.Sel.Name == "SetLimit" && len(c.Args) == 1
	})
}

// perItemLoop returns the innermost loop around c in the same function when
// its iteration count is set by the input: a range over a slice, map,
// channel, string or iterator, a for loop bounded by len(...), or an endless
// or conditional loop. A loop over an integer count, a constant or a literal
// list is a fixed pool and is not per item.
func perItemLoop(c inspector.Cursor, info *types.Info) (ast.Node, bool) {
	for p := range code.Ancestors(c) {
		switch l := p.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return nil, false
		case *ast.RangeStmt:
			if !code.Contains(l.Body, c.Node().Pos()) {
				continue
			}
			x := ast.Unparen(l.X)
			if _, ok := x.(*ast.CompositeLit); ok {
				return nil, false // a literal list: its length is fixed in the code
			}
			if batchName(x) || variadicParam(c, info, x) {
				// Chunks and batches are the bound already; a variadic
				// parameter is a list the callers write out by hand.
				return nil, false
			}
			if t := code.TypeOf(info, x); t != nil {
				switch u := t.Underlying().(type) {
				case *types.Basic:
					if u.Info()&types.IsInteger != 0 {
						return nil, false // for range n: a pool of n
					}
				case *types.Array:
					return nil, false
				case *types.Pointer:
					if _, ok := u.Elem().Underlying().(*types.Array); ok {
						return nil, false
					}
				}
				return l, true
			}
			// No types: a call to len is per item; a bare name or literal may be an int.
			if call, ok := x.(*ast.CallExpr); ok && code.CallName(call) == "len" {
				return l, true
			}
			if _, ok := x.(*ast.BasicLit); ok {
				return nil, false
			}
			if id, ok := x.(*ast.Ident); ok && info != nil && info.Uses[id] == nil {
				return nil, false
			}
			return l, true
		case *ast.ForStmt:
			if !code.Contains(l.Body, c.Node().Pos()) {
				continue
			}
			if l.Cond == nil {
				return l, true
			}
			be, ok := ast.Unparen(l.Cond).(*ast.BinaryExpr)
			if !ok {
				return l, true // for scanner.Scan(), for !done
			}
			switch be.Op {
			case token.LSS, token.LEQ, token.GTR, token.GEQ:
				if usesLen(be.X) || usesLen(be.Y) {
					return l, true
				}
				return nil, false // for i := 0; i < workers; i++: a fixed pool
			}
			return l, true
		}
	}
	return nil, false
}

func usesLen(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && code.CallName(call) == "len" {
			found = true
		}
		return !found
	})
	return found
}

// bounded looks, between the loop's start and the goroutine, for something
// that limits how many run: a channel send (a semaphore slot or a hand-off to
// a pool), a bare receive (taking a token), a semaphore Acquire, or a Wait that
// drains a batch; and it accepts a goroutine started once before leaving the
// loop.
func bounded(c inspector.Cursor, loop ast.Node, info *types.Info) bool {
	target := c.Node()
	var body *ast.BlockStmt
	switch l := loop.(type) {
	case *ast.RangeStmt:
		body = l.Body
	case *ast.ForStmt:
		body = l.Body
	}
	if body == nil {
		return false
	}
	// Started once and then leaving the loop.
	if next, ok := nextStmt(c); ok {
		switch s := next.(type) {
		case *ast.ReturnStmt:
			return true
		case *ast.BranchStmt:
			if s.Tok == token.BREAK || s.Tok == token.GOTO {
				return true
			}
		}
	}
	if budgeted(body, loop) {
		return true
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == nil || n == target {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false // closures run elsewhere; what they do bounds nothing here
		}
		switch x := n.(type) {
		case *ast.SendStmt:
			found = true // a semaphore slot, or a hand-off that blocks when full
		case *ast.ExprStmt:
			if u, ok := ast.Unparen(x.X).(*ast.UnaryExpr); ok && u.Op == token.ARROW && isTokenChan(u.X) {
				found = true // taking a token from a pool
			}
		case *ast.CallExpr:
			switch code.CallName(x) {
			case "Acquire", "TryAcquire":
				found = true // golang.org/x/sync/semaphore
			case "Wait", "Take", "Allow", "Reserve":
				// wg.Wait draining each batch, or a rate limiter pacing the loop.
				found = true
			}
		}
		return !found
	})
	return found
}

// isTokenChan reports whether a receive operand names a channel variable (a
// token pool) rather than a call such as ctx.Done() or time.After(d).
func isTokenChan(e ast.Expr) bool {
	switch ast.Unparen(e).(type) {
	case *ast.Ident, *ast.SelectorExpr:
		return true
	}
	return false
}

// nextStmt returns the statement after the one at c in its block.
func nextStmt(c inspector.Cursor) (ast.Stmt, bool) {
	cur := c
	if _, ok := cur.Node().(ast.Stmt); !ok {
		found := false
		for p := range code.Ancestors(c) {
			if _, ok := p.Node().(ast.Stmt); ok {
				cur, found = p, true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	next, ok := cur.NextSibling()
	if !ok {
		return nil, false
	}
	s, ok := next.Node().(ast.Stmt)
	return s, ok
}

// budgeted reports whether the loop counts the goroutines it starts against a
// limit: a variable incremented or decremented in the body and compared in
// the loop's condition or in an if inside it (n--; if n == 0 { wait }).
func budgeted(body *ast.BlockStmt, loop ast.Node) bool {
	counters := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		switch s := n.(type) {
		case *ast.IncDecStmt:
			counters[types.ExprString(s.X)] = true
		case *ast.AssignStmt:
			if s.Tok == token.ADD_ASSIGN || s.Tok == token.SUB_ASSIGN {
				for _, l := range s.Lhs {
					counters[types.ExprString(l)] = true
				}
			}
		}
		return true
	})
	if len(counters) == 0 {
		return false
	}
	var conds []ast.Expr
	if f, ok := loop.(*ast.ForStmt); ok && f.Cond != nil {
		conds = append(conds, f.Cond)
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if is, ok := n.(*ast.IfStmt); ok {
			conds = append(conds, is.Cond)
		}
		return true
	})
	for _, cond := range conds {
		found := false
		ast.Inspect(cond, func(n ast.Node) bool {
			if be, ok := n.(*ast.BinaryExpr); ok && be.Op != token.LAND && be.Op != token.LOR {
				if counters[types.ExprString(ast.Unparen(be.X))] || counters[types.ExprString(ast.Unparen(be.Y))] {
					found = true
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// variadicParam reports whether x names the variadic parameter of the
// function around c.
func variadicParam(c inspector.Cursor, info *types.Info, x ast.Expr) bool {
	id, ok := x.(*ast.Ident)
	if !ok {
		return false
	}
	_, ft, _ := code.FuncOf(c)
	if ft == nil || ft.Params == nil || len(ft.Params.List) == 0 {
		return false
	}
	last := ft.Params.List[len(ft.Params.List)-1]
	if _, ok := last.Type.(*ast.Ellipsis); !ok {
		return false
	}
	for _, n := range last.Names {
		if n.Name == id.Name {
			v := code.VarOf(info, id)
			return v.Obj == nil || v.Obj == code.VarOf(info, n).Obj
		}
	}
	return false
}

// messageLoop reports whether loop ranges over a channel: one goroutine per
// message received.
func messageLoop(info *types.Info, loop ast.Node) bool {
	if l, ok := loop.(*ast.RangeStmt); ok {
		if t := code.TypeOf(info, l.X); t != nil {
			if _, ok := t.Underlying().(*types.Chan); ok {
				return true
			}
		}
	}
	return false
}

// failureLoop reports whether loop ranges over a channel of errors (an
// amqp NotifyClose channel, a chan error): what arrives is one failure at a
// time, not a stream of work.
func failureLoop(info *types.Info, loop ast.Node) bool {
	l, ok := loop.(*ast.RangeStmt)
	if !ok {
		return false
	}
	t := code.TypeOf(info, l.X)
	if t == nil {
		return false
	}
	ch, ok := t.Underlying().(*types.Chan)
	if !ok {
		return false
	}
	errType := types.Universe.Lookup("error").Type().Underlying().(*types.Interface)
	return types.Implements(ch.Elem(), errType)
}

// acceptLoop reports whether loop accepts connections (a call to Accept()
// in its body). A goroutine per accepted connection is how Go servers are
// built, net/http's included; the bound on connections, where one is
// needed, belongs on the listener (netutil.LimitListener) or the OS.
func acceptLoop(loop ast.Node) bool {
	var body *ast.BlockStmt
	switch l := loop.(type) {
	case *ast.RangeStmt:
		body = l.Body
	case *ast.ForStmt:
		body = l.Body
	}
	accept := false
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if call, ok := n.(*ast.CallExpr); ok && code.CallName(call) == "Accept" && len(call.Args) == 0 {
			accept = true
		}
		return !accept
	})
	return accept
}

// decls finds the package's own function declarations: by object when
// the package has types, and plain functions by name when it does not.
type decls struct {
	byObj  map[types.Object]*ast.FuncDecl
	byName map[string]*ast.FuncDecl
}

// funcDecls indexes the package's functions and methods, so that a
// goroutine's callee can be looked into.
func funcDecls(pass *analysis.Pass) decls {
	out := decls{byObj: map[types.Object]*ast.FuncDecl{}, byName: map[string]*ast.FuncDecl{}}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			if pass.TypesInfo != nil {
				if obj := pass.TypesInfo.Defs[fd.Name]; obj != nil {
					out.byObj[obj] = fd
				}
			}
			if fd.Recv == nil {
				out.byName[fd.Name.Name] = fd
			}
		}
	}
	return out
}

// lookup returns the declaration a call's function name refers to.
func (d decls) lookup(info *types.Info, fun ast.Expr) *ast.FuncDecl {
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		if info != nil {
			if obj := info.Uses[f]; obj != nil {
				return d.byObj[obj]
			}
		}
		return d.byName[f.Name]
	case *ast.SelectorExpr:
		if info != nil {
			if obj := info.Uses[f.Sel]; obj != nil {
				return d.byObj[obj]
			}
		}
	}
	return nil
}

// spawnDoesIO reports whether the work a go statement (or group Go call)
// starts makes an HTTP, database or network call, in its own body or in a
// function of this package it calls, two levels deep.
func spawnDoesIO(pass *analysis.Pass, file *ast.File, spawn ast.Node, decls decls) bool {
	var roots []ast.Node
	switch n := spawn.(type) {
	case *ast.GoStmt:
		roots = append(roots, n.Call)
	case *ast.CallExpr:
		for _, a := range n.Args {
			roots = append(roots, a)
		}
	}
	seen := map[*ast.FuncDecl]bool{}
	var walk func(n ast.Node, depth int) bool
	walk = func(n ast.Node, depth int) bool {
		found := false
		ast.Inspect(n, func(x ast.Node) bool {
			if found {
				return false
			}
			call, ok := x.(*ast.CallExpr)
			if !ok {
				return true
			}
			if k, _ := iocall.Of(pass.TypesInfo, file, call); k != iocall.None {
				found = true
				return false
			}
			if depth == 0 {
				return true
			}
			if fd := decls.lookup(pass.TypesInfo, call.Fun); fd != nil && !seen[fd] {
				seen[fd] = true
				if walk(fd.Body, depth-1) {
					found = true
				}
			}
			return !found
		})
		return found
	}
	for _, r := range roots {
		if walk(r, 2) {
			return true
		}
	}
	return false
}

// dedupedByKey reports whether the start at c sits, inside loop, under an if
// whose init or condition asks a map or a sync.Map whether the key is there
// already (LoadOrStore, Load, a comma-ok index): a goroutine per distinct
// key that the code tracks, not one per element.
func dedupedByKey(c inspector.Cursor, loop ast.Node) bool {
	for p := c.Parent(); p.Node() != nil && p.Node() != loop; p = p.Parent() {
		ifs, ok := p.Node().(*ast.IfStmt)
		if !ok {
			continue
		}
		found := false
		for _, part := range []ast.Node{ifs.Init, ifs.Cond} {
			if part == nil {
				continue
			}
			ast.Inspect(part, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.CallExpr:
					switch code.CallName(x) {
					case "LoadOrStore", "Load", "LoadAndDelete", "Swap":
						found = true
					}
				case *ast.AssignStmt:
					if len(x.Lhs) == 2 && len(x.Rhs) == 1 {
						if _, ok := ast.Unparen(x.Rhs[0]).(*ast.IndexExpr); ok {
							found = true // _, ok := m[key]
						}
					}
				}
				return !found
			})
		}
		if found {
			return true
		}
	}
	return false
}
