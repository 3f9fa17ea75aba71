package checklist

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
)

// hostOnly knows, for one package, what only the host reaches: the
// addresses whose configured default is the loopback (see
// [loopbackDefaults]), and the struct fields that hold a
// Unix-socket listener and the fields holding an http.Server that serves
// only such a listener, so that a server built in a constructor and served
// from a Start method (s.srv.Serve(s.ln)) is judged like one built and
// served in one function. A Unix socket is reached only from the host: no
// remote client can hold a connection open slowly.
//
// Decisions: a listener field counts when every assignment to it in the
// package (s.ln = ln, &Server{ln: ln}) is of a Unix-socket listener (a
// net.Listen or ListenConfig.Listen on a constant "unix"..., net.ListenUnix,
// or a local variable the function assigns one to); a server field counts
// when the package calls Serve or ServeTLS on it at least once, every time
// on such a listener, and never ListenAndServe. A field assigned anywhere
// from a listener whose network is not a constant stays public.
type hostOnly struct {
	info      *types.Info
	pass      *analysis.Pass // read on first use: most packages start no server
	pkg       *types.Package // the package and its files, kept after the read
	files     []*ast.File
	listeners map[*types.Var]bool // every assignment is a Unix listener
	servers   map[*types.Var]bool // served only on Unix listeners
	// funcs are the package's functions that return a listener and open
	// only Unix-socket ones (a listener(ctx, path) helper).
	funcs map[*types.Func]bool
	// defaults are the variables and fields a flag or a config default
	// sets to a loopback address unless the operator says otherwise.
	defaults map[types.Object]bool
}

// newHostOnly returns the package's Unix-socket fields, read from its
// assignments and Serve calls when first asked.
func newHostOnly(pass *analysis.Pass) *hostOnly {
	return &hostOnly{info: pass.TypesInfo, pass: pass, pkg: pass.Pkg, files: pass.Files}
}

// read reads the package's assignments and Serve calls, once.
func (u *hostOnly) read() {
	if u.pass == nil {
		return
	}
	pass := u.pass
	u.pass = nil
	u.listeners, u.servers = map[*types.Var]bool{}, map[*types.Var]bool{}
	if u.info == nil {
		return
	}
	type body struct {
		file *ast.File
		body *ast.BlockStmt
		unix map[string]bool
	}
	u.funcs = unixListenerFuncs(u.info, pass.Files)
	u.defaults = loopbackDefaults(u.info, pass.Files)
	var bodies []body
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				bodies = append(bodies, body{f, fd.Body, onlyListeners(fd.Body, func(e ast.Expr) bool { return u.unixCall(f, e) })})
			}
		}
	}
	// Listener fields first: a server's Serve may take one.
	seen := map[*types.Var]bool{}
	for _, b := range bodies {
		mark := func(field *types.Var, val ast.Expr) {
			ok := u.unixCall(b.file, val) || b.unix[types.ExprString(ast.Unparen(val))]
			if !seen[field] {
				seen[field], u.listeners[field] = true, ok
			} else {
				u.listeners[field] = u.listeners[field] && ok
			}
		}
		eachAssign(b.body, func(l, r ast.Expr) {
			if fv := code.SelectedField(u.info, l); fv != nil && isListener(fv.Type()) {
				mark(fv, r)
			}
		})
		ast.Inspect(b.body, func(n ast.Node) bool {
			if kv, ok := n.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok {
					if fv, ok := u.info.Uses[id].(*types.Var); ok && fv.IsField() && isListener(fv.Type()) {
						mark(fv, kv.Value)
					}
				}
			}
			return true
		})
	}
	served := map[*types.Var]bool{}
	for _, b := range bodies {
		ast.Inspect(b.body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
			if !ok {
				return true
			}
			fv := code.SelectedField(u.info, sel.X)
			if fv == nil || !code.IsNamed(fv.Type(), netHTTP, "Server") {
				return true
			}
			ok = false
			switch sel.Sel.Name {
			case "Serve", "ServeTLS":
				ok = len(call.Args) > 0 && (u.listener(b.file, call.Args[0]) || b.unix[types.ExprString(call.Args[0])])
			case "ListenAndServe", "ListenAndServeTLS":
			default:
				return true
			}
			if !served[fv] {
				served[fv], u.servers[fv] = true, ok
			} else {
				u.servers[fv] = u.servers[fv] && ok
			}
			return true
		})
	}
}

// listener reports whether ln is a Unix-socket listener by itself: a listen
// call on "unix" or a field that only ever holds one.
func (u *hostOnly) listener(file *ast.File, ln ast.Expr) bool {
	if u == nil || u.info == nil {
		return false
	}
	if unixListenCall(u.info, file, ln) {
		return true
	}
	u.read()
	if u.unixCall(file, ln) {
		return true
	}
	fv := code.SelectedField(u.info, ln)
	if fv == nil {
		return false
	}
	u.read()
	return u.listeners[fv]
}

// server reports whether the http.Server literal at c is stored in a field
// (s.srv = &http.Server{...}, &Server{srv: &http.Server{...}}) that the
// package serves only on Unix-socket listeners.
func (u *hostOnly) server(c inspector.Cursor) bool {
	if u == nil || u.info == nil {
		return false
	}
	u.read()
	if t := assignedTo(c); t != nil {
		fv := code.SelectedField(u.info, t)
		return fv != nil && u.servers[fv]
	}
	p := c.Parent()
	if _, ok := p.Node().(*ast.UnaryExpr); ok {
		p = p.Parent()
	}
	kv, ok := p.Node().(*ast.KeyValueExpr)
	if !ok {
		return false
	}
	id, ok := kv.Key.(*ast.Ident)
	if !ok {
		return false
	}
	fv, ok := u.info.Uses[id].(*types.Var)
	return ok && fv.IsField() && u.servers[fv]
}

// unixListenCall reports whether e is a call opening a listener only the
// host reaches: net.ListenUnix, or net.Listen or ListenConfig.Listen on a
// constant network "unix" or "unixpacket", or on a constant loopback
// address.
func unixListenCall(info *types.Info, file *ast.File, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	ref := code.Resolve(info, file, call.Fun)
	if ref.Is("net", "ListenUnix") {
		return true
	}
	if (ref.Is("net", "Listen") || ref.Is("net", "ListenConfig.Listen")) && len(call.Args) >= 2 {
		s, ok := constString(info, call.Args[len(call.Args)-2])
		if ok && strings.HasPrefix(s, "unix") {
			return true
		}
		// A TCP listener on a constant loopback address
		// (net.Listen("tcp", "localhost:65432")) is reached from the host
		// only, like a Unix socket.
		addr, ok := constString(info, call.Args[len(call.Args)-1])
		return ok && loopbackHost(addr)
	}
	return false
}

// isListener reports whether t is net.Listener or a pointer to a net
// listener type (*net.UnixListener).
func isListener(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "net" && strings.HasSuffix(n.Obj().Name(), "Listener")
}

// unixWhy says why a server on a Unix socket is info.
const unixWhy = "it serves a Unix socket or the loopback interface, reachable only from the host"

// unixListener reports whether ln is a listener that body opens on a Unix
// socket.
func unixListener(info *types.Info, file *ast.File, u *hostOnly, body *ast.BlockStmt, ln ast.Expr) bool {
	return u.listener(file, ln) || unixListeners(info, file, body)[types.ExprString(ln)]
}

// unixListeners returns the expressions body assigns only Unix-socket
// listeners to: net.Listen("unix", path), net.ListenUnix,
// ListenConfig.Listen(ctx, "unix", path).
func unixListeners(info *types.Info, file *ast.File, body *ast.BlockStmt) map[string]bool {
	return onlyListeners(body, func(e ast.Expr) bool { return unixListenCall(info, file, e) })
}

// onlyListeners returns the expressions body assigns listeners of one kind
// to (kind accepts the listen call), leaving out any also assigned another
// listen call on another branch (if socket { ln = Listen("unix") } else {
// ln = Listen("tcp") }): that one may face the network.
func onlyListeners(body *ast.BlockStmt, kind func(ast.Expr) bool) map[string]bool {
	out := map[string]bool{}
	if body == nil {
		return out
	}
	other := map[string]bool{}
	eachAssign(body, func(l, r ast.Expr) {
		k := types.ExprString(l)
		switch {
		case kind(r):
			out[k] = true
		case listenCall(r):
			other[k] = true
		}
	})
	for k := range other {
		delete(out, k)
	}
	return out
}

// listenCall reports whether e calls something named Listen, ListenTCP,
// ListenTLS or alike.
func listenCall(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	return ok && strings.HasPrefix(code.CallName(call), "Listen")
}

// unixCall reports whether e opens a Unix-socket listener: a listen call on
// "unix" (see unixListenCall) or a call of a function of the package that
// opens only such listeners.
func (u *hostOnly) unixCall(file *ast.File, e ast.Expr) bool {
	if unixListenCall(u.info, file, e) {
		return true
	}
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := code.Callee(u.info, call)
	return fn != nil && u.funcs[fn]
}

// unixListenerFuncs returns the functions of files that return a listener
// and whose listen calls all open Unix sockets (or the loopback), at least
// one of them: func listener(ctx, path) (net.Listener, error) { …
// net.Listen("unix", path) … }.
func unixListenerFuncs(info *types.Info, files []*ast.File) map[*types.Func]bool {
	out := map[*types.Func]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, _ := info.Defs[fd.Name].(*types.Func)
			if fn == nil {
				continue
			}
			sig := fn.Type().(*types.Signature)
			if sig.Results().Len() == 0 || !isListener(sig.Results().At(0).Type()) {
				continue
			}
			unix, other := 0, 0
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				switch {
				case unixListenCall(info, f, call):
					unix++
				case listenCall(call):
					other++
				}
				return true
			})
			if unix > 0 && other == 0 {
				out[fn] = true
			}
		}
	}
	return out
}

// handedWithUnixListener reports whether the server built at c and stored
// in target is handed, later in the same block, to a call together with a
// Unix-socket listener (go StartHttp(server, listener) with listener from
// net.ListenUnix): the callee serves the one on the other.
func handedWithUnixListener(info *types.Info, file *ast.File, u *hostOnly, c inspector.Cursor, target ast.Expr) bool {
	_, body := code.OuterFuncOf(c)
	if body == nil || target == nil {
		return false
	}
	var block *ast.BlockStmt
	for p := range c.Enclosing((*ast.BlockStmt)(nil)) {
		block = p.Node().(*ast.BlockStmt)
		break
	}
	if block == nil {
		return false
	}
	want := types.ExprString(target)
	found := false
	ast.Inspect(block, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if found || !ok || call.Pos() < c.Node().End() || len(call.Args) < 2 {
			return !found
		}
		server, unix := false, false
		for _, a := range call.Args {
			switch {
			case types.ExprString(a) == want:
				server = true
			case unixListenerVar(info, file, u, body, a):
				unix = true
			}
		}
		found = server && unix
		return !found
	})
	return found
}

// unixListenerVar reports whether a is a local variable that body assigns
// only Unix-socket listeners to, told apart from another variable of the
// same name in another block (a var listener in the Unix branch, a
// listener := net.Listen("tcp", …) in the TCP one).
func unixListenerVar(info *types.Info, file *ast.File, u *hostOnly, body *ast.BlockStmt, a ast.Expr) bool {
	id, ok := ast.Unparen(a).(*ast.Ident)
	if !ok || info == nil {
		return unixListener(info, file, u, body, a)
	}
	obj := info.ObjectOf(id)
	if obj == nil {
		return false
	}
	unix, other := 0, 0
	eachAssign(body, func(l, r ast.Expr) {
		lid, ok := ast.Unparen(l).(*ast.Ident)
		if !ok || info.ObjectOf(lid) != obj {
			return
		}
		switch {
		case u.unixCall(file, r):
			unix++
		case listenCall(r):
			other++
		}
	})
	return unix > 0 && other == 0
}
