package checklist

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

// httpNoTimeoutCheck is the catalog entry of http-no-timeout.
func httpNoTimeoutCheck() *Check {
	return &Check{
		Question: finding.FailsHalfway,
		Severity: finding.SeverityError,
		Title:    "HTTP client without a timeout",
		Rationale: "An http.Client with no Timeout (and http.Get, http.Post, http.Head, http.PostForm and " +
			"http.DefaultClient, which use one) waits forever for a peer that accepted the connection and then " +
			"stopped answering. Each stuck call holds a goroutine, a connection and whatever the caller locked, " +
			"until the process runs out of them and stops serving. Left alone on purpose: clients for long-lived " +
			"connections (a function or callee named for a watch, stream, upgrade, websocket, tunnel or " +
			"subscription), where a Timeout would cut the connection; a client handed to a library in a function " +
			"that also passes that library a timeout option; a client whose Transport sets ResponseHeaderTimeout " +
			"(in the literal, the function, or a constructor of the package), the way clients that stream " +
			"large bodies bound a silent peer; a client literal, or http.DefaultClient, as the default for a nil " +
			"client (assigned in an `if hc == nil` branch or in the else of `if hc != nil { c.hc = hc }`, or " +
			"returned right after `if c.HTTPClient != nil { return c.HTTPClient }`) " +
			"client or in a branch taken because no timeout was configured, where whoever configures the code chose it; " +
			"http.DefaultClient.Do on a request whose context got a deadline (context.WithTimeout) in the same function; " +
			"and a copy of DefaultClient (c := *http.DefaultClient) that the function gives a Timeout or such a Transport. " +
			"It judges by context where it can: a client whose every request in sight (followed through local " +
			"variables, struct fields and constructors of the package) carries a context the caller handed in (a " +
			"ctx parameter, r.Context(), req.WithContext(ctx), NewRequestWithContext(ctx, ...), or a client put in " +
			"a ctx for oauth2), and http.DefaultClient.Do on such a request, is at most info: the caller's context " +
			"must carry the deadline, and callers commonly do; a client never seen sending (returned out of the package, " +
			"handed to a library, stored where nothing sends through it) is at most info too, since where it is used " +
			"decides its bound; only a request with no context (http.Get, client.Get, " +
			"NewRequest) or on context.Background or TODO (also a ctx parameter that a caller in the package fills with " +
			"one) keeps the error. A package whose init() gives http.DefaultClient a Timeout has its DefaultClient and http.Get uses " +
			"left alone. A deadline every caller passes in is a timeout (the request is " +
			"built on the function's ctx, and every call of the function in the package passes a ctx made by " +
			"context.WithTimeout or WithDeadline), and a client whose Transport dials a Unix socket (a local " +
			"daemon's API, long polls by design) is left alone. A client in a function every URL of which names the " +
			"loopback (localhost, 127.x, [::1]: a local daemon, the process's own endpoint) is at most info. Where it speaks: every function of the module, " +
			"at error; a client handed straight to an object-storage SDK's constructor (large transfers, a ctx on " +
			"every call) at most info; test support (tests, mocks, fakes, examples, end-to-end harnesses) is silent, and one-shot code (start-up, migrations, CLI commands, build-time generators and dev tools under hack/, scripts/ or tools/) is at most info unless it loops for the life of the process or is the start-up of a server main package, which builds what the server uses.",
		Fix: "Build a client with Timeout set (and keep one per process), or give every request a context with a deadline.",
		Bad: `resp, err := http.Get(url)`,
		Good: `client := &http.Client{Timeout: 10 * time.Second}
resp, err := client.Get(url)`,
		Analyzer: httpNoTimeoutAnalyzer,
	}
}

const netHTTP = "net/http"

var httpNoTimeoutAnalyzer = &analysis.Analyzer{
	Name:             "http_no_timeout",
	Doc:              "reports http.Client values without a Timeout, and http.Get/Post/Head/PostForm and http.DefaultClient, which have none",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, program.Analyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              placed(runHTTPNoTimeout, true),
}

func runHTTPNoTimeout(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	filter := []ast.Node{(*ast.CompositeLit)(nil), (*ast.CallExpr)(nil), (*ast.SelectorExpr)(nil)}
	if dotImportsHTTP(pass.Files) {
		// Bare DefaultClient and Get only exist under a dot import; walking
		// every identifier of every package costs too much otherwise.
		filter = append(filter, (*ast.Ident)(nil))
	}
	timedDefault := initTimesDefaultClient(pass)
	for file, c := range code.Preorder(insp, filter...) {
		if file == nil {
			continue
		}
		switch n := c.Node().(type) {
		case *ast.CompositeLit:
			if !code.TypeExprIs(info, file, litType(info, n), netHTTP, "Client") {
				continue
			}
			if hasKey(n, "Timeout") || fieldSetLater(c, "Timeout") || offlineTransport(pass, n) ||
				streaming(c) || timeoutByOption(info, file, c) || headerTimeoutTransport(pass, c, n) ||
				nilDefault(info, c) || unixSocket(info, file, c, n) || localSendsWithDeadline(pass, file, c) ||
				testOnlyCode(pass, n.Pos()) {
				continue
			}
			cat := ""
			msg := "http.Client without Timeout: a peer that stops answering holds this call (and its goroutine and connection) forever; set Timeout"
			if objectStoreSDK(info, c) {
				cat = AtMostInfo
			} else {
				// Follow the client to the requests it sends: every one with
				// a deadline in sight is bounded; every one on a context
				// the caller handed in is bounded where the caller says.
				var skip bool
				if cat, msg, skip = boundSpeech(clientBound(pass, c, maxFlowHops), msg); skip {
					continue
				}
			}
			cat, msg = loopbackSpeech(info, c, cat, msg)
			pass.Report(analysis.Diagnostic{Pos: n.Pos(), End: n.End(), Category: cat, Message: msg})
		case *ast.CallExpr:
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "new" && len(n.Args) == 1 && isBuiltin(info, id) {
				if code.TypeExprIs(info, file, n.Args[0], netHTTP, "Client") && !fieldSetLater(c, "Timeout") && !streaming(c) {
					cat, msg, skip := boundSpeech(clientBound(pass, c, maxFlowHops),
						"new(http.Client) has no Timeout: a peer that stops answering holds the call forever; use &http.Client{Timeout: ...}")
					if !skip {
						cat, msg = loopbackSpeech(info, c, cat, msg)
						pass.Report(analysis.Diagnostic{Pos: n.Pos(), End: n.End(), Category: cat, Message: msg})
					}
				}
				continue
			}
		case *ast.SelectorExpr:
			switch n.Sel.Name {
			case "Get", "Post", "Head", "PostForm":
				// Called, or taken as a function value.
				if code.Resolve(info, file, n).Is(netHTTP, n.Sel.Name) && !testOnlyCode(pass, n.Pos()) && !timedDefault {
					cat, msg := loopbackSpeech(info, c, "", "http."+n.Sel.Name+" uses http.DefaultClient, which has no timeout: a peer that stops answering holds this call forever; use a client with Timeout set")
					pass.Report(analysis.Diagnostic{Pos: n.Pos(), End: n.End(), Category: cat, Message: msg})
				}
				continue
			case "DefaultClient":
			default:
				continue
			}
			if !code.Resolve(info, file, n).Is(netHTTP, "DefaultClient") {
				continue
			}
			if isAssignTarget(c) {
				continue
			}
			if p, ok := c.Parent().Node().(*ast.SelectorExpr); ok && p.Sel.Name == "Timeout" {
				continue // reading or setting http.DefaultClient.Timeout
			}
			if timedDefault || fallbackOrChosen(c) || streaming(c) || sendsWithDeadline(pass, file, c) || copyGetsTimeout(pass, c) || fieldSetLater(c, "Timeout") ||
				testOnlyCode(pass, n.Pos()) {
				continue
			}
			cat, msg, skip := boundSpeech(defaultBound(pass, c),
				"http.DefaultClient has no timeout: a peer that stops answering holds this call forever; use a client with Timeout set")
			if skip {
				continue
			}
			cat, msg = loopbackSpeech(info, c, cat, msg)
			pass.Report(analysis.Diagnostic{Pos: n.Pos(), End: n.End(), Category: cat, Message: msg})
		case *ast.Ident:
			// A dot-import of net/http makes DefaultClient and Get bare names;
			// only type information can tell, so this is types-only.
			if info == nil || n.Name != "DefaultClient" {
				continue
			}
			if sel, ok := c.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel == n {
				continue // x.DefaultClient: the selector case above handles http.DefaultClient
			}
			if obj, ok := info.Uses[n].(*types.Var); ok && obj.Pkg() != nil && obj.Pkg().Path() == netHTTP && obj.Pkg() != pass.Pkg {
				pass.Report(analysis.Diagnostic{
					Pos: n.Pos(), End: n.End(),
					Message: "http.DefaultClient has no timeout: a peer that stops answering holds this call forever; use a client with Timeout set",
				})
			}
		}
	}
	return nil, nil
}

// dotImportsHTTP reports whether any file imports net/http with a dot.
func dotImportsHTTP(files []*ast.File) bool {
	for _, f := range files {
		for _, imp := range f.Imports {
			if imp.Name != nil && imp.Name.Name == "." && imp.Path.Value == `"net/http"` {
				return true
			}
		}
	}
	return false
}

// litType is the type written for a composite literal, or its inferred type
// for an elided one inside an outer literal.
func litType(info *types.Info, lit *ast.CompositeLit) ast.Expr {
	if lit.Type != nil {
		return lit.Type
	}
	if code.TypeOf(info, lit) != nil {
		return lit
	}
	return nil
}

func isBuiltin(info *types.Info, id *ast.Ident) bool {
	if info == nil {
		return true
	}
	obj := info.Uses[id]
	if obj == nil {
		return true // no type information: assume the builtin
	}
	_, ok := obj.(*types.Builtin)
	return ok
}

// hasKey reports whether a struct literal sets the field key.
func hasKey(lit *ast.CompositeLit, key string) bool {
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if id, ok := kv.Key.(*ast.Ident); ok && id.Name == key {
			return true
		}
	}
	return false
}

// assignedTo returns the expression a value at c (possibly behind &) is
// assigned to or declared as, or nil.
func assignedTo(c inspector.Cursor) ast.Expr {
	node := c.Node()
	p := c.Parent()
	if u, ok := p.Node().(*ast.UnaryExpr); ok {
		node = u
		p = p.Parent()
	}
	switch s := p.Node().(type) {
	case *ast.AssignStmt:
		for i, r := range s.Rhs {
			if r == node && i < len(s.Lhs) && len(s.Lhs) == len(s.Rhs) {
				return s.Lhs[i]
			}
		}
	case *ast.ValueSpec:
		for i, v := range s.Values {
			if v == node && i < len(s.Names) {
				return s.Names[i]
			}
		}
	}
	return nil
}

// isAssignTarget reports whether the expression at c is the left side of an
// assignment.
func isAssignTarget(c inspector.Cursor) bool {
	as, ok := c.Parent().Node().(*ast.AssignStmt)
	if !ok {
		return false
	}
	for _, l := range as.Lhs {
		if l == c.Node() {
			return true
		}
	}
	return false
}

// offlineTransport reports whether the client literal's Transport is a value
// of a type declared in this package whose RoundTrip makes no call but to
// build an error (errors.New, fmt.Errorf): a stub that answers or fails
// without a peer, so there is nothing to time out.
func offlineTransport(pass *analysis.Pass, lit *ast.CompositeLit) bool {
	info := pass.TypesInfo
	if info == nil {
		return false
	}
	var tr ast.Expr
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Transport" {
				tr = kv.Value
			}
		}
	}
	t := code.TypeOf(info, tr)
	if t == nil {
		return false
	}
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := t.(*types.Named)
	if !ok || named.Obj().Pkg() != pass.Pkg {
		return false
	}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Name.Name != "RoundTrip" || fd.Recv == nil || fd.Body == nil || len(fd.Recv.List) != 1 {
				continue
			}
			rt := code.TypeOf(info, fd.Recv.List[0].Type)
			if p, ok := rt.(*types.Pointer); ok {
				rt = p.Elem()
			}
			if rn, ok := rt.(*types.Named); !ok || rn.Obj() != named.Obj() {
				continue
			}
			offline := true
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || !offline {
					return offline
				}
				ref := code.Resolve(info, f, call.Fun)
				if !ref.Is("errors", "New") && !ref.Is("fmt", "Errorf") {
					offline = false
				}
				return offline
			})
			return offline
		}
	}
	return false
}

// streamWords name long-lived connections: a watch, a stream, a protocol
// upgrade. A client Timeout covers the whole exchange, body included, so it
// would cut such a connection off; they are bounded by their context instead.
var streamWords = []string{"stream", "watch", "upgrade", "websocket", "tunnel", "subscribe"}

func streamName(name string) bool {
	l := strings.ToLower(name)
	for _, w := range streamWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// streaming reports whether the client at c serves a long-lived connection:
// it is built in a function whose name says so (Watch, newConnectionAndStream),
// or handed straight to one (spdy.NegotiateStreaming(up, client, ...)).
func streaming(c inspector.Cursor) bool {
	if fd, ok := outerDecl(c); ok && streamName(fd.Name.Name) {
		return true
	}
	if call, ok := argOf(c); ok && streamName(code.CallName(call)) {
		return true
	}
	// client := http.Client{...}; spdy.NegotiateStreaming(up, &client, ...)
	target := assignedTo(c)
	id, ok := target.(*ast.Ident)
	if !ok {
		return false
	}
	_, body := code.OuterFuncOf(c)
	if body == nil {
		return false
	}
	return code.AnyCall(body, func(call *ast.CallExpr) bool {
		if !streamName(code.CallName(call)) {
			return false
		}
		for _, a := range call.Args {
			if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok {
				a = u.X
			}
			if aid, ok := ast.Unparen(a).(*ast.Ident); ok && aid.Name == id.Name {
				return true
			}
		}
		return false
	})
}

// outerDecl returns the function declaration enclosing c.
func outerDecl(c inspector.Cursor) (*ast.FuncDecl, bool) {
	for p := range c.Enclosing((*ast.FuncDecl)(nil)) {
		fd, ok := p.Node().(*ast.FuncDecl)
		return fd, ok
	}
	return nil, false
}

// argOf returns the call that the value at c (possibly behind &) is an
// argument of.
func argOf(c inspector.Cursor) (*ast.CallExpr, bool) {
	node := c.Node()
	p := c.Parent()
	if u, ok := p.Node().(*ast.UnaryExpr); ok {
		node = u
		p = p.Parent()
	}
	call, ok := p.Node().(*ast.CallExpr)
	if !ok {
		return nil, false
	}
	for _, a := range call.Args {
		if a == node {
			return call, true
		}
	}
	return nil, false
}

// timeoutByOption reports whether a client literal handed to a library
// (docker's client.WithHTTPClient(&http.Client{...})) gets its deadline
// from that library: the same function also passes a timeout option, such
// as client.WithTimeout(d) or cfg.SetTimeout(d). context.WithTimeout does
// not count; it bounds one call, not the client.
func timeoutByOption(info *types.Info, file *ast.File, c inspector.Cursor) bool {
	if _, ok := argOf(c); !ok {
		return false
	}
	_, body := code.OuterFuncOf(c)
	if body == nil {
		return false
	}
	return code.AnyCall(body, func(call *ast.CallExpr) bool {
		name := code.CallName(call)
		return strings.Contains(name, "Timeout") && len(call.Args) > 0 &&
			!code.Resolve(info, file, call.Fun).Is("context", name)
	})
}

// fallbackOrChosen reports whether http.DefaultClient at c is assigned as a
// fallback for a client nobody supplied (if c == nil { c = http.DefaultClient },
// the way net/http itself treats a nil client), or in a branch taken because
// no timeout was configured (if cfg.Timeout > 0 { ... } else { c =
// http.DefaultClient }). Either way whoever configures the code chose it; the
// finding belongs where a client without Timeout is built.
func fallbackOrChosen(c inspector.Cursor) bool {
	if returnedFallback(c) {
		return true
	}
	target := assignedTo(c)
	if target == nil {
		return false
	}
	for p := range code.Ancestors(c) {
		switch n := p.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return false
		case *ast.IfStmt:
			if nilTest(n.Cond, types.ExprString(target)) || mentionsTimeout(n.Cond) {
				return true
			}
			if n.Else != nil && code.Contains(n.Else, c.Node().Pos()) && elseOfConfigured(n, types.ExprString(target)) {
				return true
			}
		}
	}
	return false
}

// elseOfConfigured reports whether ifs is `if x != nil { target = x }`: its
// else branch is the default for when the caller configured no client.
func elseOfConfigured(ifs *ast.IfStmt, target string) bool {
	be, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || be.Op != token.NEQ || !isNilIdent(be.Y) || len(ifs.Body.List) != 1 {
		return false
	}
	as, ok := ifs.Body.List[0].(*ast.AssignStmt)
	return ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 && types.ExprString(as.Lhs[0]) == target &&
		types.ExprString(as.Rhs[0]) == types.ExprString(be.X)
}

// nilDefault reports whether the client literal at c is the default for a
// nil client the caller passed: assigned in `if hc == nil { hc = &http.Client{} }`
// (or its else form), or returned from `if cfg.Client == nil { return … }`.
// The caller chose the default, as with http.DefaultClient in that place.
func nilDefault(info *types.Info, c inspector.Cursor) bool {
	at := c
	if u, ok := c.Parent().Node().(*ast.UnaryExpr); ok && u.Op == token.AND {
		at = c.Parent()
	}
	if ret, ok := at.Parent().Node().(*ast.ReturnStmt); ok {
		if block, ok := at.Parent().Parent().Node().(*ast.BlockStmt); ok && len(block.List) == 1 && block.List[0] == ast.Stmt(ret) {
			if ifs, ok := at.Parent().Parent().Parent().Node().(*ast.IfStmt); ok && ifs.Body == block {
				if be, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr); ok && be.Op == token.EQL && isNilIdent(be.Y) &&
					isClientExpr(info, be.X) {
					return true
				}
			}
		}
	}
	return fallbackOrChosen(c)
}

// isClientExpr reports whether e holds an *http.Client (by type, or by a
// name that says client where types are missing).
func isClientExpr(info *types.Info, e ast.Expr) bool {
	if t := code.TypeOf(info, e); t != nil {
		return code.IsPointerTo(t, netHTTP, "Client")
	}
	return strings.Contains(strings.ToLower(types.ExprString(e)), "client")
}

// returnedFallback reports whether the value at c is returned right after
// `if x != nil { return x }`: the default when the caller configured no
// client of their own (func (c *Client) httpClient() *http.Client).
func returnedFallback(c inspector.Cursor) bool {
	ret, ok := c.Parent().Node().(*ast.ReturnStmt)
	if !ok {
		return false
	}
	block, ok := c.Parent().Parent().Node().(*ast.BlockStmt)
	if !ok {
		return false
	}
	for i, st := range block.List {
		if st != ast.Stmt(ret) || i == 0 {
			continue
		}
		ifs, ok := block.List[i-1].(*ast.IfStmt)
		if !ok || ifs.Else != nil || len(ifs.Body.List) != 1 {
			return false
		}
		be, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
		if !ok || be.Op != token.NEQ || !isNilIdent(be.Y) {
			return false
		}
		r, ok := ifs.Body.List[0].(*ast.ReturnStmt)
		return ok && len(r.Results) == len(ret.Results) && len(r.Results) > 0 &&
			types.ExprString(r.Results[0]) == types.ExprString(be.X)
	}
	return false
}

// nilTest reports whether cond is `x == nil` for the expression x.
func nilTest(cond ast.Expr, x string) bool {
	be, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || be.Op != token.EQL {
		return false
	}
	return (isNilIdent(be.Y) && types.ExprString(be.X) == x) || (isNilIdent(be.X) && types.ExprString(be.Y) == x)
}

// mentionsTimeout reports whether cond reads a name containing "timeout", in
// any case.
func mentionsTimeout(cond ast.Expr) bool {
	found := false
	ast.Inspect(cond, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && strings.Contains(strings.ToLower(id.Name), "timeout") {
			found = true
		}
		return !found
	})
	return found
}

// sendsWithDeadline reports whether the http.DefaultClient at c only sends
// requests that carry a deadline: http.DefaultClient.Do(req) where req was
// built in this function with a context from context.WithTimeout or
// WithDeadline (or given one with req.WithContext). That is the fix the
// check itself offers: a context with a deadline bounds the call.
func sendsWithDeadline(pass *analysis.Pass, file *ast.File, c inspector.Cursor) bool {
	sel, ok := c.Parent().Node().(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Do" {
		return false
	}
	call, ok := c.Parent().Parent().Node().(*ast.CallExpr)
	if !ok || call.Fun != ast.Expr(sel) || len(call.Args) != 1 {
		return false
	}
	fn, body := code.OuterFuncOf(c)
	if body == nil {
		return false
	}
	return doWithDeadline(pass, file, fn, body, call)
}

// doWithDeadline reports whether the request that call (a client's Do)
// sends carries a context with a deadline: one made in body by
// context.WithTimeout or WithDeadline, or the function's own ctx parameter
// when every caller of the function in the package passes it one.
func doWithDeadline(pass *analysis.Pass, file *ast.File, fn ast.Node, body *ast.BlockStmt, call *ast.CallExpr) bool {
	info := pass.TypesInfo
	if len(call.Args) != 1 {
		return false
	}
	// Contexts with a deadline, by variable name.
	deadlined := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 || len(as.Lhs) == 0 {
			return true
		}
		if rc, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok {
			ref := code.Resolve(info, file, rc.Fun)
			if ref.Is("context", "WithTimeout") || ref.Is("context", "WithDeadline") ||
				ref.Is("context", "WithTimeoutCause") || ref.Is("context", "WithDeadlineCause") {
				if id, ok := as.Lhs[0].(*ast.Ident); ok {
					deadlined[id.Name] = true
				}
			}
		}
		return true
	})
	if fd, ok := fn.(*ast.FuncDecl); ok {
		if name, idx, ok := ctxParam(info, fd); ok && callersPassDeadline(pass, fd, idx) {
			deadlined[name] = true
		}
	}
	if len(deadlined) == 0 {
		return false
	}
	withDeadline := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && deadlined[id.Name]
	}
	// http.DefaultClient.Do(req.WithContext(ctx))
	if wc, ok := ast.Unparen(call.Args[0]).(*ast.CallExpr); ok {
		if s, ok := ast.Unparen(wc.Fun).(*ast.SelectorExpr); ok && s.Sel.Name == "WithContext" && len(wc.Args) == 1 {
			return withDeadline(wc.Args[0])
		}
	}
	req, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
	if !ok {
		return false
	}
	// req, err := http.NewRequestWithContext(ctx, ...) or req = req.WithContext(ctx)
	built := false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 || len(as.Lhs) == 0 {
			return true
		}
		if id, ok := as.Lhs[0].(*ast.Ident); !ok || id.Name != req.Name {
			return true
		}
		rc, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok || len(rc.Args) == 0 {
			return true
		}
		switch {
		case code.Resolve(info, file, rc.Fun).Is(netHTTP, "NewRequestWithContext"):
			built = withDeadline(rc.Args[0])
		case code.CallName(rc) == "WithContext":
			built = withDeadline(rc.Args[0])
		}
		return true
	})
	return built
}

// headerTimeoutTransport reports whether the client literal's Transport sets
// ResponseHeaderTimeout: built inline, in a variable of this function, or
// by a function of this package that the variable is assigned from
// (transport, err := DefaultTransport(secure)). Clients that stream large
// bodies bound a silent peer this way, since a client Timeout would also cut
// off a slow but healthy transfer.
func headerTimeoutTransport(pass *analysis.Pass, c inspector.Cursor, lit *ast.CompositeLit) bool {
	var tr ast.Expr
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Transport" {
				tr = ast.Unparen(kv.Value)
			}
		}
	}
	return transportHasHeaderTimeout(pass, c, tr)
}

// copyGetsTimeout reports whether the http.DefaultClient at c is copied
// (c := *http.DefaultClient) into a variable that the function then gives a
// Timeout, or a Transport that sets ResponseHeaderTimeout: the copy is a new
// client with its own bound, and DefaultClient itself is left untouched.
func copyGetsTimeout(pass *analysis.Pass, c inspector.Cursor) bool {
	star := c.Parent()
	if _, ok := star.Node().(*ast.StarExpr); !ok {
		return false
	}
	if fieldSetLater(star, "Timeout") {
		return true
	}
	target := assignedTo(star)
	_, body := code.OuterFuncOf(c)
	if target == nil || body == nil {
		return false
	}
	want := types.ExprString(target) + ".Transport"
	return code.AnyAssignment(body, func(l, r ast.Expr) bool {
		return types.ExprString(l) == want && transportHasHeaderTimeout(pass, c, ast.Unparen(r))
	})
}

// transportHasHeaderTimeout reports whether the transport expression tr, in
// the function around c, sets ResponseHeaderTimeout: a literal that does,
// or a variable built with one, given one later, or returned by a function
// of this package that sets one.
func transportHasHeaderTimeout(pass *analysis.Pass, c inspector.Cursor, tr ast.Expr) bool {
	if tr == nil {
		return false
	}
	if setsHeaderTimeout(tr) {
		return true
	}
	id, ok := tr.(*ast.Ident)
	if !ok {
		return false
	}
	_, body := code.OuterFuncOf(c)
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || found {
			return !found
		}
		for i, l := range as.Lhs {
			if sel, ok := l.(*ast.SelectorExpr); ok && sel.Sel.Name == "ResponseHeaderTimeout" {
				if x, ok := ast.Unparen(sel.X).(*ast.Ident); ok && x.Name == id.Name {
					found = true // tr.ResponseHeaderTimeout = d
				}
			}
			lid, ok := l.(*ast.Ident)
			if !ok || lid.Name != id.Name {
				continue
			}
			var rhs ast.Expr
			if len(as.Rhs) == len(as.Lhs) {
				rhs = as.Rhs[i]
			} else if len(as.Rhs) == 1 {
				rhs = as.Rhs[0] // tr, err := build()
			}
			if rhs == nil {
				continue
			}
			if setsHeaderTimeout(rhs) {
				found = true
			} else if call, ok := ast.Unparen(rhs).(*ast.CallExpr); ok {
				if fd := code.NewDecls(pass).Of(pass.TypesInfo, call); fd != nil && fd.Recv == nil && setsHeaderTimeout(fd.Body) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// setsHeaderTimeout reports whether n holds a composite literal with a
// ResponseHeaderTimeout field.
func setsHeaderTimeout(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if lit, ok := x.(*ast.CompositeLit); ok && hasKey(lit, "ResponseHeaderTimeout") {
			found = true
		}
		return !found
	})
	return found
}

// ctxParam returns the name and index of fd's context.Context parameter.
func ctxParam(info *types.Info, fd *ast.FuncDecl) (string, int, bool) {
	if info == nil || fd.Type.Params == nil {
		return "", 0, false
	}
	i := 0
	for _, f := range fd.Type.Params.List {
		isCtx := code.IsNamed(code.TypeOf(info, f.Type), "context", "Context")
		if len(f.Names) == 0 {
			i++
			continue
		}
		for _, n := range f.Names {
			if isCtx && n.Name != "_" {
				return n.Name, i, true
			}
			i++
		}
	}
	return "", 0, false
}

// callersPassDeadline reports whether fd is called in the package at least
// once, and every call passes, as argument idx, a context made with a
// deadline (context.WithTimeout or WithDeadline) in the calling function.
// Calls from other packages are not seen, so an exported function needs
// callers here like any other.
func callersPassDeadline(pass *analysis.Pass, fd *ast.FuncDecl, idx int) bool {
	info := pass.TypesInfo
	obj, ok := info.Defs[fd.Name].(*types.Func)
	if !ok {
		return false
	}
	calls, all := 0, true
	for _, f := range pass.Files {
		code.WalkStack(f, func(n ast.Node, stack []ast.Node) bool {
			if !all {
				return false
			}
			call, ok := n.(*ast.CallExpr)
			if !ok || code.Callee(info, call) != obj {
				return true
			}
			calls++
			if idx >= len(call.Args) {
				all = false
				return false
			}
			id, ok := ast.Unparen(call.Args[idx]).(*ast.Ident)
			body := code.Body(code.EnclosingFunc(stack))
			if !ok || body == nil || !deadlineVar(info, f, body, id) {
				all = false
			}
			return true
		})
	}
	return calls > 0 && all
}

// deadlineVar reports whether id names a variable that body assigns from
// context.WithTimeout or WithDeadline.
func deadlineVar(info *types.Info, file *ast.File, body *ast.BlockStmt, id *ast.Ident) bool {
	v := code.VarOf(info, id)
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || found || len(as.Rhs) != 1 || len(as.Lhs) == 0 || !v.Is(info, as.Lhs[0]) {
			return !found
		}
		if rc, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok {
			ref := code.Resolve(info, file, rc.Fun)
			found = ref.Is("context", "WithTimeout") || ref.Is("context", "WithDeadline") ||
				ref.Is("context", "WithTimeoutCause") || ref.Is("context", "WithDeadlineCause")
		}
		return !found
	})
	return found
}

// localSendsWithDeadline reports whether the client literal at c is held
// in a local variable whose every Do in the function sends a request with
// a deadline (see doWithDeadline), and is not used any other way that
// sends (Get, Post…): the deadline is its timeout.
func localSendsWithDeadline(pass *analysis.Pass, file *ast.File, c inspector.Cursor) bool {
	id, ok := assignedTo(c).(*ast.Ident)
	if !ok || pass.TypesInfo == nil {
		return false
	}
	fn, body := code.OuterFuncOf(c)
	if body == nil {
		return false
	}
	v := code.VarOf(pass.TypesInfo, id)
	dos, ok := 0, true
	for _, u := range code.Uses(pass.TypesInfo, body, v) {
		switch {
		case u.Kind == code.UseMethodCall && u.Name == "Do":
			dos++
			ok = ok && doWithDeadline(pass, file, fn, body, u.Call)
		case u.Kind == code.UseMethodCall, u.Kind == code.UseReturn, u.Kind == code.UseStore, u.Kind == code.UseArg:
			ok = false
		}
	}
	return ok && dos > 0
}

// unixSocket reports whether the client literal's Transport dials a Unix
// socket: an *http.Transport literal, inline or in a variable of the
// function, whose DialContext or Dial mentions "unix". Such clients talk to
// a local daemon (Docker, systemd, a sidecar) whose API long-polls by
// design; a Timeout would cut the poll.
func unixSocket(info *types.Info, file *ast.File, c inspector.Cursor, lit *ast.CompositeLit) bool {
	var tr ast.Expr
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Transport" {
				tr = kv.Value
			}
		}
	}
	if tr == nil {
		return false
	}
	dialsUnix := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(m ast.Node) bool {
			if bl, ok := m.(*ast.BasicLit); ok && bl.Kind == token.STRING && (bl.Value == `"unix"` || bl.Value == "`unix`") {
				found = true
			}
			return !found
		})
		return found
	}
	if u, ok := ast.Unparen(tr).(*ast.UnaryExpr); ok {
		tr = u.X
	}
	if dialsUnix(tr) {
		return true
	}
	id, ok := ast.Unparen(tr).(*ast.Ident)
	if !ok {
		return false
	}
	_, body := code.OuterFuncOf(c)
	if body == nil {
		return false
	}
	v := code.VarOf(info, id)
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || found {
			return !found
		}
		for i, l := range as.Lhs {
			if v.Is(info, l) && i < len(as.Rhs) && dialsUnix(as.Rhs[i]) {
				found = true
			}
		}
		return !found
	})
	return found
}

// objectStoreWords name object-storage SDKs in a package path: clients that
// upload and download objects of any size, whose calls each take a ctx.
var objectStoreWords = []string{"cos", "s3", "oss", "obs", "storage", "blob", "azblob", "minio", "qiniu", "upyun", "b2", "swift", "gcs"}

// objectStoreSDK reports whether the client literal at c is handed straight
// to the constructor of an object-storage SDK
// (cos.NewClient(u, &http.Client{Transport: auth})): the client carries
// large transfers, where a whole-request Timeout (the fix the message names)
// would cut a multi-gigabyte upload, and the SDK's calls carry the caller's
// ctx. Worth knowing, not a comment.
func objectStoreSDK(info *types.Info, c inspector.Cursor) bool {
	p := c.Parent()
	if u, ok := p.Node().(*ast.UnaryExpr); ok && u.Op == token.AND {
		p = p.Parent()
	}
	call, ok := p.Node().(*ast.CallExpr)
	if !ok || info == nil {
		return false
	}
	fn := code.Callee(info, call)
	if fn == nil || fn.Pkg() == nil || !strings.HasPrefix(fn.Name(), "New") {
		return false
	}
	path := strings.ToLower(fn.Pkg().Path())
	if code.IsStdlib(path) {
		return false
	}
	for seg := range strings.SplitSeq(path, "/") {
		for w := range strings.FieldsFuncSeq(seg, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
			if slices.Contains(objectStoreWords, w) {
				return true
			}
		}
	}
	return false
}

// loopbackSpeech caps a finding at c at info when the function it sits in
// talks only to the loopback: every URL written in it names localhost,
// 127.x or [::1] (a local daemon's API, the process's own health or metrics
// endpoint, a developer's emulator). A peer on the same host that accepts
// and never answers is rare, and readers judged such findings not worth a
// comment. cat and msg are returned unchanged otherwise.
func loopbackSpeech(info *types.Info, c inspector.Cursor, cat, msg string) (string, string) {
	if cat == AtMostInfo {
		return cat, msg
	}
	var fd *ast.FuncDecl
	for p := range c.Enclosing((*ast.FuncDecl)(nil)) {
		fd, _ = p.Node().(*ast.FuncDecl)
	}
	if fd == nil || fd.Body == nil || !onlyLoopbackURLs(info, fd.Body) {
		return cat, msg
	}
	return AtMostInfo, msg + " (info: every URL in this function names the loopback, a peer on the same host)"
}

// onlyLoopbackURLs reports whether body writes at least one http or https
// URL and every one it writes names a loopback host.
func onlyLoopbackURLs(info *types.Info, body *ast.BlockStmt) bool {
	urls, loop := 0, 0
	ast.Inspect(body, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		s, _ := constString(info, lit)
		rest, found := strings.CutPrefix(s, "http://")
		if !found {
			rest, found = strings.CutPrefix(s, "https://")
		}
		if !found {
			return true
		}
		if rest == "" {
			return true // "http://" + host: the host is not written here
		}
		urls++
		if loopbackHost(rest) || loopbackHost(strings.SplitN(rest, "/", 2)[0]) {
			loop++
		}
		return true
	})
	return urls > 0 && loop >= urls
}
