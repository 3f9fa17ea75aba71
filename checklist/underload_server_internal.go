package checklist

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/prodready/prodready/checklist/internal/code"
)

// Internal listeners: a server that only the operator, the local host or
// the monitoring system reaches. Slowloris needs clients that can connect;
// these have few, so server-no-timeouts lowers them to info.

// internalPaths are route paths of operational endpoints: metrics, profiles,
// variables and probes.
var internalPaths = []string{"/metrics", "/debug/", "/debug", "/health", "/healthz", "/livez", "/readyz", "/ready",
	"/live", "/ping", "/status", "/vars"}

// internalHandlerFuncs are the handlers of operational endpoints in the
// standard library and the Prometheus client.
var internalHandlerFuncs = []struct{ pkg, name string }{
	{"github.com/prometheus/client_golang/prometheus/promhttp", "Handler"},
	{"github.com/prometheus/client_golang/prometheus/promhttp", "HandlerFor"},
	{"github.com/prometheus/client_golang/prometheus/promhttp", "InstrumentMetricHandler"},
	{"expvar", "Handler"},
	{"net/http/pprof", ""},
}

// internalListener says why the server built or started at n is internal,
// or "" when nothing says so: addr and handler are its address and handler
// expressions (nil when not given), server the variable holding it, body
// the function around it.
func internalListener(info *types.Info, file *ast.File, u *hostOnly, body *ast.BlockStmt, server, addr, handler ast.Expr) string {
	switch {
	case addr != nil && loopbackExpr(info, file, u, body, addr):
		return "it listens on the loopback interface only"
	case handler != nil && internalHandler(info, file, body, handler),
		defaultMux(info, file, handler) && code.ImportsPath(file, "net/http/pprof") && !routesOnDefaultMux(info, file),
		defaultMux(info, file, handler) && operationalDefaultMux(info, file, body):
		return "it serves only metrics, profiling or health endpoints, an internal port"
	case handler != nil && onlyRoutes(info, body, handler, func(_ string, h ast.Expr) bool { return h != nil && u.admissionHandler(h) }):
		return "it serves only Kubernetes admission webhooks, which only the cluster's API server calls"
	case server != nil && servesOnlyOn(body, server, func(ln ast.Expr) bool { return unixListener(info, file, u, body, ln) }):
		return unixWhy
	case server != nil && servesOnlyOn(body, server, func(ln ast.Expr) bool { return tailnetListener(info, file, body, ln) }):
		return tailnetWhy
	}
	return ""
}

// admissionHandler reports whether h names a function or method of the
// package whose body answers a Kubernetes admission review (see
// admissionReview).
func (u *hostOnly) admissionHandler(h ast.Expr) bool {
	var id *ast.Ident
	switch x := ast.Unparen(h).(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	default:
		return false
	}
	fn, ok := u.info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() != u.pkg {
		return false
	}
	for _, f := range u.files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && u.info.Defs[fd.Name] == fn {
				return admissionReview(u.info, fd.Body)
			}
		}
	}
	return false
}

// defaultMux reports whether h is the default mux: nil, or
// http.DefaultServeMux.
func defaultMux(info *types.Info, file *ast.File, h ast.Expr) bool {
	if h == nil {
		return false
	}
	if id, ok := ast.Unparen(h).(*ast.Ident); ok && id.Name == "nil" {
		return true
	}
	return code.Resolve(info, file, h).Is(netHTTP, "DefaultServeMux")
}

// routesOnDefaultMux reports whether file registers a route on the default
// mux itself (http.Handle, http.HandleFunc): then a server of the default
// mux serves more than what net/http/pprof registers.
func routesOnDefaultMux(info *types.Info, file *ast.File) bool {
	return code.AnyCall(file, func(call *ast.CallExpr) bool {
		ref := code.Resolve(info, file, call.Fun)
		return ref.Is(netHTTP, "Handle") || ref.Is(netHTTP, "HandleFunc") ||
			ref.Is(netHTTP, "ServeMux.Handle") && defaultMux(info, file, receiverOf(call)) ||
			ref.Is(netHTTP, "ServeMux.HandleFunc") && defaultMux(info, file, receiverOf(call))
	})
}

// operationalDefaultMux reports whether body registers routes on the
// default mux (http.Handle("/metrics", promhttp.Handler())), every one of
// them an operational endpoint, and the file registers none elsewhere: a
// ListenAndServe(addr, nil) there serves only metrics, profiling or health.
func operationalDefaultMux(info *types.Info, file *ast.File, body *ast.BlockStmt) bool {
	isRoute := func(call *ast.CallExpr) bool {
		ref := code.Resolve(info, file, call.Fun)
		return (ref.Is(netHTTP, "Handle") || ref.Is(netHTTP, "HandleFunc")) && len(call.Args) == 2
	}
	inBody, ok := 0, true
	code.AnyCall(body, func(call *ast.CallExpr) bool {
		if !isRoute(call) {
			return false
		}
		inBody++
		path, isPath := constString(info, call.Args[0])
		if !(isPath && operationalPath(path)) && !operationalHandler(info, file, call.Args[1]) {
			ok = false
		}
		return !ok
	})
	if !ok || inBody == 0 {
		return false
	}
	inFile := 0
	code.AnyCall(file, func(call *ast.CallExpr) bool {
		if isRoute(call) {
			inFile++
		}
		return false
	})
	return inFile == inBody
}

// receiverOf returns the receiver expression of a method call, or nil.
func receiverOf(call *ast.CallExpr) ast.Expr {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		return sel.X
	}
	return nil
}

// loopbackExpr reports whether e is an address on the loopback interface:
// a constant ("localhost:6060", "127.0.0.1:9090", "[::1]:8081"), a
// net.JoinHostPort or fmt.Sprintf whose host part is such a constant, a
// concatenation that starts with one, a local variable of body that is
// only ever set to one of those, or an address whose flag or config default
// is one (hostOnly.loopbackDefault).
func loopbackExpr(info *types.Info, file *ast.File, u *hostOnly, body *ast.BlockStmt, e ast.Expr) bool {
	return loopbackDepth(info, file, u, body, e, 2)
}

func loopbackDepth(info *types.Info, file *ast.File, u *hostOnly, body *ast.BlockStmt, e ast.Expr, hops int) bool {
	e = ast.Unparen(e)
	if s, ok := constString(info, e); ok {
		return loopbackHost(s)
	}
	if u.loopbackDefault(info, e) {
		return true
	}
	switch x := e.(type) {
	case *ast.BinaryExpr:
		return x.Op == token.ADD && loopbackDepth(info, file, u, body, x.X, hops)
	case *ast.CallExpr:
		ref := code.Resolve(info, file, x.Fun)
		if len(x.Args) > 0 && (ref.Is("net", "JoinHostPort") || ref.Is("fmt", "Sprintf")) {
			s, ok := constString(info, x.Args[0])
			return ok && (loopbackHost(s) || loopbackHost(s+":"))
		}
		// getServerAddress(port), a function of the package whose every
		// return is a loopback address.
		if fn := code.Callee(info, x); hops > 0 && fn != nil && u != nil && fn.Pkg() == u.pkg {
			return loopbackReturns(info, u, fn, hops-1)
		}
	case *ast.Ident:
		if hops == 0 || body == nil || info == nil || info.Uses[x] == nil {
			return false
		}
		obj := info.Uses[x]
		set, all := 0, true
		eachAssign(body, func(l, r ast.Expr) {
			lid, ok := l.(*ast.Ident)
			if ok && (info.Defs[lid] == obj || info.Uses[lid] == obj) {
				set++
				all = all && loopbackDepth(info, file, u, body, r, hops-1)
			}
		})
		return set > 0 && all
	}
	return false
}

// loopbackReturns reports whether fn, a function of the package, returns a
// loopback address (as its first result) on every return.
func loopbackReturns(info *types.Info, u *hostOnly, fn *types.Func, hops int) bool {
	for _, f := range u.files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || info.Defs[fd.Name] != fn {
				continue
			}
			returns, all := 0, true
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if _, lit := n.(*ast.FuncLit); lit {
					return false
				}
				if r, ok := n.(*ast.ReturnStmt); ok {
					returns++
					all = all && len(r.Results) > 0 && loopbackDepth(info, f, u, fd.Body, r.Results[0], hops)
				}
				return all
			})
			return returns > 0 && all
		}
	}
	return false
}

// constString returns e's value when it is a string constant.
func constString(info *types.Info, e ast.Expr) (string, bool) {
	if info != nil {
		if tv, ok := info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
			return constant.StringVal(tv.Value), true
		}
	}
	if bl, ok := ast.Unparen(e).(*ast.BasicLit); ok && bl.Kind == token.STRING {
		return strings.Trim(bl.Value, "\"`"), true
	}
	return "", false
}

// loopbackHost reports whether an address or a host starts with a loopback
// host: localhost, 127.x or ::1.
func loopbackHost(s string) bool {
	for _, h := range []string{"localhost:", "127.", "[::1]:", "::1"} {
		if strings.HasPrefix(s, h) {
			return true
		}
	}
	return s == "localhost"
}

// internalHandler reports whether h is an operational handler
// (promhttp.Handler(), expvar.Handler(), a pprof handler) or a mux built in
// body whose every route is one: registered on an operational path
// (/metrics, /debug/pprof/, /healthz) or with an operational handler, and
// not handed to anything else that could add routes.
func internalHandler(info *types.Info, file *ast.File, body *ast.BlockStmt, h ast.Expr) bool {
	if operationalHandler(info, file, h) {
		return true
	}
	return onlyRoutes(info, body, h, func(path string, handler ast.Expr) bool {
		return operationalPath(path) || (handler != nil && (operationalHandler(info, file, handlerValue(info, body, handler)) || path == "/" && probeLiteral(info, handler)))
	})
}

// onlyRoutes reports whether h is a mux (a variable or field) built in body
// with at least one route, every route of which ok accepts (its pattern,
// and its handler or nil), and not handed to anything else that could add
// routes.
func onlyRoutes(info *types.Info, body *ast.BlockStmt, h ast.Expr, ok func(path string, handler ast.Expr) bool) bool {
	h = ast.Unparen(h)
	if _, isID := h.(*ast.Ident); !isID {
		if _, isSel := h.(*ast.SelectorExpr); !isSel {
			return false
		}
	}
	if body == nil {
		return false
	}
	mux := types.ExprString(h)
	routes, other := 0, false
	ast.Inspect(body, func(n ast.Node) bool {
		call, isCall := n.(*ast.CallExpr)
		if !isCall || other {
			return !other
		}
		if sel, isSel := ast.Unparen(call.Fun).(*ast.SelectorExpr); isSel && types.ExprString(sel.X) == mux {
			if len(call.Args) == 0 {
				return true
			}
			path, isPath := constString(info, call.Args[0])
			if !isPath && len(call.Args) < 2 {
				return true // mux.Use(mw) and the like add no route
			}
			// A route whose pattern is not a constant (mux.Handle(path,
			// promhttp.Handler())) is judged by its handler: path is "".
			routes++
			var handler ast.Expr
			if len(call.Args) > 1 {
				handler = call.Args[1]
			}
			if !ok(path, handler) {
				other = true
			}
			return true
		}
		for _, a := range call.Args {
			if types.ExprString(a) != mux {
				continue
			}
			switch {
			case operationalRegistrar(call):
				routes++ // healthz.ServeHealthCheck(mux, ...), profile.RegisterProfiler(mux)
			case !startsServe(call):
				other = true // handed on: someone else may add routes
			}
		}
		return true
	})
	return routes > 0 && !other
}

// operationalRegistrar reports whether call hands a mux to a function whose
// name says it adds operational endpoints: health checks, probes,
// profiles, metrics (healthz.ServeHealthCheck, profile.RegisterProfiler).
func operationalRegistrar(call *ast.CallExpr) bool {
	name := ""
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		name = f.Sel.Name
		if x, ok := ast.Unparen(f.X).(*ast.Ident); ok {
			name = x.Name + "." + name
		}
	case *ast.Ident:
		name = f.Name
	}
	l := strings.ToLower(name)
	for _, w := range []string{"health", "profil", "pprof", "metric", "liveness", "readiness", "probe"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// startsServe reports whether call is a Serve or ListenAndServe call, which
// takes the handler without adding routes.
func startsServe(call *ast.CallExpr) bool {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		return strings.Contains(f.Sel.Name, "Serve")
	case *ast.Ident:
		return strings.Contains(f.Name, "Serve")
	}
	return false
}

// operationalHandler reports whether h is a handler of promhttp, expvar or
// net/http/pprof.
// handlerValue returns what a route's handler expression stands for: h,
// or for a method value h.ServeHTTP (mux.HandleFunc("/", mh.ServeHTTP)) and
// a local variable set once (mh := promhttp.HandlerFor(...)), the value
// behind it.
func handlerValue(info *types.Info, body *ast.BlockStmt, h ast.Expr) ast.Expr {
	e := ast.Unparen(h)
	if sel, ok := e.(*ast.SelectorExpr); ok && sel.Sel.Name == "ServeHTTP" {
		e = ast.Unparen(sel.X)
	}
	if id, ok := e.(*ast.Ident); ok && info != nil && body != nil {
		if v := code.SetOnce(info, body, id); v != nil {
			return v
		}
	}
	return e
}

func operationalHandler(info *types.Info, file *ast.File, h ast.Expr) bool {
	fn := ast.Unparen(h)
	if call, ok := fn.(*ast.CallExpr); ok {
		fn = call.Fun
	}
	ref := code.Resolve(info, file, fn)
	for _, o := range internalHandlerFuncs {
		if ref.Pkg == o.pkg && (o.name == "" || ref.Name == o.name) {
			return true
		}
	}
	return false
}

// probeLiteral reports whether h is a function literal that answers
// without looking at the request: an empty body, or only a status or a
// constant written to the response (func(w, r) {}, w.WriteHeader(200),
// fmt.Fprint(w, "ok")): on the root path, a health probe (read P: a
// queue worker's only route).
func probeLiteral(info *types.Info, h ast.Expr) bool {
	lit, ok := ast.Unparen(h).(*ast.FuncLit)
	if !ok || info == nil {
		return false
	}
	var w types.Object
	if ps := lit.Type.Params; ps != nil && len(ps.List) > 0 && len(ps.List[0].Names) > 0 {
		w = info.Defs[ps.List[0].Names[0]]
	}
	constant := func(e ast.Expr) bool {
		e = ast.Unparen(e)
		if tv, ok := info.Types[e]; ok && tv.Value != nil {
			return true
		}
		if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
			if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
				return info.Types[call.Args[0]].Value != nil // []byte("ok")
			}
		}
		id, ok := e.(*ast.Ident)
		return ok && w != nil && info.Uses[id] == w
	}
	for _, st := range lit.Body.List {
		var call *ast.CallExpr
		switch x := st.(type) {
		case *ast.ExprStmt:
			call, _ = ast.Unparen(x.X).(*ast.CallExpr)
		case *ast.AssignStmt:
			if len(x.Rhs) == 1 && slices.ContainsFunc(x.Lhs, func(l ast.Expr) bool { return !isBlank(l) }) {
				return false
			}
			if len(x.Rhs) == 1 {
				call, _ = ast.Unparen(x.Rhs[0]).(*ast.CallExpr)
			}
		case *ast.ReturnStmt:
			continue
		}
		if call == nil {
			return false
		}
		switch code.CallName(call) {
		case "WriteHeader", "Write", "WriteString", "Fprint", "Fprintln", "Fprintf":
		default:
			return false
		}
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && !constant(sel.X) {
			if _, pkg := info.Uses[identOf(sel.X)].(*types.PkgName); !pkg {
				return false // a method of something other than the response writer
			}
		}
		for _, a := range call.Args {
			if !constant(a) {
				return false
			}
		}
	}
	return true
}

// identOf returns e as an identifier, or nil.
func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

// operationalPath reports whether a route path ("GET /healthz",
// "/debug/pprof/") is an operational endpoint's.
func operationalPath(p string) bool {
	if _, path, ok := strings.Cut(p, " "); ok {
		p = path
	}
	p = strings.ToLower(p)
	for _, o := range internalPaths {
		if p == o || (strings.HasSuffix(o, "/") && strings.HasPrefix(p, o)) || strings.HasPrefix(p, o+"/") {
			return true
		}
	}
	// Under a prefix (/api/health/live, /v1/metrics): a segment that only
	// probes and metrics use.
	for seg := range strings.SplitSeq(p, "/") {
		switch seg {
		case "health", "healthz", "healthcheck", "livez", "readyz", "metrics":
			return true
		}
	}
	return false
}

// eachAssign calls f for each assignment in root of a value to an
// expression: x = v, x := v, var x = v, and the first result of a call
// assigned to several (ln, err := net.Listen(...)).
func eachAssign(root ast.Node, f func(lhs, rhs ast.Expr)) {
	ast.Inspect(root, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.AssignStmt:
			if len(s.Lhs) == len(s.Rhs) {
				for i, l := range s.Lhs {
					f(l, s.Rhs[i])
				}
			} else if len(s.Rhs) == 1 {
				f(s.Lhs[0], s.Rhs[0])
			}
		case *ast.ValueSpec:
			if len(s.Names) == len(s.Values) {
				for i, id := range s.Names {
					f(id, s.Values[i])
				}
			} else if len(s.Values) == 1 {
				f(s.Names[0], s.Values[0])
			}
		}
		return true
	})
}
