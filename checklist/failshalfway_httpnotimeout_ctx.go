package checklist

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
)

// reqBound says what bounds the requests a client sends, from the weakest
// to the strongest, so that the bound of several requests is the least of
// theirs.
type reqBound int

const (
	// boundNone: a request with no context, or context.Background/TODO.
	boundNone reqBound = iota
	// boundUnknown: the request or client goes where the check cannot follow.
	boundUnknown
	// boundCaller: the request carries a context handed in by the caller (a
	// ctx parameter, r.Context()), which the caller can give a deadline.
	boundCaller
	// boundDeadline: the context has a deadline made in sight
	// (context.WithTimeout, or one every caller of the function passes).
	boundDeadline
)

// maxFlowHops bounds how far clientBound follows a client through
// constructors and fields.
const maxFlowHops = 2

// callerCtxMessage is the message for a client without Timeout whose every
// request in sight carries a context handed in by the caller.
const callerCtxMessage = "its requests carry the caller's context, so the caller's context must carry the deadline (context.WithTimeout); a caller that passes one without it waits forever on a peer that stops answering"

// clientBound follows the client value at c (a literal, possibly behind &,
// or a call returning one) to the requests it sends: kept in a local or
// package variable or a struct field, returned from a constructor of the
// package, or put in a context for oauth2. It returns the least bound of
// those requests, or boundUnknown when it sends none in sight or escapes.
func clientBound(pass *analysis.Pass, c inspector.Cursor, hops int) reqBound {
	info := pass.TypesInfo
	if info == nil || hops < 0 {
		return boundUnknown
	}
	at := c
	if u, ok := at.Parent().Node().(*ast.UnaryExpr); ok && u.Op == token.AND {
		at = at.Parent()
	}
	switch p := at.Parent().Node().(type) {
	case *ast.ReturnStmt:
		fd, ok := outerDecl(at)
		if !ok || len(p.Results) != 1 {
			return boundUnknown
		}
		return callsBound(pass, c, info.Defs[fd.Name], hops-1)
	case *ast.KeyValueExpr:
		if key, ok := p.Key.(*ast.Ident); ok && p.Value == at.Node() {
			return objectBound(pass, c, info.Uses[key], hops)
		}
		return boundUnknown
	case *ast.CallExpr:
		// ctx = context.WithValue(ctx, oauth2.HTTPClient, client): the
		// oauth2 calls made with ctx send with the client and that ctx.
		if len(p.Args) == 3 && p.Args[2] == at.Node() && code.CallName(p) == "WithValue" && code.CallName(&ast.CallExpr{Fun: p.Args[1]}) == "HTTPClient" {
			if fd, ok := outerDecl(at); ok {
				return ctxBound(pass, fd, p.Args[0], 2)
			}
		}
		return boundUnknown
	}
	switch t := assignedTo(c).(type) {
	case *ast.Ident:
		obj := info.Defs[t]
		if obj == nil {
			obj = info.Uses[t]
		}
		return objectBound(pass, c, obj, hops)
	case *ast.SelectorExpr:
		return objectBound(pass, c, info.Uses[t.Sel], hops)
	}
	return boundUnknown
}

// callsBound returns the least bound over every call of the function fn in
// the package, each followed as a client value.
func callsBound(pass *analysis.Pass, c inspector.Cursor, fn types.Object, hops int) reqBound {
	if fn == nil || hops < 0 {
		return boundUnknown
	}
	least, seen := boundDeadline, false
	for cc := range rootOf(c).Preorder((*ast.CallExpr)(nil)) {
		call := cc.Node().(*ast.CallExpr)
		if code.Callee(pass.TypesInfo, call) != fn {
			continue
		}
		seen = true
		least = min(least, clientBound(pass, cc, hops))
	}
	if !seen {
		return boundUnknown
	}
	return least
}

// objectBound returns the least bound over the sends of the client held in
// obj (a variable or a struct field), anywhere in the package.
func objectBound(pass *analysis.Pass, c inspector.Cursor, obj types.Object, hops int) reqBound {
	if obj == nil {
		return boundUnknown
	}
	info := pass.TypesInfo
	least, sends := boundDeadline, 0
	for ic := range rootOf(c).Preorder((*ast.Ident)(nil)) {
		id := ic.Node().(*ast.Ident)
		if info.Uses[id] != obj {
			continue
		}
		ec := ic
		if sel, ok := ic.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel == id {
			ec = ic.Parent()
		}
		if _, ok := ec.Parent().Node().(*ast.KeyValueExpr); ok && ec == ic {
			continue // the field's key in a literal
		}
		if isAssignTarget(ec) {
			continue // where the client is stored
		}
		sel, ok := ec.Parent().Node().(*ast.SelectorExpr)
		if !ok {
			// Handed on: returned, passed or stored elsewhere.
			b := clientBound(pass, ec, hops-1)
			if b == boundUnknown {
				return boundUnknown
			}
			least, sends = min(least, b), sends+1
			continue
		}
		call, isCall := ec.Parent().Parent().Node().(*ast.CallExpr)
		if !isCall || call.Fun != ast.Expr(sel) {
			continue // c.Timeout, c.Transport: no request sent
		}
		switch sel.Sel.Name {
		case "Do":
			sends++
			least = min(least, doBound(pass, ec, call))
		case "Get", "Post", "Head", "PostForm":
			return boundNone
		}
	}
	if sends == 0 {
		return boundUnknown
	}
	return least
}

// rootOf returns the cursor of the file holding c's package, walking up to
// the inspector's root.
func rootOf(c inspector.Cursor) inspector.Cursor {
	return c.Inspector().Root()
}

// doBound returns the bound of the request that call, a client's Do at c,
// sends.
func doBound(pass *analysis.Pass, c inspector.Cursor, call *ast.CallExpr) reqBound {
	fd, ok := outerDecl(c)
	if !ok || fd.Body == nil || len(call.Args) != 1 {
		return boundUnknown
	}
	file := fileOf(pass, fd.Pos())
	fn, body := code.OuterFuncOf(c)
	if body != nil && doWithDeadline(pass, file, fn, body, call) {
		return boundDeadline
	}
	return requestBound(pass, fd, call.Args[0])
}

// fileOf returns the file of the package holding pos.
func fileOf(pass *analysis.Pass, pos token.Pos) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// requestBound returns the bound of the request expression e in fd:
// req.WithContext(ctx), or a variable built with NewRequestWithContext(ctx,
// …), NewRequest (no context) or WithContext.
func requestBound(pass *analysis.Pass, fd *ast.FuncDecl, e ast.Expr) reqBound {
	info := pass.TypesInfo
	file := fileOf(pass, fd.Pos())
	if wc, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		if code.CallName(wc) == "WithContext" && len(wc.Args) == 1 {
			return ctxBound(pass, fd, wc.Args[0], 2)
		}
		return boundUnknown
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return boundUnknown
	}
	v := code.VarOf(info, id)
	best, seen := boundNone, false
	eachAssign(fd.Body, func(l, r ast.Expr) {
		if !v.Is(info, l) {
			return
		}
		rc, ok := ast.Unparen(r).(*ast.CallExpr)
		if !ok {
			return
		}
		ref := code.Resolve(info, file, rc.Fun)
		switch {
		case ref.Is(netHTTP, "NewRequestWithContext") && len(rc.Args) > 0:
			best, seen = max(best, ctxBound(pass, fd, rc.Args[0], 2)), true
		case ref.Is(netHTTP, "NewRequest"):
			seen = true
		case code.CallName(rc) == "WithContext" && len(rc.Args) == 1:
			best, seen = max(best, ctxBound(pass, fd, rc.Args[0], 2)), true
		case buildsRequestWithoutContext(info, rc):
			// req, err = GetChallengeRequest(u): a helper that takes no
			// context builds a request that carries none of the caller's.
			seen = true
		}
	})
	if !seen {
		return boundUnknown
	}
	return best
}

// ctxBound returns the bound a context expression in fd gives: none for
// context.Background, TODO or WithoutCancel; deadline for WithTimeout or
// WithDeadline (or a parameter every caller gives one); caller for a ctx
// parameter, r.Context() or a context derived from them.
func ctxBound(pass *analysis.Pass, fd *ast.FuncDecl, e ast.Expr, depth int) reqBound {
	info := pass.TypesInfo
	file := fileOf(pass, fd.Pos())
	if depth < 0 {
		return boundUnknown
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		ref := code.Resolve(info, file, x.Fun)
		switch {
		case ref.Is("context", "Background"), ref.Is("context", "TODO"), ref.Is("context", "WithoutCancel"):
			return boundNone
		case ref.Is("context", "WithTimeout"), ref.Is("context", "WithDeadline"),
			ref.Is("context", "WithTimeoutCause"), ref.Is("context", "WithDeadlineCause"):
			return boundDeadline
		case ref.Is("context", "WithValue"), ref.Is("context", "WithCancel"), ref.Is("context", "WithCancelCause"):
			if len(x.Args) > 0 {
				return ctxBound(pass, fd, x.Args[0], depth-1)
			}
		case code.CallName(x) == "Context" && len(x.Args) == 0:
			return boundCaller // r.Context(), c.Request.Context()
		}
		return boundUnknown
	case *ast.Ident:
		v := code.VarOf(info, x)
		if v.Obj == nil {
			return boundUnknown
		}
		if name, idx, ok := ctxParam(info, fd); ok && name == x.Name && v.Obj.Pos() >= fd.Type.Pos() && v.Obj.Pos() < fd.Type.End() {
			if callersPassDeadline(pass, fd, idx) {
				return boundDeadline
			}
			if depth > 0 && callerPassesBackground(pass, fd, idx, depth-1) {
				return boundNone
			}
			return boundCaller
		}
		if v.Obj.Pos() < fd.Pos() || v.Obj.Pos() >= fd.End() {
			return boundUnknown // a package variable
		}
		best, seen := boundNone, false
		eachAssign(fd.Body, func(l, r ast.Expr) {
			if v.Is(info, l) {
				best, seen = max(best, ctxBound(pass, fd, r, depth-1)), true
			}
		})
		if seen {
			return best
		}
		if code.IsNamed(v.Obj.Type(), "context", "Context") {
			return boundCaller // a parameter of a function literal, or a value a framework hands in
		}
		if hasContextMethods(v.Obj.Type()) {
			return boundCaller // a framework's request context (*gin.Context, echo.Context)
		}
	}
	return boundUnknown
}

// callerPassesBackground reports whether a call of fd in the package
// passes, as argument idx, context.Background or TODO (directly, or a
// variable its function sets to one): that caller's requests have no bound.
// depth bounds how far up the chain of callers it looks.
func callerPassesBackground(pass *analysis.Pass, fd *ast.FuncDecl, idx, depth int) bool {
	info := pass.TypesInfo
	obj, ok := info.Defs[fd.Name].(*types.Func)
	if !ok {
		return false
	}
	found := false
	for _, f := range pass.Files {
		code.WalkStack(f, func(n ast.Node, stack []ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if found || !ok || code.Callee(info, call) != obj || idx >= len(call.Args) {
				return !found
			}
			for _, s := range stack {
				if caller, ok := s.(*ast.FuncDecl); ok && caller != fd {
					found = ctxBound(pass, caller, call.Args[idx], depth) == boundNone
					break
				}
			}
			return !found
		})
	}
	return found
}

// hasContextMethods reports whether t has the methods of context.Context.
func hasContextMethods(t types.Type) bool {
	ms := types.NewMethodSet(t)
	for _, m := range []string{"Deadline", "Done", "Err", "Value"} {
		if ms.Lookup(nil, m) == nil {
			return false
		}
	}
	return true
}

// unseenMessage is the message for a client without Timeout that sends no
// request in sight: it is handed on, stored where the check cannot follow,
// or never used to send.
const unseenMessage = "no request sent with it is in sight; whoever sends with it must bound the request (set Timeout, or give each request a context with a deadline)"

// boundSpeech turns the bound of a client's requests into how the finding
// is said: posted with msg only when a request with no deadline-capable
// context (none, or context.Background/TODO) is sent through it; at most
// info when every request carries the caller's context or none is in
// sight; skipped when every request has a deadline in sight.
func boundSpeech(b reqBound, msg string) (cat, text string, skip bool) {
	subject, _, _ := strings.Cut(msg, ":")
	switch b {
	case boundDeadline:
		return "", "", true
	case boundCaller:
		return AtMostInfo, subject + ": " + callerCtxMessage, false
	case boundUnknown:
		return AtMostInfo, subject + ": " + unseenMessage, false
	}
	return "", msg, false
}

// defaultBound returns the bound of the requests sent with the
// http.DefaultClient at c: its Do's request, none for its Get, Post, Head
// or PostForm, or, when it is stored or handed on, the least bound of the
// requests sent where it goes (see [clientBound]).
func defaultBound(pass *analysis.Pass, c inspector.Cursor) reqBound {
	if pass.TypesInfo == nil {
		return boundNone
	}
	if sel, ok := c.Parent().Node().(*ast.SelectorExpr); ok {
		call, isCall := c.Parent().Parent().Node().(*ast.CallExpr)
		if !isCall || call.Fun != ast.Expr(sel) {
			return boundUnknown // a method value, or a field read
		}
		switch sel.Sel.Name {
		case "Do":
			return doBound(pass, c, call)
		case "Get", "Post", "Head", "PostForm":
			return boundNone
		}
		return boundUnknown
	}
	return clientBound(pass, c, maxFlowHops)
}

// initTimesDefaultClient reports whether the package has an init function
// that gives http.DefaultClient a Timeout: http.DefaultClient =
// &http.Client{Timeout: d}, or http.DefaultClient.Timeout = d. Every use of
// DefaultClient in the package (http.Get included) then has one.
func initTimesDefaultClient(pass *analysis.Pass) bool {
	info := pass.TypesInfo
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || fd.Name.Name != "init" || fd.Body == nil {
				continue
			}
			if code.AnyAssignment(fd.Body, func(l, r ast.Expr) bool {
				if sel, ok := ast.Unparen(l).(*ast.SelectorExpr); ok && sel.Sel.Name == "Timeout" {
					return code.Resolve(info, f, sel.X).Is(netHTTP, "DefaultClient")
				}
				if !code.Resolve(info, f, l).Is(netHTTP, "DefaultClient") {
					return false
				}
				if u, ok := ast.Unparen(r).(*ast.UnaryExpr); ok {
					r = u.X
				}
				lit, ok := ast.Unparen(r).(*ast.CompositeLit)
				return ok && hasKey(lit, "Timeout")
			}) {
				return true
			}
		}
	}
	return false
}

// buildsRequestWithoutContext reports whether call is a function that
// returns an *http.Request (alone or with an error) and takes no
// context.Context: the request it builds carries no caller's deadline.
func buildsRequestWithoutContext(info *types.Info, call *ast.CallExpr) bool {
	fn := code.Callee(info, call)
	if fn == nil {
		return false
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Results().Len() == 0 || !code.IsPointerTo(sig.Results().At(0).Type(), netHTTP, "Request") {
		return false
	}
	if sig.Recv() != nil && code.IsNamed(sig.Recv().Type(), netHTTP, "Request") {
		return false // req.WithContext, req.Clone: handled above
	}
	for i := range sig.Params().Len() {
		if code.IsNamed(sig.Params().At(i).Type(), "context", "Context") {
			return false
		}
	}
	return true
}
