package code

import (
	"go/ast"
	"go/token"
	"go/types"
)

// UseKind classifies one appearance of a tracked variable.
type UseKind int

// The kinds of use.
const (
	// UseOther is any use not listed below (a comparison, a field read).
	UseOther UseKind = iota
	// UseMethodCall is v.Name(...).
	UseMethodCall
	// UseField is v.Name that is not called.
	UseField
	// UseArg is v passed as an argument to a call that is not a method of v.
	UseArg
	// UseReturn is v returned.
	UseReturn
	// UseStore is v assigned to something else, stored in a composite
	// literal, sent on a channel, or its address taken.
	UseStore
	// UseAssigned is v on the left of an assignment.
	UseAssigned
)

// Use is one appearance of a tracked variable in a function body.
type Use struct {
	Kind  UseKind
	Ident *ast.Ident
	// Name is the selected name for UseMethodCall and UseField.
	Name string
	// Call is the method call (UseMethodCall) or the call v is passed to (UseArg).
	Call *ast.CallExpr
	// Deferred is true when the use runs in a deferred call: the call of a
	// defer statement itself or anywhere inside a deferred function literal.
	Deferred bool
	// InGo is true when the use sits inside a go statement.
	InGo bool
	// Stack is the path from the body to the identifier, outermost first.
	Stack []ast.Node
}

// Parent returns the node directly above the identifier.
func (u Use) Parent() ast.Node { return u.ancestor(1) }

func (u Use) ancestor(n int) ast.Node {
	i := len(u.Stack) - 1 - n
	if i < 0 {
		return nil
	}
	return u.Stack[i]
}

// ResultUsed reports, for a UseMethodCall, whether the call's value is used:
// it is not an expression statement, not the call of a defer or go
// statement, and not assigned only to blanks.
func (u Use) ResultUsed() bool {
	if u.Call == nil {
		return false
	}
	return !Discarded(u.Stack, u.Call)
}

// Discarded reports whether call, found at the end of stack (stack holds its
// ancestors and may continue below it), has its results thrown away: it is
// an expression statement, a defer or go call, or assigned only to blank
// identifiers.
func Discarded(stack []ast.Node, call *ast.CallExpr) bool {
	i := len(stack) - 1
	for i >= 0 && stack[i] != ast.Node(call) {
		i--
	}
	if i <= 0 {
		return false
	}
	switch p := stack[i-1].(type) {
	case *ast.ExprStmt:
		return true
	case *ast.DeferStmt:
		return p.Call == call
	case *ast.GoStmt:
		return p.Call == call
	case *ast.AssignStmt:
		return blanks(p)
	case *ast.ParenExpr:
		return Discarded(stack[:i], call)
	}
	return false
}

// Uses lists every appearance of v inside body, nested function literals
// included.
func Uses(info *types.Info, body ast.Node, v Var) []Use {
	var out []Use
	if body == nil {
		return nil
	}
	WalkStack(body, func(n ast.Node, stack []ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || !v.Is(info, id) {
			return true
		}
		if len(stack) >= 2 {
			if sel, ok := stack[len(stack)-2].(*ast.SelectorExpr); ok && sel.Sel == id {
				return true // a field or method named like v, not v
			}
			if kv, ok := stack[len(stack)-2].(*ast.KeyValueExpr); ok && kv.Key == id {
				if _, isStruct := enclosingComposite(stack); isStruct {
					return true // a struct field key named like v
				}
			}
		}
		out = append(out, classify(info, id, append([]ast.Node(nil), stack...)))
		return true
	})
	return out
}

func enclosingComposite(stack []ast.Node) (*ast.CompositeLit, bool) {
	if len(stack) >= 3 {
		if cl, ok := stack[len(stack)-3].(*ast.CompositeLit); ok {
			return cl, true
		}
	}
	return nil, false
}

func classify(info *types.Info, id *ast.Ident, stack []ast.Node) Use {
	u := Use{Kind: UseOther, Ident: id, Stack: stack}
	for _, n := range stack {
		switch n.(type) {
		case *ast.DeferStmt:
			u.Deferred = true
		case *ast.GoStmt:
			u.InGo = true
		}
	}
	// v seen through a conversion or type assertion ((*T)(v), v.(*T)) is
	// still v when it is returned, stored or passed on.
	wrapped, depth := ast.Node(id), 1
	for {
		switch p := u.ancestor(depth).(type) {
		case *ast.ParenExpr, *ast.StarExpr:
			wrapped, depth = p, depth+1
			continue
		case *ast.TypeAssertExpr:
			if p.X == wrapped {
				wrapped, depth = p, depth+1
				continue
			}
		case *ast.CallExpr:
			if info != nil && len(p.Args) == 1 && p.Args[0] == wrapped {
				if tv, ok := info.Types[p.Fun]; ok && tv.IsType() {
					wrapped, depth = p, depth+1
					continue
				}
			}
		}
		break
	}
	if depth > 1 {
		switch p := u.ancestor(depth).(type) {
		case *ast.ReturnStmt, *ast.CompositeLit, *ast.KeyValueExpr, *ast.SendStmt:
			u.Kind = UseStore
			if _, ok := p.(*ast.ReturnStmt); ok {
				u.Kind = UseReturn
			}
		case *ast.AssignStmt:
			u.Kind = UseStore
		case *ast.CallExpr:
			for _, a := range p.Args {
				if a == wrapped {
					u.Kind, u.Call = UseArg, p
				}
			}
		}
		return u
	}
	parent := u.ancestor(1)
	switch p := parent.(type) {
	case *ast.SelectorExpr:
		u.Name = p.Sel.Name
		u.Kind = UseField
		if call, ok := u.ancestor(2).(*ast.CallExpr); ok && ast.Unparen(call.Fun) == ast.Expr(p) {
			u.Kind = UseMethodCall
			u.Call = call
		}
	case *ast.CallExpr:
		for _, a := range p.Args {
			if ast.Unparen(a) == ast.Expr(id) {
				u.Kind = UseArg
				u.Call = p
			}
		}
	case *ast.ReturnStmt:
		u.Kind = UseReturn
	case *ast.AssignStmt:
		for _, l := range p.Lhs {
			if l == ast.Expr(id) {
				u.Kind = UseAssigned
				return u
			}
		}
		u.Kind = UseStore
		if allBlank(p.Lhs) {
			u.Kind = UseOther // _ = v keeps nothing
		}
	case *ast.ValueSpec:
		for _, n := range p.Names {
			if n == id {
				u.Kind = UseAssigned
				return u
			}
		}
		u.Kind = UseStore
	case *ast.CompositeLit, *ast.KeyValueExpr, *ast.SendStmt:
		u.Kind = UseStore
	case *ast.UnaryExpr:
		if p.Op.String() == "&" {
			u.Kind = UseStore
		}
	}
	return u
}

// WalkStack walks root depth-first, calling f with each node and the path of
// nodes from root to it (the node itself last). Returning false skips the
// node's children.
func WalkStack(root ast.Node, f func(n ast.Node, stack []ast.Node) bool) {
	var stack []ast.Node
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		if !f(n, stack) {
			stack = stack[:len(stack)-1]
			return false
		}
		return true
	})
}

// Escapes reports whether any use hands v to someone else: returned, stored,
// or passed as an argument to a call accepted by passes (nil accepts all).
func Escapes(uses []Use, passes func(Use) bool) bool {
	for _, u := range uses {
		switch u.Kind {
		case UseReturn, UseStore:
			return true
		case UseArg:
			if passes == nil || passes(u) {
				return true
			}
		}
	}
	return false
}

// AssignedFrom finds the variable that receives result index idx of call
// when call is the sole right-hand side of an assignment or var declaration
// in stack's innermost statement. It returns false for blanks and fields.
func AssignedFrom(info *types.Info, stack []ast.Node, call *ast.CallExpr, idx int) (Var, ast.Node, bool) {
	i := len(stack) - 1
	for i >= 0 && stack[i] != ast.Node(call) {
		i--
	}
	if i <= 0 {
		return Var{}, nil, false
	}
	switch p := stack[i-1].(type) {
	case *ast.AssignStmt:
		if len(p.Rhs) == 1 && idx < len(p.Lhs) {
			v, ok := LocalVar(info, p.Lhs[idx])
			return v, p, ok
		}
	case *ast.ValueSpec:
		if len(p.Values) == 1 && idx < len(p.Names) {
			v, ok := LocalVar(info, p.Names[idx])
			return v, p, ok
		}
	}
	return Var{}, nil, false
}

func allBlank(exprs []ast.Expr) bool {
	for _, e := range exprs {
		if id, ok := e.(*ast.Ident); !ok || id.Name != "_" {
			return false
		}
	}
	return true
}

// SelectedField returns the struct field a selector expression selects
// (s.ln, s.cfg.ln), as its generic origin, or nil when e selects no field.
func SelectedField(info *types.Info, e ast.Expr) *types.Var {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || info == nil {
		return nil
	}
	if s := info.Selections[sel]; s != nil && s.Kind() == types.FieldVal {
		if v, ok := s.Obj().(*types.Var); ok {
			return v.Origin()
		}
	}
	return nil
}

// AssignedToBlank reports whether call, whose ancestors (and itself) are
// stack, is assigned to blank identifiers only (_ = f(), _, _ = f()): a
// drop someone wrote out, not one by omission.
func AssignedToBlank(stack []ast.Node, call *ast.CallExpr) bool {
	i := len(stack) - 1
	for i >= 0 && stack[i] != ast.Node(call) {
		i--
	}
	if i <= 0 {
		return false
	}
	as, ok := stack[i-1].(*ast.AssignStmt)
	return ok && blanks(as)
}

// blanks reports whether as assigns one value to blank identifiers only.
func blanks(as *ast.AssignStmt) bool {
	if len(as.Rhs) != 1 {
		return false
	}
	for _, l := range as.Lhs {
		if id, ok := l.(*ast.Ident); !ok || id.Name != "_" {
			return false
		}
	}
	return true
}

// SetOnce returns the value body assigns to the local variable id names,
// when it assigns it exactly once, one value per name (q := "INSERT ...",
// key = "otp:" + phone); nil otherwise. A variable assigned from a call
// with several results has no single value.
func SetOnce(info *types.Info, body ast.Node, id *ast.Ident) ast.Expr {
	if body == nil {
		return nil
	}
	var val ast.Expr
	n := 0
	v := VarOf(info, id)
	ast.Inspect(body, func(node ast.Node) bool {
		as, ok := node.(*ast.AssignStmt)
		if !ok {
			return true
		}
		for i, l := range as.Lhs {
			if lid, ok := l.(*ast.Ident); ok && v.Is(info, lid) && len(as.Rhs) == len(as.Lhs) {
				val = as.Rhs[i]
				n++
			}
		}
		return true
	})
	if n != 1 {
		return nil
	}
	return val
}

// ReachingValue returns the value the local variable id names holds where
// id is used, when body assigns it more than once in straight-line code
// (statement := `SELECT …`; …; statement = `DELETE …`): the last assignment
// before the use that sits in a block enclosing the use, provided no other
// assignment comes between the two (one in an if or a loop there makes the
// value unknown). nil when there is none; see [SetOnce] for the common case.
func ReachingValue(info *types.Info, body ast.Node, id *ast.Ident) ast.Expr {
	if body == nil {
		return nil
	}
	type assign struct {
		pos   token.Pos
		val   ast.Expr
		block *ast.BlockStmt
	}
	v := VarOf(info, id)
	// Most variables a query is handed are parameters, never assigned:
	// a plain walk says so before the walk that keeps a stack.
	if !AnyAssignment(body, func(l, _ ast.Expr) bool {
		lid, ok := l.(*ast.Ident)
		return ok && lid != id && v.Is(info, lid)
	}) {
		return nil
	}
	var all []assign
	WalkStack(body, func(n ast.Node, stack []ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok {
			return true
		}
		for i, l := range as.Lhs {
			lid, ok := l.(*ast.Ident)
			if !ok || lid == id || !v.Is(info, lid) {
				continue
			}
			a := assign{pos: as.Pos()}
			if len(as.Rhs) == len(as.Lhs) {
				a.val = as.Rhs[i]
			}
			for j := len(stack) - 2; j >= 0; j-- {
				if b, ok := stack[j].(*ast.BlockStmt); ok {
					a.block = b
					break
				}
			}
			all = append(all, a)
		}
		return true
	})
	var last *assign
	for i := range all {
		a := &all[i]
		if a.pos >= id.Pos() || a.block == nil || !Contains(a.block, id.Pos()) {
			continue
		}
		if last == nil || a.pos > last.pos {
			last = a
		}
	}
	if last == nil || last.val == nil {
		return nil
	}
	for _, a := range all {
		if a.pos > last.pos && a.pos < id.Pos() {
			return nil // reassigned on the way, on some branch
		}
	}
	return last.val
}
