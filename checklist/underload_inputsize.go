package checklist

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/internal/handler"
	"github.com/prodready/prodready/checklist/iocall"
)

// A loop's work grows with the load only when something outside the code
// decides how long its collection is: a client's request, the rows of a
// query, a message. The reads of sessions 4 and 5 found the per-element
// findings over other collections (a constant list of template types,
// configured webhooks and storages, the tags of one bookmark) false almost
// every time, so the under-load checks post only over input-sized
// collections and list the rest at info.

// sizeSource says what decides how many elements a collection holds.
type sizeSource string

// Sources of a collection's size.
const (
	sizeUnknown sizeSource = ""
	sizeRequest sizeSource = "the request"
	sizeQuery   sizeSource = "a database query"
	sizeMessage sizeSource = "a message"
)

// maxSizeDepth bounds how far the sizer follows a collection back: through
// assignments, outer loops and one function's callers.
const maxSizeDepth = 4

// sizer finds what decides a loop's length.
type sizer struct {
	pass  *analysis.Pass
	calls *code.Calls
}

// newSizer returns a sizer over the package's calls (nil: callers are not
// followed).
func newSizer(pass *analysis.Pass, calls *code.Calls) *sizer {
	return &sizer{pass: pass, calls: calls}
}

// loop returns what decides how many times loop (around c, in file) runs:
// a range over a channel takes messages; a for rows.Next() loop walks a
// query's rows; a range (or a len bound) over a collection is sized by
// wherever the collection comes from.
func (s *sizer) loop(file *ast.File, c inspector.Cursor, loop ast.Node) sizeSource {
	return s.loopAt(file, c, loop, 0)
}

// connectionElem reports whether a channel's elements are connections,
// sessions or streams (net.Conn, ssh.NewChannel, a websocket's Conn): what a
// server's accept loop hands out, not work items.
func connectionElem(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok {
		return false
	}
	switch n.Obj().Name() {
	case "Conn", "NewChannel", "Channel", "Session", "Stream", "ServerConn":
		return true
	}
	return false
}

// loopAt is loop, depth steps into the search.
func (s *sizer) loopAt(file *ast.File, c inspector.Cursor, loop ast.Node, depth int) sizeSource {
	info := s.pass.TypesInfo
	switch l := loop.(type) {
	case *ast.RangeStmt:
		if t := code.TypeOf(info, l.X); t != nil {
			if ch, ok := t.Underlying().(*types.Chan); ok {
				if connectionElem(ch.Elem()) {
					// for nc := range chans { go handle(nc) }: one goroutine
					// per connection or channel is how a server serves;
					// what bounds them is the listener's limits.
					return sizeUnknown
				}
				return sizeMessage
			}
		}
		return s.expr(file, c, l.X, depth)
	case *ast.ForStmt:
		if l.Cond == nil {
			return sizeUnknown
		}
		if call, ok := ast.Unparen(l.Cond).(*ast.CallExpr); ok && code.CallName(call) == "Next" {
			if recv, _, ok := code.Selector(call); ok && code.IsRowsType(code.TypeOf(info, recv)) {
				return sizeQuery
			}
		}
		var out sizeSource
		ast.Inspect(l.Cond, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && code.CallName(call) == "len" && len(call.Args) == 1 && out == sizeUnknown {
				out = s.expr(file, c, call.Args[0], depth)
			}
			return out == sizeUnknown
		})
		return out
	}
	return sizeUnknown
}

// expr returns what decides the length of the collection e, evaluated at c.
func (s *sizer) expr(file *ast.File, c inspector.Cursor, e ast.Expr, depth int) sizeSource {
	if depth > maxSizeDepth {
		return sizeUnknown
	}
	info := s.pass.TypesInfo
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok {
		return s.call(file, c, call)
	}
	if mentionsRequest(info, e) {
		return sizeRequest // r.URL.Query()["id"], r.Form["tag"]
	}
	root := code.RootIdent(e)
	if root == nil || info == nil {
		return sizeUnknown
	}
	obj, ok := info.Uses[root].(*types.Var)
	if !ok || obj.Parent() == nil || obj.Parent() == obj.Pkg().Scope() {
		return sizeUnknown // a package variable or a field: configured, not input
	}
	fnCur, fd := declaringFunc(c, obj.Pos())
	if fd == nil {
		return sizeUnknown
	}
	if params := code.FuncType(fd).Params; params != nil && code.Contains(params, obj.Pos()) {
		return s.param(fnCur, fd, obj, depth)
	}
	return s.local(file, c, code.Body(fd), obj, depth)
}

// local returns what sizes a local variable: what it is assigned from, the
// collection an outer loop takes it from, or what decodes or scans into it.
func (s *sizer) local(file *ast.File, c inspector.Cursor, body *ast.BlockStmt, obj *types.Var, depth int) sizeSource {
	info := s.pass.TypesInfo
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && (info.Defs[id] == obj || info.Uses[id] == obj)
	}
	out := sizeUnknown
	code.WalkStack(body, func(n ast.Node, stack []ast.Node) bool {
		if out != sizeUnknown {
			return false
		}
		switch x := n.(type) {
		case *ast.AssignStmt:
			for i, l := range x.Lhs {
				if !is(l) {
					continue
				}
				r := x.Rhs[0]
				if len(x.Rhs) == len(x.Lhs) {
					r = x.Rhs[i]
				}
				if call, ok := ast.Unparen(r).(*ast.CallExpr); ok && code.CallName(call) == "append" {
					// out = append(out, x) in a loop: as many as the loop runs.
					if lp := innermostLoop(stack); lp != nil && depth < maxSizeDepth {
						out = s.loopAt(file, c, lp, depth+1)
					}
					continue
				}
				out = s.expr(file, c, r, depth+1)
			}
		case *ast.ValueSpec:
			for i, nm := range x.Names {
				if info.Defs[nm] == obj && i < len(x.Values) {
					out = s.expr(file, c, x.Values[i], depth+1)
				}
			}
		case *ast.RangeStmt:
			if (x.Key != nil && is(x.Key)) || (x.Value != nil && is(x.Value)) {
				// for _, b := range bookmarks { for _, t := range b.Tags }
				if t := code.TypeOf(info, x.X); t != nil {
					if _, isChan := t.Underlying().(*types.Chan); isChan {
						out = sizeMessage
						return false
					}
				}
				out = s.expr(file, c, x.X, depth+1)
			}
		case *ast.CallExpr:
			for _, a := range x.Args {
				if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND && is(u.X) {
					out = s.filledBy(file, c, x)
				}
			}
		}
		return true
	})
	return out
}

// filledBy returns what sizes a variable that call fills through a pointer:
// a decoder or binder over a request (or in a handler) fills it from the
// client, in a message handler from the message; a database read fills it
// with rows.
func (s *sizer) filledBy(file *ast.File, c inspector.Cursor, call *ast.CallExpr) sizeSource {
	info := s.pass.TypesInfo
	if dbCall(info, file, call) {
		return sizeQuery // db.Select(&rows, q), gorm's Find(&users)
	}
	name := strings.ToLower(code.CallName(call))
	if !strings.Contains(name, "decode") && !strings.Contains(name, "unmarshal") && !strings.Contains(name, "bind") &&
		!strings.Contains(name, "bodyparser") && !strings.Contains(name, "readjson") {
		return sizeUnknown
	}
	if mentionsRequest(info, call) {
		return sizeRequest
	}
	if _, ok := handler.EnclosingHTTP(info, file, c); ok {
		return sizeRequest
	}
	if fnCur, fd := declaringFunc(c, c.Node().Pos()); fd != nil && messageHandler(info, file, fnCur) {
		return sizeMessage
	}
	return sizeUnknown // a configuration file, say
}

// call returns what sizes the collection a call returns: the request's data
// (strings.Split(r.FormValue("ids"), ","), c.QueryArray("id")), a database
// read, or a read of the module named for listing rows (s.store.ListOrders).
func (s *sizer) call(file *ast.File, c inspector.Cursor, call *ast.CallExpr) sizeSource {
	info := s.pass.TypesInfo
	if dbCall(info, file, call) {
		return sizeQuery
	}
	if mentionsRequest(info, call) {
		return sizeRequest
	}
	fn := code.Callee(info, call)
	if fn == nil {
		return sizeUnknown
	}
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Results().Len() == 0 {
		return sizeUnknown
	}
	switch sig.Results().At(0).Type().Underlying().(type) {
	case *types.Slice, *types.Map:
	default:
		return sizeUnknown
	}
	for _, p := range []string{"List", "Find", "Search", "Query", "Select", "Fetch", "GetAll", "Scan", "All"} {
		if strings.HasPrefix(fn.Name(), p) && (len(fn.Name()) == len(p) || fn.Name()[len(p)] >= 'A' && fn.Name()[len(p)] <= 'Z') {
			return sizeQuery
		}
	}
	return sizeUnknown
}

// param returns what sizes a parameter: a message handler's parameter is
// the message; otherwise whatever the package's callers pass (one level).
func (s *sizer) param(fnCur inspector.Cursor, fd ast.Node, obj *types.Var, depth int) sizeSource {
	info := s.pass.TypesInfo
	file := cursorFile(fnCur)
	if messageHandler(info, file, fnCur) {
		return sizeMessage
	}
	decl, ok := fd.(*ast.FuncDecl)
	if !ok || s.calls == nil {
		return sizeUnknown
	}
	fn, _ := info.Defs[decl.Name].(*types.Func)
	if fn == nil {
		return sizeUnknown
	}
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil {
		return sizeUnknown
	}
	idx := -1
	for i := range sig.Params().Len() {
		if sig.Params().At(i) == obj {
			idx = i
		}
	}
	if idx < 0 || (sig.Variadic() && idx == sig.Params().Len()-1) {
		return sizeUnknown
	}
	for file, c := range s.calls.Of(fn) {
		call := c.Node().(*ast.CallExpr)
		if idx < len(call.Args) {
			if src := s.expr(file, c, call.Args[idx], depth+2); src != sizeUnknown {
				return src
			}
		}
	}
	return sizeUnknown
}

// innermostLoop returns the innermost loop on stack, inside the innermost
// function on it.
func innermostLoop(stack []ast.Node) ast.Node {
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.RangeStmt, *ast.ForStmt:
			return stack[i]
		case *ast.FuncLit, *ast.FuncDecl:
			return nil
		}
	}
	return nil
}

// declaringFunc returns the innermost function around c whose extent holds
// pos (where a variable is declared).
func declaringFunc(c inspector.Cursor, pos token.Pos) (inspector.Cursor, ast.Node) {
	for p := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		if code.Contains(p.Node(), pos) {
			return p, p.Node()
		}
	}
	return inspector.Cursor{}, nil
}

// cursorFile returns the file holding the cursor.
func cursorFile(c inspector.Cursor) *ast.File {
	for p := range c.Enclosing((*ast.File)(nil)) {
		return p.Node().(*ast.File)
	}
	return nil
}

// messageHandler reports whether the function at c receives a queue
// library's message or a webhook event payload.
func messageHandler(info *types.Info, file *ast.File, c inspector.Cursor) bool {
	switch handler.Of(info, file, c) {
	case handler.Queue, handler.Event:
		return true
	}
	return false
}

// dbCall reports whether call is a database round trip: a driver's or a
// pool's method (iocall), or a call into a database library (gorm, ent, bun).
func dbCall(info *types.Info, file *ast.File, call *ast.CallExpr) bool {
	if k, _ := iocall.Of(info, file, call); k == iocall.Database {
		return true
	}
	fn := code.Callee(info, call)
	return fn != nil && fn.Pkg() != nil && iocall.Package(fn.Pkg().Path()) == iocall.Database
}

// mentionsRequest reports whether n uses a client's request: an
// *http.Request or a web framework's request context (gin, echo, fiber),
// other than for its Context().
func mentionsRequest(info *types.Info, n ast.Node) bool {
	if info == nil {
		return false
	}
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if found {
			return false
		}
		switch y := x.(type) {
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(y.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Context" && len(y.Args) == 0 {
				return false // r.Context(): the request's deadline, not its data
			}
		case *ast.SelectorExpr:
			// Without types: r.FormValue, r.URL, r.Form read a request.
			if id, ok := y.X.(*ast.Ident); ok && info.TypeOf(id) == nil &&
				code.OneOf(y.Sel.Name, "FormValue", "PostFormValue", "URL", "Form", "PostForm", "MultipartForm") {
				found = true
			}
		case *ast.Ident:
			if t := info.TypeOf(y); t != nil && requestType(t) {
				found = true
			}
		}
		return true
	})
	return found
}

// requestType reports whether t is *http.Request or a web framework's
// request context.
func requestType(t types.Type) bool {
	if code.IsPointerTo(t, netHTTP, "Request") {
		return true
	}
	path, name := code.TypeName(t)
	return path == "github.com/gin-gonic/gin" && name == "Context" ||
		strings.HasPrefix(path, "github.com/labstack/echo") && name == "Context" ||
		strings.HasPrefix(path, "github.com/gofiber/fiber") && name == "Ctx"
}
