package iocall

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist/internal/code"
)

// Outbound kinds.
const (
	OutHTTP    = "an HTTP request"
	OutGRPC    = "a gRPC call"
	OutDial    = "a network dial"
	OutConnect = "a database connection"
)

// Outbound classifies call when it crosses the network by itself: an
// HTTP request, a gRPC call, a dial or a database connect/ping. It returns
// "" for anything else (including database queries, which are retried for
// other reasons, such as serialization failures, where an immediate retry is
// right).
func Outbound(info *types.Info, imps code.Imports, call *ast.CallExpr) string {
	fn := code.Callee(info, call)
	if fn == nil {
		if code.IsPkgSelector(info, imps, call.Fun, "net/http", httpCalls[0].names...) {
			return OutHTTP
		}
		if code.IsPkgSelector(info, imps, call.Fun, "net", "Dial", "DialTimeout") {
			return OutDial
		}
		return ""
	}
	pkg, recv := code.FuncPath(fn), ""
	if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
		pkg, recv = code.RecvNamed(fn)
	}
	switch {
	case anyHas(httpCalls, pkg, recv, fn.Name()):
		return OutHTTP
	case code.IsPkgFunc(fn, "net", "Dial", "DialTimeout", "DialTCP", "DialUDP"),
		code.IsMethod(fn, "net", "Dialer", "Dial", "DialContext"),
		code.IsPkgFunc(fn, "crypto/tls", "Dial", "DialWithDialer"),
		code.IsMethod(fn, "crypto/tls", "Dialer", "Dial", "DialContext"):
		return OutDial
	case code.IsMethod(fn, "database/sql", "DB", "Ping", "PingContext", "Conn"),
		code.IsPkgFunc(fn, "github.com/jackc/pgx/v5", "Connect", "ConnectConfig"),
		code.IsPkgFunc(fn, "github.com/jackc/pgx/v5/pgxpool", "New", "NewWithConfig"),
		code.IsMethod(fn, "github.com/jackc/pgx/v5/pgxpool", "Pool", "Ping"),
		code.IsMethod(fn, "github.com/jackc/pgx/v5", "Conn", "Ping"):
		return OutConnect
	}
	if sig, ok := fn.Type().(*types.Signature); ok && sig.Variadic() && sig.Params().Len() > 0 {
		last := sig.Params().At(sig.Params().Len() - 1).Type()
		if sl, ok := last.(*types.Slice); ok && code.IsNamed(sl.Elem(), "google.golang.org/grpc", "CallOption") {
			return OutGRPC
		}
	}
	return ""
}

// OutboundFuncs returns the functions and methods declared in pass's package
// that make an outbound call, directly or through other such functions of
// the package, with the kind of the call they make.
func OutboundFuncs(pass *analysis.Pass) map[*types.Func]string {
	info := code.Info(pass)
	type decl struct {
		fn   *types.Func
		body *ast.BlockStmt
		imps code.Imports
	}
	var decls []decl
	for _, f := range pass.Files {
		imps := code.FileImports(f)
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			if fn, ok := info.Defs[fd.Name].(*types.Func); ok {
				decls = append(decls, decl{fn, fd.Body, imps})
			}
		}
	}
	// One walk records what each function calls directly; the kind then
	// flows from callees to callers over the reversed call edges.
	out := map[*types.Func]string{}
	callers := map[*types.Func][]*types.Func{}
	var work []*types.Func
	for _, d := range decls {
		ast.Inspect(d.body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if out[d.fn] == "" {
				if k := Outbound(info, d.imps, call); k != "" {
					out[d.fn] = k
					work = append(work, d.fn)
				}
			}
			if callee := code.Callee(info, call); callee != nil && callee.Pkg() == pass.Pkg {
				callers[callee] = append(callers[callee], d.fn)
			}
			return true
		})
	}
	for len(work) > 0 {
		fn := work[len(work)-1]
		work = work[:len(work)-1]
		for _, caller := range callers[fn] {
			if out[caller] == "" {
				out[caller] = out[fn]
				work = append(work, caller)
			}
		}
	}
	return out
}
