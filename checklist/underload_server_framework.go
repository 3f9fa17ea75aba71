package checklist

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
)

// frameworkStart describes a web framework's own start method that serves on
// an http.Server the caller does not build: gin's Engine.Run and RunTLS
// (http.ListenAndServe underneath: no timeouts can be set), and echo's
// Echo.Start and StartTLS (its Server field, whose timeouts stay zero unless
// the package sets them).
type frameworkStart struct {
	pkg, recv, name string
	settable        bool // the server is a field the package may configure
}

var frameworkStarts = []frameworkStart{
	{"github.com/gin-gonic/gin", "Engine", "Run", false},
	{"github.com/gin-gonic/gin", "Engine", "RunTLS", false},
	{"github.com/labstack/echo", "Echo", "Start", true},
	{"github.com/labstack/echo", "Echo", "StartTLS", true},
}

// frameworkStartOf returns the framework start method call calls, if any.
func frameworkStartOf(ref code.Ref) (frameworkStart, bool) {
	for _, f := range frameworkStarts {
		if ref.Recv == f.recv && ref.Name == f.name && (ref.Pkg == f.pkg || strings.HasPrefix(ref.Pkg, f.pkg+"/")) {
			return f, true
		}
	}
	return frameworkStart{}, false
}

// reportFrameworkStart reports a framework start at c that serves with no
// read timeouts, capped at info where the listener serves only the operator
// (see listenerWhy). An echo start is left alone in a package that sets
// ReadHeaderTimeout or ReadTimeout on some server field: whoever wrote that
// configures the framework's server.
func reportFrameworkStart(pass *analysis.Pass, file *ast.File, u *hostOnly, c inspector.Cursor, call *ast.CallExpr, f frameworkStart) {
	if f.settable && setsServerTimeouts(pass) {
		return
	}
	var addr ast.Expr
	if len(call.Args) > 0 {
		addr = call.Args[0]
	}
	why := listenerWhy(pass.TypesInfo, file, u, c, nil, addr, nil)
	msg := "gin's " + f.name + " serves through http.ListenAndServe with no timeouts at all: slow or idle clients hold connections and goroutines forever; serve the engine from an http.Server with ReadHeaderTimeout, ReadTimeout and IdleTimeout set"
	if f.settable {
		msg = "echo's " + f.name + " serves on e.Server, whose ReadHeaderTimeout and ReadTimeout are zero unless set: a client that sends headers slowly (Slowloris) holds a connection and a goroutine as long as it likes; set e.Server.ReadHeaderTimeout (and IdleTimeout) before starting, or call StartServer with a configured http.Server"
	}
	reportIn(pass, call, internalCap(why), msg+internalNote(why))
}

// setsServerTimeouts reports whether the package assigns ReadHeaderTimeout
// or ReadTimeout of an http.Server anywhere (e.Server.ReadHeaderTimeout = …).
func setsServerTimeouts(pass *analysis.Pass) bool {
	for _, f := range pass.Files {
		found := false
		ast.Inspect(f, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if found || !ok {
				return !found
			}
			for _, lhs := range as.Lhs {
				sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr)
				if !ok || (sel.Sel.Name != "ReadHeaderTimeout" && sel.Sel.Name != "ReadTimeout") {
					continue
				}
				if path, name := code.TypeName(pass.TypesInfo.TypeOf(sel.X)); path == netHTTP && name == "Server" {
					found = true
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// servesFrameworkUnixListener reports whether body hands a framework a Unix
// socket listener by assigning it to a field named Listener
// (e.Listener = ln, with ln from net.Listen("unix", path)): a server the same
// function builds for the framework (e.StartServer(new(http.Server))) serves
// on it.
func servesFrameworkUnixListener(info *types.Info, file *ast.File, u *hostOnly, body *ast.BlockStmt) bool {
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if found || !ok || len(as.Lhs) != len(as.Rhs) {
			return !found
		}
		for i, lhs := range as.Lhs {
			if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok && sel.Sel.Name == "Listener" && unixListener(info, file, u, body, as.Rhs[i]) {
				found = true
			}
		}
		return !found
	})
	return found
}
