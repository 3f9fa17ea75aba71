package checklist

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/finding"
)

func mapWriteUnderRLockCheck() *Check {
	return &Check{
		Question: finding.RunsTwice,
		Severity: finding.SeverityError,
		Title:    "map written while only a read lock is held",
		Rationale: "An RWMutex's read lock lets any number of goroutines in at once. A map written under it " +
			"(the cache filled on a miss, an entry deleted after a lookup) is written by two requests together " +
			"as soon as two run at once, and Go stops the whole process with \"fatal error: concurrent map " +
			"writes\", which no recover catches. The check follows a RLock of a sync.RWMutex to its RUnlock (or " +
			"to the end of the function when the RUnlock is deferred) and reports an assignment to, an increment " +
			"of, or a delete or clear from a map that belongs to the same object as the mutex (or, for a " +
			"package-level mutex, a package-level map), and a call to a method of the same object that writes " +
			"such a map without taking a lock of its own. Left alone: a write after the read lock is let go of " +
			"(the usual upgrade: RUnlock, then Lock), a write while another mutex of the same object is locked, " +
			"writes through a map's values (a pointer's field), maps of other objects, and tests.",
		Fix: "Take the write lock for the write: let go of the read lock, take Lock, look the key up again " +
			"(another goroutine may have filled it meanwhile), then write. Or use sync.Map, or a singleflight " +
			"group for a cache fill.",
		Bad: `c.mu.RLock()
defer c.mu.RUnlock()
v, ok := c.items[key]
if !ok {
	v = c.load(key)
	c.items[key] = v
}
return v`,
		Good: `c.mu.RLock()
v, ok := c.items[key]
c.mu.RUnlock()
if ok {
	return v
}
c.mu.Lock()
defer c.mu.Unlock()
if v, ok := c.items[key]; ok {
	return v
}
v = c.load(key)
c.items[key] = v
return v`,
		Analyzer: mapWriteUnderRLockAnalyzer,
	}
}

var mapWriteUnderRLockAnalyzer = &analysis.Analyzer{
	Name:             "map_write_under_rlock",
	Doc:              "reports a map written while only the read lock of the RWMutex that guards it is held",
	RunDespiteErrors: true,
	Run:              runMapWriteUnderRLock,
}

func runMapWriteUnderRLock(pass *analysis.Pass) (any, error) {
	info := code.Info(pass)
	if info == nil {
		return nil, nil
	}
	decls := code.NewDecls(pass)
	for fd := range code.FuncDecls(pass) {
		if code.IsTestFile(pass.Fset, fd.Pos()) {
			continue
		}
		// Each function body, the literals' included, is judged on its own:
		// a literal runs when it is called, not where it is written.
		ast.Inspect(fd, func(n ast.Node) bool {
			var body *ast.BlockStmt
			switch n := n.(type) {
			case *ast.FuncDecl:
				body = n.Body
			case *ast.FuncLit:
				body = n.Body
			default:
				return true
			}
			rl := &rlockScan{pass: pass, info: info, decls: decls, body: body}
			rl.blocks(body)
			return true
		})
	}
	return nil, nil
}

// rlockScan walks one function body for read-locked regions.
type rlockScan struct {
	pass  *analysis.Pass
	info  *types.Info
	decls *code.Decls
	body  *ast.BlockStmt
}

// blocks finds each RLock statement in every statement list of n (function
// literals aside) and scans what follows it in its list.
func (s *rlockScan) blocks(n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		list := code.StmtList(n)
		for i, st := range list {
			mu, owner, ok := s.rlock(st)
			if !ok {
				continue
			}
			r := region{mu: types.ExprString(mu), owner: owner, ownerText: ownerText(owner)}
			if s.otherLock(r) {
				continue
			}
			s.scan(list[i+1:], r)
		}
		return true
	})
}

// region is a read-locked stretch: the mutex's text and the object it
// guards (nil for a package-level mutex).
type region struct {
	mu        string
	owner     ast.Expr
	ownerText string
}

func ownerText(e ast.Expr) string {
	if e == nil {
		return ""
	}
	return types.ExprString(e)
}

// rlock recognises mu.RLock() as a statement, on a field of an object
// (c.mu.RLock()), an object embedding the mutex (c.RLock()) or a
// package-level mutex, and returns the mutex and its owner.
func (s *rlockScan) rlock(st ast.Stmt) (mu, owner ast.Expr, ok bool) {
	es, ok := st.(*ast.ExprStmt)
	if !ok {
		return nil, nil, false
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return nil, nil, false
	}
	recv, name, ok := mutexCall(s.info, call)
	if !ok || name != "RLock" {
		return nil, nil, false
	}
	recv = ast.Unparen(recv)
	switch r := recv.(type) {
	case *ast.SelectorExpr:
		if isRWMutex(s.info.TypeOf(r)) {
			return recv, r.X, true // c.mu.RLock(): c's maps
		}
		return recv, recv, true // c.RLock(), c embedding the mutex
	case *ast.Ident:
		v, ok := s.info.Uses[r].(*types.Var)
		if !ok || v.Pkg() == nil {
			return nil, nil, false
		}
		switch {
		case !isRWMutex(v.Type()):
			return recv, recv, true // a receiver or variable embedding the mutex
		case v.Parent() == v.Pkg().Scope():
			return recv, nil, true // a package-level mutex: package-level maps
		}
	}
	return nil, nil, false
}

// isRWMutex reports whether t is a sync.RWMutex or a pointer to one.
func isRWMutex(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	return code.IsNamed(t, "sync", "RWMutex")
}

// otherLock reports whether the function takes the write lock of another
// mutex of the same owner: writes may be guarded by that one.
func (s *rlockScan) otherLock(r region) bool {
	return code.AnyCall(s.body, func(call *ast.CallExpr) bool {
		recv, name, ok := mutexCall(s.info, call)
		if !ok || name != "Lock" {
			return false
		}
		text := types.ExprString(ast.Unparen(recv))
		if text == r.mu {
			return false
		}
		sel, ok := ast.Unparen(recv).(*ast.SelectorExpr)
		return ok && r.owner != nil && types.ExprString(sel.X) == r.ownerText
	})
}

// scan walks stmts in order while the read lock is held. It stops once the
// lock is let go of (RUnlock, or Unlock/Lock of the same mutex, the
// upgrade), so that the rest of that list is not scanned; a nested list's
// release ends only that list.
func (s *rlockScan) scan(stmts []ast.Stmt, r region) {
	for _, st := range stmts {
		if s.releases(st, r) {
			return
		}
		switch st := st.(type) {
		case *ast.BlockStmt:
			s.scan(st.List, r)
		case *ast.IfStmt:
			s.visit(st.Init, r)
			s.visit(st.Cond, r)
			s.scan(st.Body.List, r)
			if st.Else != nil {
				s.scan([]ast.Stmt{st.Else}, r)
			}
		case *ast.ForStmt:
			s.visit(st.Init, r)
			s.visit(st.Cond, r)
			s.scan(st.Body.List, r)
			s.visit(st.Post, r)
		case *ast.RangeStmt:
			s.visit(st.X, r)
			s.scan(st.Body.List, r)
		case *ast.SwitchStmt:
			s.visit(st.Init, r)
			s.visit(st.Tag, r)
			for _, c := range st.Body.List {
				s.scan(c.(*ast.CaseClause).Body, r)
			}
		case *ast.TypeSwitchStmt:
			for _, c := range st.Body.List {
				s.scan(c.(*ast.CaseClause).Body, r)
			}
		case *ast.SelectStmt:
			for _, c := range st.Body.List {
				s.scan(c.(*ast.CommClause).Body, r)
			}
		case *ast.LabeledStmt:
			s.scan([]ast.Stmt{st.Stmt}, r)
		case *ast.DeferStmt, *ast.GoStmt:
			// Runs later, or in another goroutine.
		default:
			s.visit(st, r)
		}
	}
}

// releases reports whether st lets go of the read lock: RUnlock of the
// mutex, or a Lock or Unlock of it (the upgrade), as a statement.
func (s *rlockScan) releases(st ast.Stmt, r region) bool {
	es, ok := st.(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return false
	}
	recv, name, ok := mutexCall(s.info, call)
	return ok && name != "RLock" && types.ExprString(ast.Unparen(recv)) == r.mu
}

// visit reports the map writes in a simple statement or expression, and
// calls of the owner's methods that write its maps.
func (s *rlockScan) visit(n ast.Node, r region) {
	if n == nil {
		return
	}
	ast.Inspect(n, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if at, m := s.mapWrite(n, r); m != "" {
			s.reportWrite(at, m, r)
		} else if call, ok := n.(*ast.CallExpr); ok {
			s.viaMethod(call, r)
		}
		return true
	})
}

// mapWrite returns, when n writes a map of the region's owner (an
// assignment to or increment of m[k], or a delete or clear of m), the node
// to report and the map's text.
func (s *rlockScan) mapWrite(n ast.Node, r region) (ast.Node, string) {
	switch n := n.(type) {
	case *ast.AssignStmt:
		if n.Tok == token.DEFINE {
			return nil, ""
		}
		for _, lhs := range n.Lhs {
			if m := s.guardedMap(lhsMap(lhs), r); m != "" {
				return lhs, m
			}
		}
	case *ast.IncDecStmt:
		if m := s.guardedMap(lhsMap(n.X), r); m != "" {
			return n.X, m
		}
	case *ast.CallExpr:
		id, ok := ast.Unparen(n.Fun).(*ast.Ident)
		if !ok || (id.Name != "delete" && id.Name != "clear") || len(n.Args) == 0 {
			return nil, ""
		}
		if _, builtin := s.info.Uses[id].(*types.Builtin); builtin {
			if m := s.guardedMap(n.Args[0], r); m != "" {
				return n, m
			}
		}
	}
	return nil, ""
}

// lhsMap returns the map expression of an index expression on the left of
// an assignment (m in m[k] = v), or nil.
func lhsMap(e ast.Expr) ast.Expr {
	ix, ok := ast.Unparen(e).(*ast.IndexExpr)
	if !ok {
		return nil
	}
	return ix.X
}

// guardedMap returns the text of e when it is a map that belongs to the
// region's owner: a field of it (c.items, c.byID.m), or for a
// package-level mutex a package-level map variable.
func (s *rlockScan) guardedMap(e ast.Expr, r region) string {
	if e == nil {
		return ""
	}
	e = ast.Unparen(e)
	t := s.info.TypeOf(e)
	if t == nil {
		return "" // broken code: no type to go by
	}
	if _, ok := t.Underlying().(*types.Map); !ok {
		return ""
	}
	switch x := e.(type) {
	case *ast.SelectorExpr:
		if r.owner == nil {
			return ""
		}
		for base := ast.Expr(x); ; {
			sel, ok := ast.Unparen(base).(*ast.SelectorExpr)
			if !ok {
				return ""
			}
			if types.ExprString(ast.Unparen(sel.X)) == r.ownerText {
				if _, isVar := s.info.Uses[sel.Sel].(*types.Var); isVar {
					return types.ExprString(e)
				}
				return ""
			}
			base = sel.X
		}
	case *ast.Ident:
		if r.owner != nil {
			return ""
		}
		if v, ok := s.info.Uses[x].(*types.Var); ok && v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
			return x.Name
		}
	}
	return ""
}

// viaMethod reports a call, under the read lock, of a method of the same
// owner, declared in this package, that writes one of the owner's maps
// and takes no lock of its own (the setLocked helper the caller thinks it
// holds the write lock for).
func (s *rlockScan) viaMethod(call *ast.CallExpr, r region) {
	if r.owner == nil {
		return
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || types.ExprString(ast.Unparen(sel.X)) != r.ownerText {
		return
	}
	fd := s.decls.Of(s.info, call)
	if fd == nil || fd.Recv == nil || len(fd.Recv.List) == 0 || len(fd.Recv.List[0].Names) == 0 || fd.Body == nil {
		return
	}
	if code.AnyCall(fd.Body, func(c *ast.CallExpr) bool { _, _, ok := mutexCall(s.info, c); return ok }) {
		return
	}
	recvName := fd.Recv.List[0].Names[0]
	inner := region{mu: "", owner: recvName, ownerText: recvName.Name}
	var written string
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok || written != "" {
			return false
		}
		_, written = s.mapWrite(n, inner)
		return true
	})
	if written == "" {
		return
	}
	report(s.pass, call, "only the read lock "+r.mu+".RLock() is held here, and "+fd.Name.Name+" writes the map "+written+
		": two goroutines holding the read lock at once write it together, and Go stops the process with \"fatal error: concurrent map writes\". "+
		"Take the write lock (RUnlock, Lock, look again) before calling it")
}

func (s *rlockScan) reportWrite(n ast.Node, m string, r region) {
	report(s.pass, n, "only the read lock "+r.mu+".RLock() is held here, so two goroutines can write the map "+m+
		" at once, and Go stops the process with \"fatal error: concurrent map writes\". Let go of the read lock, take "+
		r.mu+".Lock(), look the key up again, then write")
}
