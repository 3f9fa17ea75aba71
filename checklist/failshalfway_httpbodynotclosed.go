package checklist

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/prodready/prodready/checklist/internal/code"
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
			"back the status) is already closed and stays silent.",
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
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer},
	RunDespiteErrors: true,
	Run:              runHTTPBodyNotClosed,
}

func runHTTPBodyNotClosed(pass *analysis.Pass) (any, error) {
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	info := pass.TypesInfo
	decls := code.NewDecls(pass)
	for file, c := range callIdx.All() {
		call := c.Node().(*ast.CallExpr)
		if file == nil || !returnsResponse(info, file, call) || closedByCallee(info, decls, call) {
			continue
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
			_, body := code.OuterFuncOf(c)
			if body == nil {
				continue
			}
			if !bodyHandled(info, body, v) {
				report(pass, call, "the response Body is never closed, so its connection never returns to the pool and the process runs out of connections under load; defer resp.Body.Close() after the error check")
			}
		case *ast.ValueSpec:
			if len(p.Values) != 1 || len(p.Names) == 0 {
				continue
			}
			v := code.VarOf(info, p.Names[0])
			_, body := code.OuterFuncOf(c)
			if body == nil || !v.Valid() {
				continue
			}
			if !bodyHandled(info, body, v) {
				report(pass, call, "the response Body is never closed, so its connection never returns to the pool and the process runs out of connections under load; defer resp.Body.Close() after the error check")
			}
		}
	}
	return nil, nil
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
	if ref.Pkg == "net/http/httptest" {
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
		case "Get", "Post", "Head", "PostForm", "ReadResponse":
			return true
		}
	}
	return false
}

// bodyHandled reports whether, somewhere in body (closures included), the
// response held in v is closed, returned, handed to another function, or
// stored where someone else will close it.
func bodyHandled(info *types.Info, body *ast.BlockStmt, v code.Var) bool {
	handled := false
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if handled {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		defer func() { stack = append(stack, n) }()
		id, ok := n.(*ast.Ident)
		if !ok || !v.Is(info, id) {
			return true
		}
		if info != nil && info.Defs[id] != nil {
			return true // the declaration itself
		}
		if respUseHandles(info, id, stack) {
			handled = true
		}
		return true
	})
	return handled
}

// respUseHandles judges one use of the response variable, given the chain of
// its ancestors (innermost last).
func respUseHandles(info *types.Info, id *ast.Ident, stack []ast.Node) bool {
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
			// resp or resp.Body passed as an argument.
			if _, isBody := child.(*ast.SelectorExpr); isBody && !closesArg(info, p) {
				return false
			}
			return true
		case *ast.ReturnStmt, *ast.SendStmt, *ast.CompositeLit, *ast.KeyValueExpr:
			return true
		case *ast.AssignStmt:
			for _, r := range p.Rhs {
				if r == child {
					return true // copied elsewhere: that holder owns it now
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

// closesArg reports whether a call that receives resp.Body might close it:
// standard-library readers (io.ReadAll, json.NewDecoder, io.Copy, ...) never
// do; any other function is given the benefit of the doubt.
func closesArg(info *types.Info, call *ast.CallExpr) bool {
	ref := code.Resolve(info, nil, call.Fun)
	if ref.Pkg == "" {
		// Unresolved without types: judge by the usual readers' names.
		switch code.CallName(call) {
		case "ReadAll", "Copy", "CopyN", "CopyBuffer", "NewDecoder", "NewReader", "NewScanner", "LimitReader", "Unmarshal", "TeeReader", "MultiReader", "ReadFull":
			return false
		}
		return true
	}
	return !code.IsStdlib(ref.Pkg)
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
	if decl == nil {
		return false
	}
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
