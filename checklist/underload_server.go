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
)

var serverNoTimeoutsAnalyzer = &analysis.Analyzer{
	Name:             "server_no_timeouts",
	Doc:              "reports http.Server values without ReadHeaderTimeout or ReadTimeout, and http.ListenAndServe and its kind",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              runServerNoTimeouts,
}

func runServerNoTimeouts(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	const msg = "http.Server without ReadHeaderTimeout: a client that sends headers slowly (Slowloris) holds a connection and a goroutine as long as it likes, and a few thousand exhaust the server; set ReadHeaderTimeout (and IdleTimeout)"
	where := whereOf(pass)
	unix := newHostOnly(pass)
	for file, c := range code.Preorder(insp, (*ast.CompositeLit)(nil), (*ast.CallExpr)(nil)) {
		// Tests, examples and mocks serve the test, not clients.
		if file == nil || where.Of(c) == program.TestSupport {
			continue
		}
		switch n := c.Node().(type) {
		case *ast.CompositeLit:
			if !code.TypeExprIs(info, file, litType(info, n), netHTTP, "Server") {
				continue
			}
			if hasKey(n, "ReadHeaderTimeout") || hasKey(n, "ReadTimeout") || fieldSetLater(c, "ReadHeaderTimeout", "ReadTimeout") ||
				handedToOptions(info, c) {
				continue
			}
			handler := keyValue(n, "Handler")
			if handler == nil && !fieldSetLater(c, "Handler") {
				handler = ast.NewIdent("nil") // no Handler: the default mux serves
			}
			why := listenerWhy(info, file, unix, c, assignedTo(c), keyValue(n, "Addr"), handler)
			if why == "" && unix.server(c) {
				why = unixWhy // built here, served from another method of the package
			}
			if _, body := code.OuterFuncOf(c); why == "" && (servesFrameworkUnixListener(info, file, unix, body) ||
				handedWithUnixListener(info, file, unix, c, assignedTo(c))) {
				why = unixWhy
			}
			if name := handedToServe(pass, file, c); why == "" && name != "" {
				why = "it is handed to " + name + ", which may set the timeouts itself"
			}
			if why == "" && onlyContextValue(info, c) {
				continue // a carrier for its ErrorLog in a request's context, never served
			}
			cat, note := exposure(info, c, why)
			reportIn(pass, n, cat, msg+note)
		case *ast.CallExpr:
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "new" && len(n.Args) == 1 && isBuiltin(info, id) {
				if code.TypeExprIs(info, file, n.Args[0], netHTTP, "Server") && !fieldSetLater(c, "ReadHeaderTimeout", "ReadTimeout") {
					why := listenerWhy(info, file, unix, c, assignedTo(c), nil, nil)
					if _, body := code.OuterFuncOf(c); why == "" && servesFrameworkUnixListener(info, file, unix, body) {
						why = unixWhy
					}
					reportIn(pass, n, internalCap(why), msg+internalNote(why))
				}
				continue
			}
			ref := code.Resolve(info, file, n.Fun)
			if f, ok := frameworkStartOf(ref); ok {
				reportFrameworkStart(pass, file, unix, c, n, f)
				continue
			}
			if ref.Pkg != netHTTP || ref.Recv != "" {
				continue
			}
			switch ref.Name {
			case "ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS":
				// A debug listener on the loopback (pprof on localhost:6060),
				// a metrics port or a Unix socket serves the operator, not
				// the internet: worth knowing only.
				_, body := code.OuterFuncOf(c)
				var addr, handler ast.Expr
				if len(n.Args) > 0 {
					handler = n.Args[len(n.Args)-1]
					if strings.HasPrefix(ref.Name, "ListenAndServe") {
						addr = n.Args[0]
					}
				}
				why := listenerWhy(info, file, unix, c, nil, addr, handler)
				if why == "" && !strings.HasPrefix(ref.Name, "ListenAndServe") && len(n.Args) > 0 && unixListener(info, file, unix, body, n.Args[0]) {
					why = unixWhy
				}
				if why == "" && !strings.HasPrefix(ref.Name, "ListenAndServe") && len(n.Args) > 0 && tailnetListener(info, file, body, n.Args[0]) {
					why = tailnetWhy
				}
				cat, note := exposure(info, c, why)
				reportIn(pass, n, cat, "http."+ref.Name+" serves with no timeouts at all: slow or idle clients hold connections and goroutines forever; build an http.Server with ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout and call its "+ref.Name+" method"+note)
			}
		}
	}
	return nil, nil
}

// listenerWhy says why the server built or started at c serves only the
// operator (see internalListener), or "" when nothing says so. The mux is
// looked for in the innermost function first (a pprof mux built inside
// go func(){…}()), then in the outermost; a server started only when
// debugging or profiling is switched on is the operator's too.
func listenerWhy(info *types.Info, file *ast.File, u *hostOnly, c inspector.Cursor, server, addr, handler ast.Expr) string {
	outer, body := code.OuterFuncOf(c)
	if _, _, inner := code.FuncOf(c); inner != nil && inner != body {
		if why := internalListener(info, file, u, inner, server, addr, handler); why != "" {
			return why
		}
	}
	if why := internalListener(info, file, u, body, server, addr, handler); why != "" {
		return why
	}
	if gatedBy(outer, c.Node().Pos(), namesDebug) {
		return "it starts only when debugging or profiling is switched on"
	}
	if debugPackage(file) {
		return "it is the listener of a package named for debugging, health checks, metrics or telemetry"
	}
	if fd, ok := outer.(*ast.FuncDecl); ok && operatorFunc(fd.Name.Name) {
		return "it is started by a function named for metrics, monitoring, health or profiling"
	}
	if gatedBy(outer, c.Node().Pos(), devCond) {
		return "it starts only in development or local runs"
	}
	return ""
}

// internalCap caps a finding on an internal listener (why is not empty) at
// info.
func internalCap(why string) string {
	if why != "" {
		return AtMostInfo
	}
	return ""
}

// exposure returns a finding's category and the note its message ends
// with: internalCap and internalNote when why says the server is the
// operator's; Evident when the function that builds or starts it takes its
// certificates from an ACME client (autocert, certmagic), since Let's
// Encrypt must reach such a server from the internet, so it faces clients
// directly, with no proxy in front to buffer slow headers; else nothing.
func exposure(info *types.Info, c inspector.Cursor, why string) (cat, note string) {
	if why != "" {
		return internalCap(why), internalNote(why)
	}
	if acmeServed(info, c) {
		return Evident, " (it takes its certificates from Let's Encrypt here, so it answers the internet directly)"
	}
	return "", ""
}

// acmeServers are the packages of ACME clients a Go server uses to fetch
// its own certificates.
var acmeServers = []string{"golang.org/x/crypto/acme/autocert", "github.com/caddyserver/certmagic", "github.com/mholt/certmagic"}

// acmeServed reports whether the outermost function around c uses an ACME
// client's package.
func acmeServed(info *types.Info, c inspector.Cursor) bool {
	_, body := code.OuterFuncOf(c)
	if body == nil || info == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || found {
			return !found
		}
		if obj := info.Uses[id]; obj != nil && obj.Pkg() != nil && slices.Contains(acmeServers, obj.Pkg().Path()) {
			found = true
		}
		return true
	})
	return found
}

// onlyContextValue reports whether the server literal at c is the value
// handed to context.WithValue (under http.ServerContextKey, to carry an
// ErrorLog for a handler run by hand): it is never served.
func onlyContextValue(info *types.Info, c inspector.Cursor) bool {
	p := c.Parent()
	if u, ok := p.Node().(*ast.UnaryExpr); ok && u.Op == token.AND {
		p = p.Parent()
	}
	call, ok := p.Node().(*ast.CallExpr)
	if !ok || len(call.Args) != 3 || code.Unaddr(ast.Unparen(call.Args[2])) != c.Node() {
		return false
	}
	return code.IsPkgFunc(code.Callee(info, call), "context", "WithValue")
}

// internalNote says why a finding is only info.
func internalNote(why string) string {
	if why == "" {
		return ""
	}
	return " (info only: " + why + ")"
}

// keyValue returns the value of the field key in a keyed composite literal.
func keyValue(lit *ast.CompositeLit, key string) ast.Expr {
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == key {
				return kv.Value
			}
		}
	}
	return nil
}

// handedToOptions reports whether the value built at c is stored in a
// variable that the enclosing function hands to a function value, the way
// option functions are applied (for _, opt := range opts { opt(srv) }):
// whoever passes the options may set the timeouts there, and frameworks do.
func handedToOptions(info *types.Info, c inspector.Cursor) bool {
	target := assignedTo(c)
	_, body := code.OuterFuncOf(c)
	if target == nil || body == nil {
		return false
	}
	want := types.ExprString(target)
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found || len(call.Args) != 1 || types.ExprString(call.Args[0]) != want {
			return !found
		}
		switch f := ast.Unparen(call.Fun).(type) {
		case *ast.Ident:
			if info != nil && info.Uses[f] != nil {
				_, isVar := info.Uses[f].(*types.Var)
				found = isVar // a function value, not a declared function
			} else {
				found = strings.HasPrefix(strings.ToLower(f.Name), "o") // opt, o, option: no types to tell
			}
		case *ast.IndexExpr:
			found = true // opts[i](srv)
		}
		return !found
	})
	return found
}

// fieldSetLater reports whether the value built at c is stored in a variable
// whose field (one of names) the enclosing function assigns afterwards.
func fieldSetLater(c inspector.Cursor, names ...string) bool {
	target := assignedTo(c)
	if target == nil {
		return false
	}
	_, body := code.OuterFuncOf(c)
	if body == nil {
		return false
	}
	want := types.ExprString(target)
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || found {
			return !found
		}
		for _, lhs := range as.Lhs {
			sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr)
			if !ok || types.ExprString(sel.X) != want {
				continue
			}
			for _, name := range names {
				if sel.Sel.Name == name {
					found = true
				}
			}
		}
		return true
	})
	return found
}

// operatorFunc reports whether a function's name says it serves the
// operator's endpoints (serveMetrics, startMonitoringServer, runHealthServer,
// pprofListen), word by word.
func operatorFunc(name string) bool {
	for _, w := range code.IdentWords(name) {
		switch w {
		case "metrics", "metric", "monitoring", "prometheus", "prom", "health", "healthz", "pprof", "debug":
			return true
		}
	}
	return false
}

// debugPackage reports whether file belongs to a package named for the
// operator's endpoints: debugging or profiling (package debug, pprofserver),
// health checks, metrics or telemetry (package healthcheck, metrics,
// telemetry), word by word, so that a package merely mixing profiling into
// its name (profilingmixed) is not one: a server it builds serves the
// operator's tools (metrics, pprof, probes).
func debugPackage(file *ast.File) bool {
	for _, w := range code.IdentWords(file.Name.Name) {
		switch w {
		case "debug", "pprof", "health", "healthcheck", "healthz", "metrics", "telemetry", "monitoring":
			return true
		}
	}
	return false
}
