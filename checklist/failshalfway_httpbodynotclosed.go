package checklist

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/cfg"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

// httpBodyNotClosedCheck is the catalog entry of http-body-not-closed.
func httpBodyNotClosedCheck() *Check {
	return &Check{
		Question: finding.FailsHalfway,
		Severity: finding.SeverityError,
		Title:    "HTTP response body never closed",
		Rationale: "A response whose Body is not closed keeps its connection out of the pool. Under steady " +
			"traffic every call opens a new connection until the process hits its file-descriptor limit or the " +
			"peer's connection cap, and then every call fails. A response from a function of the same package " +
			"that closes the Body on every path before returning it (a sender that drains the reply and hands " +
			"back the status) is already closed and stays silent. A response handed on counts as dealt with only " +
			"when the receiver can deal with it: the standard library (fmt.Println, io.ReadAll, json.NewDecoder) " +
			"never closes what it is given, and a function of the package is followed into its body, where the " +
			"parameter must be closed, returned or handed on; `_ = resp` is no hand-off, and a variable assigned " +
			"again holds a new response. A body closed on some paths but left open by a return before the Close " +
			"(the early return on an error status) is reported at the call, naming that return. A HEAD request's " +
			"response carries http.NoBody and gives its connection back at once, so it is left alone; an OPTIONS " +
			"probe's is at most info, a response from the Execute of an OpenAPI Generator client's request " +
			"type (ApiXxxRequest), which reads and closes the body before returning it, is left alone, and so is a body read to its end (io.ReadAll, io.Copy, directly or through a function " +
			"of the package) before every return that leaves it open: the transport takes the connection back at EOF. Where it speaks: " +
			"every function of the module, at error; test support (tests, mocks, fakes, examples, end-to-end harnesses) is silent, and one-shot code (start-up, migrations, CLI commands, build-time generators and dev tools under hack/, scripts/ or tools/) is at most info unless it loops for the life of the process.",
		Fix: "defer resp.Body.Close() right after the error check, or hand resp to a function that closes it.",
		Bad: `resp, err := client.Do(req)
if err != nil {
	return err
}
return json.NewDecoder(resp.Body).Decode(&out)`,
		Good: `resp, err := client.Do(req)
if err != nil {
	return err
}
defer resp.Body.Close()
return json.NewDecoder(resp.Body).Decode(&out)`,
		Analyzer: httpBodyNotClosedAnalyzer,
	}
}

var httpBodyNotClosedAnalyzer = &analysis.Analyzer{
	Name:             "http_body_not_closed",
	Doc:              "reports *http.Response values whose Body is never closed, returned or handed on",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.Analyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	FactTypes:        []analysis.Fact{new(closesResponse)},
	Run:              placed(runHTTPBodyNotClosed, false),
}

// closesResponse marks a function that closes the Body of every response
// it returns (a client wrapper's Do that decodes into its argument and
// hands back the response for its status), so that its callers in other
// packages of the module have nothing to close.
type closesResponse struct{}

// AFact marks closesResponse as an analysis fact.
func (*closesResponse) AFact() {}

func (*closesResponse) String() string { return "closes every response it returns" }

func runHTTPBodyNotClosed(pass *analysis.Pass) (any, error) {
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	info := pass.TypesInfo
	decls := code.NewDecls(pass)
	j := &bodyJudge{info: info, decls: decls}
	exportClosers(pass)
	for file, c := range callIdx.All() {
		call := c.Node().(*ast.CallExpr)
		if file == nil || !returnsResponse(info, file, call) || closedByCallee(info, decls, call) || closedAcross(pass, call) || testOnlyCode(pass, call.Pos()) {
			continue
		}
		_, outer := code.OuterFuncOf(c)
		pass := pass
		switch requestMethodOf(info, file, outer, call) {
		case "HEAD":
			continue // http.NoBody: the connection is back in the pool already
		case "OPTIONS":
			pass = cappedPass(pass, " (info: an OPTIONS probe's reply is rarely more than headers)")
		}
		if timedClient(info, pass.Files, outer, call) {
			// Client.Timeout cancels the request when it fires, and the
			// transport closes the connection: held that long, not for
			// good (read Q judged four such findings unwanted).
			pass = cappedPass(pass, " (info: the client's Timeout closes the connection when it fires, so an unclosed body holds it that long, not for good)")
		}
		// Where does the response go?
		parent := c.Parent()
		switch p := parent.Node().(type) {
		case *ast.ExprStmt:
			report(pass, call, "the *http.Response is discarded, so its Body is never closed and the connection leaks; keep it and defer resp.Body.Close()")
		case *ast.AssignStmt:
			if len(p.Rhs) != 1 || len(p.Lhs) == 0 {
				continue
			}
			id, ok := ast.Unparen(p.Lhs[0]).(*ast.Ident)
			if !ok {
				continue // stored in a field, map or element: it escapes
			}
			if id.Name == "_" {
				report(pass, call, "the *http.Response is assigned to _, so its Body is never closed and the connection leaks; keep it and defer resp.Body.Close()")
				continue
			}
			v := code.VarOf(info, id)
			if v.Obj != nil && v.Obj.Pkg() != nil && v.Obj.Parent() == v.Obj.Pkg().Scope() {
				continue // a package-level variable: its fate is elsewhere
			}
			fn, body := code.OuterFuncOf(c)
			if body == nil || code.NamedResult(info, fn, v) {
				continue // a named result goes back to the caller, who closes it
			}
			if !j.handled(body, v, p.Pos(), 0) {
				msg := "the response Body is never closed, so its connection never returns to the pool and the process runs out of connections under load; defer resp.Body.Close() after the error check"
				if j.drainsTopLevel(body, v, p.End()) {
					// Read to its end on the way through: the transport
					// takes the connection back at EOF. Close is still
					// the rule, but nothing leaks while the read works.
					pass.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Category: AtMostInfo, Message: msg + drainedNote})
					continue
				}
				report(pass, call, msg)
				continue
			}
			j.reportOpenPaths(pass, code.Stack(c), body, p, v)
		case *ast.ValueSpec:
			if len(p.Values) != 1 || len(p.Names) == 0 {
				continue
			}
			v := code.VarOf(info, p.Names[0])
			_, body := code.OuterFuncOf(c)
			if body == nil || !v.Valid() {
				continue
			}
			if !j.handled(body, v, p.Pos(), 0) {
				report(pass, call, "the response Body is never closed, so its connection never returns to the pool and the process runs out of connections under load; defer resp.Body.Close() after the error check")
			}
		}
	}
	return nil, nil
}

// timedClient reports whether call sends through an *http.Client built
// with a Timeout: a variable of the function (outer) every assignment of
// which is a literal setting Timeout, or a field that every literal or
// assignment of the package giving it a client sets Timeout on.
func timedClient(info *types.Info, files []*ast.File, outer ast.Node, call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || info == nil || !code.IsPointerTo(info.TypeOf(sel.X), netHTTP, "Client") {
		return false
	}
	var obj types.Object
	var scope []ast.Node
	switch x := ast.Unparen(sel.X).(type) {
	case *ast.Ident:
		obj, scope = info.Uses[x], []ast.Node{outer}
	case *ast.SelectorExpr:
		if s, ok := info.Selections[x]; ok && s.Kind() == types.FieldVal {
			obj = s.Obj()
			for _, f := range files {
				scope = append(scope, f)
			}
		}
	}
	if obj == nil || scope[0] == nil {
		return false
	}
	// lits counts the literals assigned, timed those setting Timeout; other
	// is anything else assigned (a client from elsewhere). A variable of the
	// function whose Timeout field the function sets (c := &http.Client{};
	// c.Timeout = d) is timed whatever literal it holds.
	lits, timed, other, setsTimeout := 0, 0, false, false
	judge := func(rhs ast.Expr) {
		e := ast.Unparen(rhs)
		if u, ok := e.(*ast.UnaryExpr); ok {
			e = ast.Unparen(u.X)
		}
		lit, ok := e.(*ast.CompositeLit)
		switch {
		case !ok:
			other = true
		case hasKey(lit, "Timeout"):
			lits, timed = lits+1, timed+1
		default:
			lits++
		}
	}
	_, local := ast.Unparen(sel.X).(*ast.Ident)
	holds := func(l ast.Expr) bool {
		switch x := ast.Unparen(l).(type) {
		case *ast.Ident:
			return info.Defs[x] == obj || info.Uses[x] == obj
		case *ast.SelectorExpr:
			return info.Uses[x.Sel] == obj
		}
		return false
	}
	for _, root := range scope {
		ast.Inspect(root, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.AssignStmt:
				for i, l := range x.Lhs {
					if holds(l) && len(x.Rhs) == len(x.Lhs) {
						judge(x.Rhs[i])
					}
					if f, ok := ast.Unparen(l).(*ast.SelectorExpr); ok && local && f.Sel.Name == "Timeout" && holds(f.X) {
						setsTimeout = true
					}
				}
			case *ast.ValueSpec:
				for i, id := range x.Names {
					if info.Defs[id] == obj && i < len(x.Values) {
						judge(x.Values[i])
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := x.Key.(*ast.Ident); ok && info.Uses[id] == obj {
					judge(x.Value)
				}
			}
			return true
		})
	}
	return !other && lits > 0 && (timed == lits || setsTimeout)
}

func report(pass *analysis.Pass, n ast.Node, msg string) {
	pass.Report(analysis.Diagnostic{Pos: n.Pos(), End: n.End(), Message: msg})
}

// returnsResponse reports whether call yields a *net/http.Response as its
// only result or with an error, the shapes of net/http and of thin wrappers
// around it. httptest.ResponseRecorder.Result is left out: its body is an
// in-memory buffer.
func returnsResponse(info *types.Info, file *ast.File, call *ast.CallExpr) bool {
	ref := code.Resolve(info, file, call.Fun)
	if ref.Pkg == "net/http/httptest" || ref.Pkg == netHTTP && ref.Name == "ReadResponse" {
		// A recorder's body is an in-memory buffer; http.ReadResponse reads
		// from a connection the caller holds (a CONNECT reply), which no
		// pool waits for.
		return false
	}
	if openAPIExecute(info, call) || responseAccessor(info, call) {
		return false
	}
	if t := code.TypeOf(info, call); t != nil {
		if tup, ok := t.(*types.Tuple); ok {
			// Only (resp) and (resp, error). A wrapper that also returns the
			// body's bytes, or a websocket dialer that returns the response
			// second, has dealt with the body itself.
			if tup.Len() != 2 || !isErrorType(tup.At(1).Type()) {
				return false
			}
			t = tup.At(0).Type()
		}
		return code.IsPointerTo(t, netHTTP, "Response")
	}
	// No types: the package-level helpers of net/http.
	if ref.Pkg == netHTTP && ref.Recv == "" {
		switch ref.Name {
		case "Get", "Post", "Head", "PostForm":
			return true
		}
	}
	return false
}

// bodyJudge decides whether a response is dealt with, following it into
// the package's own functions it is handed to.
type bodyJudge struct {
	info  *types.Info
	decls *code.Decls
}

// maxHandOff bounds how deep handed-on responses are followed into the
// package's functions.
const maxHandOff = 3

// handled reports whether, somewhere in body (closures included), the
// response (or body) held in v is closed, returned, handed to a function
// that deals with it, or stored where someone else will close it. Only the
// uses from the assignment at from up to the next assignment of v count: a
// reassigned variable holds a new response, which inherits nothing.
func (j *bodyJudge) handled(body *ast.BlockStmt, v code.Var, from token.Pos, depth int) bool {
	until := j.nextAssign(body, v, from)
	handled := false
	code.WalkStack(body, func(n ast.Node, stack []ast.Node) bool {
		if handled {
			return false
		}
		id, ok := n.(*ast.Ident)
		if !ok || !v.Is(j.info, id) || id.Pos() < from || (until.IsValid() && id.Pos() >= until) {
			return true
		}
		if j.info != nil && j.info.Defs[id] != nil {
			return true // the declaration itself
		}
		if inDiscardedLit(stack, from) {
			return true // a closure assigned to _ never runs
		}
		if j.useHandles(id, stack[:len(stack)-1], depth) {
			handled = true
		}
		return true
	})
	return handled
}

// nextAssign returns where v is next assigned after from, or NoPos. An
// assignment in a branch or loop that does not hold from (if res.StatusCode
// == 401 { res, err = refresh(res) }) replaces the response on one path
// only: the uses after it belong to both, so it does not count.
func (j *bodyJudge) nextAssign(body *ast.BlockStmt, v code.Var, from token.Pos) token.Pos {
	next := token.NoPos
	// The other arm of an if whose one arm holds from assigns another
	// response on another path (if insecure { resp, err = a.Do(req) } else
	// { resp, err = b.Do(req) }): the uses after the if belong to both.
	var other []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if ifs, ok := n.(*ast.IfStmt); ok && ifs.Else != nil {
			switch {
			case code.Contains(ifs.Body, from):
				other = append(other, ifs.Else)
			case code.Contains(ifs.Else, from):
				other = append(other, ifs.Body)
			}
		}
		return true
	})
	code.WalkStack(body, func(n ast.Node, stack []ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || as.Pos() <= from || (next.IsValid() && as.Pos() >= next) {
			return true
		}
		if conditional(stack, from) {
			return true
		}
		for _, o := range other {
			if code.Contains(o, as.Pos()) {
				return true
			}
		}
		for _, l := range as.Lhs {
			if v.Is(j.info, l) {
				next = as.Pos()
			}
		}
		return true
	})
	return next
}

// inDiscardedLit reports whether stack passes through a function literal
// assigned only to the blank identifier, one that does not also hold the
// response's assignment at from: code that never runs.
func inDiscardedLit(stack []ast.Node, from token.Pos) bool {
	for i := 1; i < len(stack); i++ {
		if lit, ok := stack[i].(*ast.FuncLit); !ok || code.Contains(lit, from) {
			continue
		}
		if as, ok := stack[i-1].(*ast.AssignStmt); ok && len(as.Lhs) == 1 && isBlank(as.Lhs[0]) {
			return true
		}
	}
	return false
}

// useHandles judges one use of the response variable, given the chain of
// its ancestors (innermost last).
func (j *bodyJudge) useHandles(id *ast.Ident, stack []ast.Node, depth int) bool {
	var child ast.Node = id
	for i := len(stack) - 1; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.ParenExpr, *ast.StarExpr:
			child = p
			continue
		case *ast.UnaryExpr:
			// &resp: handed on by pointer.
			return true
		case *ast.SelectorExpr:
			if p.X != child {
				return false
			}
			switch p.Sel.Name {
			case "Close":
				// resp.Body.Close(), defer resp.Body.Close, f := resp.Body.Close
				return true
			case "Body":
				child = p
				continue
			}
			// resp.StatusCode, resp.Header: a read that hands nothing on.
			return false
		case *ast.CallExpr:
			if p.Fun == child {
				return false
			}
			if j.callTakes(p, child, depth) {
				return true
			}
			// return bufio.NewReader(resp.Body): a reader over the body
			// handed to the caller (a stream it reads until its context
			// ends) is the caller's to finish.
			return i > 0 && j.readerOver(p) && handsOut(stack[i-1])
		case *ast.ReturnStmt, *ast.SendStmt, *ast.CompositeLit, *ast.KeyValueExpr:
			return true
		case *ast.TypeAssertExpr:
			// if rc, ok := r.(io.ReadCloser); ok { rc.Close() }: a reader
			// taken as an io.Reader is closed when it can be.
			return p.X == child && hasClose(j.info, p.Type)
		case *ast.AssignStmt:
			for k, r := range p.Rhs {
				if r == child {
					// Copied elsewhere: that holder owns it now, unless the
					// holder is the blank identifier.
					return len(p.Lhs) != len(p.Rhs) || !isBlank(p.Lhs[k])
				}
			}
			return false
		case *ast.ValueSpec:
			return true
		default:
			return false
		}
	}
	return false
}

// readerOver reports whether call returns one value that is an io.Reader
// (bufio.NewReader, io.LimitReader): a wrapper over what it is handed.
func (j *bodyJudge) readerOver(call *ast.CallExpr) bool {
	t := code.TypeOf(j.info, call)
	if t == nil {
		return false
	}
	if _, tuple := t.(*types.Tuple); tuple {
		return false
	}
	return hasReadMethod(t)
}

// hasReadMethod reports whether t (or *t) has a Read method.
func hasReadMethod(t types.Type) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Read")
	_, ok := obj.(*types.Func)
	return ok
}

// handsOut reports whether n, the parent of an expression, hands it out of
// the function: a return, a send, or a field of a value built.
func handsOut(n ast.Node) bool {
	switch n.(type) {
	case *ast.ReturnStmt, *ast.SendStmt, *ast.CompositeLit, *ast.KeyValueExpr:
		return true
	}
	return false
}

// callTakes reports whether call, which receives arg (the response or its
// body), deals with it: a function of this package whose parameter is
// closed, returned or handed on in its body; any function the check cannot
// see (another package of the module, a function value) is given the
// benefit of the doubt. The standard library never closes what it is
// handed (fmt.Println(resp), io.ReadAll(resp.Body), http.MaxBytesReader).
func (j *bodyJudge) callTakes(call *ast.CallExpr, arg ast.Node, depth int) bool {
	var ft *ast.FuncType
	var fbody *ast.BlockStmt
	if decl := j.decls.Of(j.info, call); decl != nil {
		ft, fbody = decl.Type, decl.Body
	} else if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		ft, fbody = lit.Type, lit.Body
	}
	if fbody != nil {
		p, named, ok := paramFor(j.info, ft, call, arg)
		switch {
		case !ok || depth >= maxHandOff:
			return true // variadic or too deep: cannot tell
		case !named:
			return false // an unnamed or blank parameter: nothing closes it
		}
		return j.handled(fbody, p, fbody.Pos(), depth+1)
	}
	if j.info != nil && code.Callee(j.info, call) == nil && code.TypeOf(j.info, call.Fun) != nil && !code.IsConversion(j.info, call) {
		return true // a function value: cannot see what it does
	}
	ref := code.Resolve(j.info, nil, call.Fun)
	if ref.Pkg == "" {
		if fn := code.Callee(j.info, call); fn != nil && fn.Pkg() != nil {
			return !code.IsStdlib(fn.Pkg().Path())
		}
		// Unresolved without types: judge by the usual readers' names.
		switch code.CallName(call) {
		case "ReadAll", "Copy", "CopyN", "CopyBuffer", "NewDecoder", "NewReader", "NewScanner", "LimitReader", "Unmarshal", "TeeReader", "MultiReader", "ReadFull",
			"Print", "Println", "Printf", "Sprint", "Sprintf", "Sprintln", "Fprint", "Fprintf", "Fprintln", "Errorf":
			return false
		}
		return true
	}
	return !code.IsStdlib(ref.Pkg)
}

// paramFor returns the parameter of a function of type ft that receives
// arg in call; named is false for a blank or unnamed parameter.
func paramFor(info *types.Info, ft *ast.FuncType, call *ast.CallExpr, arg ast.Node) (v code.Var, named, ok bool) {
	idx := -1
	for i, a := range call.Args {
		if ast.Node(a) == arg || ast.Unparen(a) == arg {
			idx = i
		}
	}
	if idx < 0 || call.Ellipsis.IsValid() || ft.Params == nil {
		return code.Var{}, false, false
	}
	i := 0
	for _, f := range ft.Params.List {
		if _, variadic := f.Type.(*ast.Ellipsis); variadic {
			return code.Var{}, false, false
		}
		if len(f.Names) == 0 {
			if i == idx {
				return code.Var{}, false, true
			}
			i++
			continue
		}
		for _, n := range f.Names {
			if i == idx {
				if n.Name == "_" {
					return code.Var{}, false, true
				}
				v, ok := code.LocalVar(info, n)
				return v, true, ok
			}
			i++
		}
	}
	return code.Var{}, false, false
}

// nilGuard reports whether block b ends in a condition made only of v !=
// nil and v.Body != nil (joined by &&): its false edge is a path with no
// body.
func (j *bodyJudge) nilGuard(b *cfg.Block, v code.Var) bool {
	if len(b.Nodes) == 0 {
		return false
	}
	cond, ok := b.Nodes[len(b.Nodes)-1].(ast.Expr)
	return ok && j.nilGuardExpr(cond, v)
}

func (j *bodyJudge) nilGuardExpr(e ast.Expr, v code.Var) bool {
	return j.nilCompare(e, v, token.NEQ, token.LAND)
}

// nilTest reports whether the block b ends in a test that v (or v.Body) is
// nil: if resp == nil { return ... } holds no body on its true edge.
func (j *bodyJudge) nilTest(b *cfg.Block, v code.Var) bool {
	if len(b.Nodes) == 0 {
		return false
	}
	cond, ok := b.Nodes[len(b.Nodes)-1].(ast.Expr)
	return ok && j.nilCompare(cond, v, token.EQL, token.LOR)
}

// nilCompare reports whether e compares v (or v.Body) with nil by op, alone
// or joined by join with other such comparisons (resp != nil && resp.Body
// != nil; resp == nil || resp.Body == nil).
func (j *bodyJudge) nilCompare(e ast.Expr, v code.Var, op, join token.Token) bool {
	be, ok := ast.Unparen(e).(*ast.BinaryExpr)
	if !ok {
		return false
	}
	if be.Op == join {
		return j.nilCompare(be.X, v, op, join) && j.nilCompare(be.Y, v, op, join)
	}
	if be.Op != op {
		return false
	}
	x, y := ast.Unparen(be.X), ast.Unparen(be.Y)
	if id, ok := x.(*ast.Ident); !ok || id.Name != "nil" {
		x, y = y, x
	}
	if id, ok := x.(*ast.Ident); !ok || id.Name != "nil" {
		return false
	}
	if sel, ok := y.(*ast.SelectorExpr); ok && sel.Sel.Name == "Body" {
		y = ast.Unparen(sel.X)
	}
	id, ok := y.(*ast.Ident)
	return ok && v.Is(j.info, id)
}

// reportOpenPaths reports, at the call, a response whose Body is closed on
// some paths but left open on a return before the close (the usual shape:
// `if resp.StatusCode != 200 { return err }` above `defer resp.Body.Close()`).
func (j *bodyJudge) reportOpenPaths(pass *analysis.Pass, stack []ast.Node, body *ast.BlockStmt, assign ast.Stmt, v code.Var) {
	if j.info == nil {
		return
	}
	errCheck := code.ErrCheckAfter(j.info, stack, assign)
	if be, ok := condOf(errCheck).(*ast.BinaryExpr); !ok || be.Op != token.NEQ {
		// Without the usual `if err != nil { … }` right after the call, which
		// paths hold a response is a matter of conditions the graph does
		// not see (if resp != nil), so the paths are not judged.
		return
	}
	closes := func(n ast.Node) bool {
		found := false
		code.WalkStack(n, func(m ast.Node, st []ast.Node) bool {
			if found {
				return false
			}
			if id, ok := m.(*ast.Ident); ok && v.Is(j.info, id) && j.useHandles(id, st[:len(st)-1], 0) {
				found = true
			}
			return true
		})
		return found
	}
	skip := func(from *cfg.Block, succ int, b *cfg.Block) bool {
		// The error branch: resp is nil there. So is the false edge of a
		// nil guard (if resp != nil && resp.Body != nil { defer … }):
		// where it fails there is no body to close.
		// And the true edge of a nil test (if resp == nil { return … }).
		return (b.Kind == cfg.KindIfThen && b.Stmt == errCheck) || (succ == 1 && j.nilGuard(from, v)) || (succ == 0 && j.nilTest(from, v))
	}
	exits := code.OpenExits(j.info, body, assign, closes, skip)
	if len(exits) == 0 || len(exits) > 3 {
		return
	}
	var lines []string
	afterFailedRead, drained := true, true
	for _, e := range exits {
		if e.Return == nil {
			return // falls off the end: the whole function forgot, reported elsewhere or deliberate
		}
		lines = append(lines, fmt.Sprint(pass.Fset.Position(e.Pos).Line))
		afterFailedRead = afterFailedRead && j.afterFailedBodyRead(body, e.Return, v)
		drained = drained && j.drainedBefore(body, e.Return, v)
	}
	msg := "the response Body is closed on some paths but the return on line " + strings.Join(lines, ", ") +
		" leaves it open, so that connection never returns to the pool (error statuses come in bursts); defer resp.Body.Close() right after the error check"
	cat := ""
	if afterFailedRead {
		// data, err := io.ReadAll(resp.Body); if err != nil { return }:
		// open only when reading the body failed, when the transport has
		// already given the connection up. Worth knowing, not a comment.
		cat = AtMostInfo
		msg += " (info: only after reading the body failed)"
	} else if drained {
		cat = AtMostInfo
		msg += drainedNote
	}
	pass.Report(analysis.Diagnostic{Pos: assign.Pos(), End: assign.End(), Message: msg, Category: cat})
}

// afterFailedBodyRead reports whether ret sits in the `if err != nil`
// branch that follows a read of v.Body (its Init, or the statement just
// before it): the only open path is a body that could not be read.
func (j *bodyJudge) afterFailedBodyRead(body *ast.BlockStmt, ret *ast.ReturnStmt, v code.Var) bool {
	found := false
	code.WalkStack(body, func(n ast.Node, stack []ast.Node) bool {
		if found || n != ast.Node(ret) {
			return !found
		}
		for i := len(stack) - 2; i >= 1; i-- {
			ifs, ok := stack[i].(*ast.IfStmt)
			if !ok {
				continue
			}
			if be, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr); !ok || be.Op != token.NEQ || !isErrorType(j.info.TypeOf(be.X)) {
				return false
			}
			if ifs.Init != nil && j.readsBody(ifs.Init, v) {
				found = true
				return false
			}
			if blk, ok := stack[i-1].(*ast.BlockStmt); ok {
				for k, st := range blk.List {
					if st == ast.Stmt(ifs) && k > 0 && j.readsBody(blk.List[k-1], v) {
						found = true
					}
				}
			}
			return false
		}
		return false
	})
	return found
}

// readsBody reports whether stmt passes v.Body to a call (io.ReadAll,
// json.NewDecoder(...).Decode).
func (j *bodyJudge) readsBody(stmt ast.Stmt, v code.Var) bool {
	found := false
	ast.Inspect(stmt, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		for _, a := range call.Args {
			if sel, ok := ast.Unparen(a).(*ast.SelectorExpr); ok && sel.Sel.Name == "Body" && v.Is(j.info, sel.X) {
				found = true
			}
		}
		return true
	})
	return found
}

func isErrorType(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// closedByCallee reports whether call calls a function of this package that
// closes the Body of every response it returns (a sender that drains and
// closes, and hands back the response for its status): there is nothing
// left for the caller to close.
func closedByCallee(info *types.Info, decls *code.Decls, call *ast.CallExpr) bool {
	decl := decls.Of(info, call)
	return decl != nil && closesReturned(decl)
}

// exportClosers exports closesResponse for each function of the package
// that returns a response whose Body it has closed on every path.
func exportClosers(pass *analysis.Pass) {
	for fd, fn := range code.FuncDecls(pass) {
		res := fn.Type().(*types.Signature).Results()
		if res.Len() > 0 && code.IsPointerTo(res.At(0).Type(), netHTTP, "Response") && closesReturned(fd) {
			pass.ExportObjectFact(fn, &closesResponse{})
		}
	}
}

// closedAcross reports whether call calls a function of another package of
// the module that closes the Body of every response it returns.
func closedAcross(pass *analysis.Pass, call *ast.CallExpr) bool {
	fn := code.Callee(pass.TypesInfo, call)
	return fn != nil && fn.Pkg() != nil && fn.Pkg() != pass.Pkg && pass.ImportObjectFact(fn.Origin(), new(closesResponse))
}

// closesReturned reports whether decl closes the Body of every response it
// returns: a Close of v.Body among its top-level statements before each
// return of v, and no bare return.
func closesReturned(decl *ast.FuncDecl) bool {
	// Only a Close among the function's top-level statements (a defer, a
	// call, or one assigned to _) runs on every path to the returns.
	closed := map[string]token.Pos{}
	for _, st := range decl.Body.List {
		var c *ast.CallExpr
		switch st := st.(type) {
		case *ast.ExprStmt:
			c, _ = ast.Unparen(st.X).(*ast.CallExpr)
		case *ast.DeferStmt:
			c = st.Call
		case *ast.AssignStmt:
			if len(st.Rhs) == 1 {
				c, _ = ast.Unparen(st.Rhs[0]).(*ast.CallExpr)
			}
		}
		if recv, name, ok := code.Selector(c); ok && name == "Close" {
			if body, ok := ast.Unparen(recv).(*ast.SelectorExpr); ok && body.Sel.Name == "Body" {
				if id, ok := ast.Unparen(body.X).(*ast.Ident); ok && !closed[id.Name].IsValid() {
					closed[id.Name] = st.Pos()
				}
			}
		}
	}
	returned := 0
	all := true
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) == 0 {
				all = false
				return false
			}
			e := ast.Unparen(n.Results[0])
			if isNilIdent(e) {
				return false
			}
			id, ok := e.(*ast.Ident)
			if !ok || !closed[id.Name].IsValid() || closed[id.Name] > n.Pos() {
				all = false // open on this path
			}
			returned++
		}
		return all
	})
	return all && returned > 0
}

// condOf returns an if statement's condition, or nil.
func condOf(ifs *ast.IfStmt) ast.Expr {
	if ifs == nil {
		return nil
	}
	return ast.Unparen(ifs.Cond)
}

// drainedNote ends a finding whose open paths read the body to its end.
const drainedNote = " (info: the body is read to its end first, and the transport takes the connection back at EOF)"

// drainsTopLevel reports whether a statement at the top level of body after
// from reads all of v.Body (io.ReadAll, io.Copy), directly or through a
// function of this package, and nothing before it returns but the error
// check of the call (where there is no body): every path that holds the
// body drains it.
func (j *bodyJudge) drainsTopLevel(body *ast.BlockStmt, v code.Var, from token.Pos) bool {
	for _, st := range body.List {
		if st.End() <= from {
			continue
		}
		if j.drains(st, v, 0) {
			return true
		}
		if ifs, ok := st.(*ast.IfStmt); ok && ifs.Else == nil {
			if be, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr); ok && be.Op == token.NEQ && isErrorType(j.info.TypeOf(be.X)) && isNilIdent(be.Y) {
				continue // if err != nil { return … }
			}
		}
		if holdsReturn(st) {
			return false
		}
	}
	return false
}

// holdsReturn reports whether st holds a return statement outside any function
// literal.
func holdsReturn(st ast.Stmt) bool {
	found := false
	ast.Inspect(st, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			found = true
		}
		return !found
	})
	return found
}

// drainedBefore reports whether the return ret, an exit that leaves v's body
// open, reads it to the end first: in ret itself (return parseError(resp))
// or in a statement before it in its own block.
func (j *bodyJudge) drainedBefore(body *ast.BlockStmt, ret *ast.ReturnStmt, v code.Var) bool {
	if j.drains(ret, v, 0) {
		return true
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		blk, ok := n.(*ast.BlockStmt)
		if !ok || found {
			return !found
		}
		for k, st := range blk.List {
			if st != ast.Stmt(ret) {
				continue
			}
			for _, prev := range blk.List[:k] {
				if j.drains(prev, v, 0) {
					found = true
				}
			}
		}
		return true
	})
	return found
}

// drains reports whether n reads all of v.Body: io.ReadAll(v.Body),
// io.Copy(w, v.Body), or a call of a function of this package that drains
// the parameter v (or v.Body) is passed to, two calls deep at most.
func (j *bodyJudge) drains(n ast.Node, v code.Var, depth int) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		call, ok := m.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		if _, lit := ast.Unparen(call.Fun).(*ast.FuncLit); lit {
			return true
		}
		for _, a := range call.Args {
			a = ast.Unparen(a)
			body := false
			if sel, ok := a.(*ast.SelectorExpr); ok && sel.Sel.Name == "Body" && v.Is(j.info, sel.X) {
				body = true
			}
			whole := v.Is(j.info, a)
			if !body && !whole {
				continue
			}
			if body && code.IsPkgCall(j.info, nil, call, "io", "ReadAll", "Copy") {
				found = true
				return false
			}
			if depth >= 2 {
				continue
			}
			if decl := j.decls.Of(j.info, call); decl != nil && decl.Body != nil {
				if p, named, ok := paramFor(j.info, decl.Type, call, a); ok && named {
					if whole && j.drains(decl.Body, p, depth+1) {
						found = true
					}
					if body && j.drainsReader(decl.Body, p) {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}

// drainsReader reports whether body reads all of the reader r
// (io.ReadAll(r), io.Copy(w, r)).
func (j *bodyJudge) drainsReader(body *ast.BlockStmt, r code.Var) bool {
	found := false
	ast.Inspect(body, func(m ast.Node) bool {
		call, ok := m.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		if code.IsPkgCall(j.info, nil, call, "io", "ReadAll", "Copy") {
			for _, a := range call.Args {
				if r.Is(j.info, ast.Unparen(a)) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// openAPIExecute reports whether call is the Execute method of a request
// type that OpenAPI Generator's Go clients build (ApiGetUserRequest and
// the like). Those clients read the body, close it and put an in-memory
// copy in its place before they return the response, so there is nothing
// left to close.
func openAPIExecute(info *types.Info, call *ast.CallExpr) bool {
	fn := code.Callee(info, call)
	if fn == nil || fn.Name() != "Execute" {
		return false
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return false
	}
	_, name := code.TypeName(sig.Recv().Type())
	return strings.HasPrefix(name, "Api") && strings.HasSuffix(name, "Request") && len(name) > len("ApiRequest")
}

// responseAccessor reports whether call reads a response a wrapper already
// holds: a method with no parameters named for the response
// (apiResp.HttpResponse(), res.RawResponse()), which sends nothing; the
// wrapper's owner closes the body.
func responseAccessor(info *types.Info, call *ast.CallExpr) bool {
	fn := code.Callee(info, call)
	if fn == nil {
		return false
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil || sig.Params().Len() != 0 {
		return false
	}
	return strings.Contains(strings.ToLower(fn.Name()), "response")
}

// conditional reports whether stack (innermost last) passes through a
// branch or loop body that does not hold from: what runs there runs on
// some paths only.
func conditional(stack []ast.Node, from token.Pos) bool {
	for _, n := range stack[:len(stack)-1] {
		switch n.(type) {
		case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
			if _, isBody := n.(*ast.BlockStmt); isBody && n == stack[0] {
				continue // the function body itself
			}
			if !code.Contains(n, from) {
				return true
			}
		}
	}
	return false
}

// hasClose reports whether the type t names has a Close method
// (io.ReadCloser, io.Closer).
func hasClose(info *types.Info, t ast.Expr) bool {
	if info == nil || t == nil {
		return false
	}
	tv, ok := info.Types[t]
	if !ok || tv.Type == nil {
		return false
	}
	obj, _, _ := types.LookupFieldOrMethod(tv.Type, true, nil, "Close")
	_, isFunc := obj.(*types.Func)
	return isFunc
}
