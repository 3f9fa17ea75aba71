package checklist

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func errorIgnoredIOCheck() *Check {
	return &Check{
		Question: finding.FailsHalfway,
		Severity: finding.SeverityError,
		Title:    "error from a write, flush, encode or database write discarded",
		Rationale: "A write that fails halfway — a database statement that hits a constraint or a dropped " +
			"connection, a file write on a full disk, a Flush or Sync, an encoder writing to a file or socket, a " +
			"rename — returns an error and nothing else. Discard it and the function carries on as if the data " +
			"had been stored: the job is marked done, the message acknowledged, the caller told it worked, and " +
			"the loss surfaces days later. The check reports such calls used as statements or with the error " +
			"assigned to _, outside defer statements (write-close-unchecked covers deferred closes), outside " +
			"goroutines (whose dropped errors were mostly best-effort on real code; goroutine-error-dropped says " +
			"which it reports) and outside a returned cleanup callback (return func() { … }), which runs later like a deferred call. It leaves alone writes to an http.ResponseWriter, os.Stdout, os.Stderr and in-memory " +
			"buffers (also through a compressing writer over one), whose errors carry nothing to act on, the Close " +
			"of a file that is removed right after, an error assigned to _ with a comment on that line or the " +
			"line above that gives the reason (a TODO does not count), a bare call whose comment there says the " +
			"error is ignored on purpose (ignore, best effort, does not matter…), and the Close of a file only sized " +
			"(Truncate, a Fallocate-like call: an empty placeholder). It posts only where data is lost with no one " +
			"told: a buffered or compressing writer's Flush or Close, and a database, network or HTTP write (or an " +
			"encode onto a connection) in a function that then tells its caller it worked (an error result, or an " +
			"HTTP handler); a local file's write, sync, rename or copy, an encode into a file, a write in a function " +
			"that reports to no one, a constant PRAGMA or SET, and an error assigned to _ are at most info. " +
			"Where it speaks: every function of the module, at error; test support (tests, mocks, fakes, examples, end-to-end harnesses) is silent, and one-shot code (start-up, migrations, CLI commands, build-time generators and dev tools under hack/, scripts/ or tools/) is at most info unless it loops for the life of the process.",
		Fix: "Check the error and return it wrapped with context (or log it where nothing can be returned).",
		Bad: `tx.ExecContext(ctx, "UPDATE jobs SET state = 'done' WHERE id = $1", id)
return nil`,
		Good: `if _, err := tx.ExecContext(ctx, "UPDATE jobs SET state = 'done' WHERE id = $1", id); err != nil {
	return fmt.Errorf("mark job %d done: %w", id, err)
}
return nil`,
		Analyzer: errorIgnoredIOAnalyzer,
	}
}

var errorIgnoredIOAnalyzer = &analysis.Analyzer{
	Name:             "error_ignored_io",
	Doc:              "reports discarded errors from writes, flushes, encoders, renames and database writes",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              placed(runErrorIgnoredIO, false),
}

func runErrorIgnoredIO(pass *analysis.Pass) (any, error) {
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	info := code.Info(pass)
	var imps code.Imports
	var impsFile *ast.File
calls:
	for file, c := range callIdx.All() {
		if file != impsFile {
			impsFile, imps = file, code.FileImports(file)
		}
		call := c.Node().(*ast.CallExpr)
		switch c.Parent().Node().(type) {
		case *ast.ExprStmt, *ast.AssignStmt:
		default:
			continue
		}
		if code.IsTestFile(pass.Fset, call.Pos()) {
			continue
		}
		stack := code.Stack(c)
		for i, s := range stack {
			switch s := s.(type) {
			case *ast.DeferStmt, *ast.GoStmt:
				continue calls
			case *ast.FuncLit:
				// return func() { … }: a cleanup callback the caller runs
				// later, like a deferred call, with no error result to
				// carry anything.
				if _, ok := stack[i-1].(*ast.ReturnStmt); ok && s.Type.Results.NumFields() == 0 {
					continue calls
				}
			}
		}
		if !errorDropped(stack, call) || explainedDiscard(pass.Fset, impsFile, stack) {
			continue
		}
		what := ioCallKind(info, imps, code.Body(code.OutermostFunc(stack)), stack, call)
		if what == "" {
			continue
		}
		msg := fmt.Sprintf("the error of this %s is discarded: if it fails halfway, the code carries on as if the data were written; check it and return it with context", what)
		cat := ""
		if !losesSilently(info, imps, stack, call, what) {
			// A local file's write, sync, rename or copy, or a write whose
			// function reports nothing to a caller: worth knowing, not a
			// comment (session 5: 1 of 12 such findings was judged true).
			cat = AtMostInfo
		}
		if _, blank := c.Parent().Node().(*ast.AssignStmt); blank {
			// `_ = f.Sync()`, `_, _ = db.Exec(pragma)`: the author chose to
			// drop it (errcheck's default leaves blank assignments alone
			// too). Worth knowing, not a comment; a bare call statement
			// drops it without a word, and stays a finding.
			cat = AtMostInfo
			msg += " (info: it is assigned to _ on purpose)"
		}
		pass.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Message: msg, Category: cat})
	}
	return nil, nil
}

// errorDropped reports whether call is an expression statement or has its
// last (error) result assigned to the blank identifier.
func errorDropped(stack []ast.Node, call *ast.CallExpr) bool {
	switch p := stack[len(stack)-2].(type) {
	case *ast.ExprStmt:
		return true
	case *ast.AssignStmt:
		if len(p.Rhs) != 1 || len(p.Lhs) == 0 {
			return false
		}
		id, ok := p.Lhs[len(p.Lhs)-1].(*ast.Ident)
		return ok && id.Name == "_"
	}
	return false
}

// ioCallKind names what call does when its error matters: "database write",
// "file write", "flush", "encode", "rename", "copy", "network write" or
// "HTTP request"; "" for anything else.
func ioCallKind(info *types.Info, imps code.Imports, body *ast.BlockStmt, stack []ast.Node, call *ast.CallExpr) string {
	fn := code.Callee(info, call)
	if fn == nil {
		switch {
		case code.IsPkgSelector(info, imps, call.Fun, "os", "WriteFile"):
			return "file write"
		case code.IsPkgSelector(info, imps, call.Fun, "os", "Rename"):
			return "rename"
		}
		return ""
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || !code.ReturnsError(sig) {
		return ""
	}
	recv, name, _ := code.Selector(call)
	switch {
	case code.IsMethod(fn, "database/sql", "DB", "Exec", "ExecContext"),
		code.IsMethod(fn, "database/sql", "Tx", "Exec", "ExecContext"),
		code.IsMethod(fn, "database/sql", "Conn", "ExecContext"),
		code.IsMethod(fn, "database/sql", "Stmt", "Exec", "ExecContext"):
		return "database write"
	case name == "Exec" && isPgxReceiver(fn):
		return "database write"
	case code.IsPkgFunc(fn, "os", "WriteFile"):
		return "file write"
	case code.IsPkgFunc(fn, "os", "Rename", "Link"):
		return "rename"
	case code.IsMethod(fn, "os", "File", "Write", "WriteString", "WriteAt", "ReadFrom", "Truncate"):
		if isStdStream(info, imps, recv) {
			return ""
		}
		return "file write"
	case code.IsMethod(fn, "os", "File", "Sync"):
		return "file sync"
	case code.IsMethod(fn, "os", "File", "Close"):
		if inErrorBranch(stack) {
			return "" // cleanup on a path that already returns an error
		}
		if removedAfter(info, imps, stack) {
			return "" // closed on its way to deletion: nothing written is kept
		}
		if v, ok := code.LocalVar(info, recv); ok && writerKind(info, imps, body, v, recv, call.Pos()) != "" && writtenTo(code.Uses(info, body, v)) {
			return "close of a file opened for writing"
		}
		return ""
	case code.IsMethod(fn, "bufio", "Writer", "Flush"):
		// Buffered writes fail at Flush; only a known file or connection
		// behind the buffer makes the lost error a lost write.
		if writesToDurable(info, imps, body, recv) && !inErrorBranch(stack) {
			return "flush"
		}
		return ""
	case code.IsMethod(fn, "compress/gzip", "Writer", "Flush", "Close"),
		code.IsMethod(fn, "compress/zlib", "Writer", "Flush", "Close"),
		code.IsMethod(fn, "archive/zip", "Writer", "Flush", "Close"),
		code.IsMethod(fn, "archive/tar", "Writer", "Flush", "Close"):
		if writesToStdStream(info, imps, body, recv) || inErrorBranch(stack) && strings.HasSuffix(name, "Close") {
			return ""
		}
		return "flush"
	case code.IsMethod(fn, "encoding/json", "Encoder", "Encode"),
		code.IsMethod(fn, "encoding/gob", "Encoder", "Encode"),
		code.IsMethod(fn, "encoding/xml", "Encoder", "Encode", "Flush"),
		code.IsMethod(fn, "encoding/csv", "Writer", "WriteAll"):
		if writesToStdStream(info, imps, body, recv) {
			return ""
		}
		return "encode"
	case code.IsPkgFunc(fn, "io", "Copy", "CopyN", "CopyBuffer"):
		// Only a copy into a file or a connection: into an arbitrary
		// io.Writer the error belongs to whoever chose the writer.
		if len(call.Args) > 0 && durableDst(info, imps, call.Args[0]) {
			return "copy"
		}
		return ""
	case code.IsMethod(fn, "net", "Conn", "Write"), code.IsMethod(fn, "net", "TCPConn", "Write"),
		code.IsMethod(fn, "net", "UnixConn", "Write"), code.IsMethod(fn, "crypto/tls", "Conn", "Write"):
		return "network write"
	case code.IsPkgFunc(fn, "net/http", "Get", "Post", "PostForm", "Head"),
		code.IsMethod(fn, "net/http", "Client", "Do", "Get", "Post", "PostForm", "Head"):
		return "HTTP request"
	}
	return ""
}

// isPgxReceiver reports whether fn is a method of a pgx connection, pool or
// transaction (v4 or v5).
func isPgxReceiver(fn *types.Func) bool {
	path, name := code.RecvNamed(fn)
	switch path {
	case "github.com/jackc/pgx/v5", "github.com/jackc/pgx/v4":
		return name == "Conn" || name == "Tx"
	case "github.com/jackc/pgx/v5/pgxpool", "github.com/jackc/pgx/v4/pgxpool":
		return name == "Pool" || name == "Conn" || name == "Tx"
	}
	return false
}

// isStdStream reports whether e is os.Stdout or os.Stderr.
func isStdStream(info *types.Info, imps code.Imports, e ast.Expr) bool {
	return code.IsPkgSelector(info, imps, e, "os", "Stdout", "Stderr")
}

// harmlessDst reports whether a write destination's errors carry nothing to
// act on: standard streams, io.Discard, in-memory buffers, hashes and HTTP
// response writers.
func harmlessDst(info *types.Info, imps code.Imports, e ast.Expr) bool {
	if isStdStream(info, imps, e) || code.IsPkgSelector(info, imps, e, "io", "Discard") {
		return true
	}
	t := code.TypeOf(info, e)
	if t == nil {
		return false
	}
	switch {
	case code.IsNamed(t, "bytes", "Buffer"), code.IsNamed(t, "strings", "Builder"),
		code.IsNamed(t, "net/http", "ResponseWriter"), code.IsNamed(t, "net/http/httptest", "ResponseRecorder"),
		code.IsNamed(t, "hash", "Hash"), code.IsNamed(t, "hash", "Hash32"), code.IsNamed(t, "hash", "Hash64"):
		return true
	}
	// A concrete type with WriteHeader (a middleware's wrapper) is a response writer.
	if obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "WriteHeader"); obj != nil {
		if _, ok := obj.(*types.Func); ok {
			return true
		}
	}
	return false
}

// writesToStdStream reports whether the encoder or writer recv was built
// (json.NewEncoder(x), bufio.NewWriter(x)…) or Reset over a harmless
// destination, directly or through a variable assigned once in the function.
func writesToStdStream(info *types.Info, imps code.Imports, body *ast.BlockStmt, recv ast.Expr) bool {
	for _, dst := range writerDsts(info, body, recv) {
		if harmlessDst(info, imps, dst) {
			return true
		}
	}
	return false
}

// writesToDurable reports whether the writer recv is known to write to a
// file or a network connection.
func writesToDurable(info *types.Info, imps code.Imports, body *ast.BlockStmt, recv ast.Expr) bool {
	for _, dst := range writerDsts(info, body, recv) {
		if durableDst(info, imps, dst) {
			return true
		}
	}
	return false
}

// writerDsts returns what the writer or encoder recv writes into, as far as
// the function shows: the first argument of its constructor call, and of
// any Reset(dst) on it. A constructor wrapping another (json.NewEncoder(
// bufio.NewWriter(f))) yields the inner destination.
func writerDsts(info *types.Info, body *ast.BlockStmt, recv ast.Expr) []ast.Expr {
	var ctors []*ast.CallExpr
	if c, ok := ast.Unparen(recv).(*ast.CallExpr); ok {
		ctors = append(ctors, c)
	} else if v, isVar := code.LocalVar(info, recv); isVar && body != nil {
		for _, u := range code.Uses(info, body, v) {
			if u.Kind == code.UseMethodCall && u.Name == "Reset" {
				ctors = append(ctors, u.Call)
			}
		}
		ast.Inspect(body, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 && v.Is(info, as.Lhs[0]) {
				if c, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok {
					ctors = append(ctors, c)
				}
			}
			return true
		})
	}
	var out []ast.Expr
	for _, c := range ctors {
		if len(c.Args) == 0 {
			continue
		}
		dst := c.Args[0]
		if inner, ok := ast.Unparen(dst).(*ast.CallExpr); ok && len(inner.Args) > 0 && !code.IsConversion(info, inner) {
			dst = inner.Args[0]
		}
		out = append(out, dst)
		// One more hop through a local writer: zw := s2.NewWriter(&buf);
		// json.NewEncoder(zw) writes into buf.
		if inner := ctorArg(info, body, dst); inner != nil {
			out = append(out, inner)
		}
	}
	return out
}

// ctorArg returns what a local writer variable v was built over: the first
// argument of the call it was assigned from (v := pkg.NewWriter(dst, ...)),
// or the plain value it was declared with (var bw io.Writer = w); nil when
// neither is in the function.
func ctorArg(info *types.Info, body *ast.BlockStmt, e ast.Expr) ast.Expr {
	v, ok := code.LocalVar(info, e)
	if !ok || body == nil {
		return nil
	}
	var arg ast.Expr
	from := func(rhs ast.Expr) {
		switch r := ast.Unparen(rhs).(type) {
		case *ast.CallExpr:
			if len(r.Args) > 0 && !code.IsConversion(info, r) {
				arg = r.Args[0]
			}
		case *ast.Ident, *ast.SelectorExpr:
			arg = r
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			if len(x.Rhs) == 1 && len(x.Lhs) > 0 && v.Is(info, x.Lhs[0]) {
				from(x.Rhs[0])
			}
		case *ast.ValueSpec:
			if len(x.Names) == 1 && len(x.Values) == 1 && v.Is(info, x.Names[0]) {
				from(x.Values[0])
			}
		}
		return arg == nil
	})
	return arg
}

// inErrorBranch reports whether the innermost function in stack holds the
// node inside the body of an `if … != nil` (an error path).
func inErrorBranch(stack []ast.Node) bool {
	for i := len(stack) - 1; i > 0; i-- {
		switch n := stack[i].(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return false
		case *ast.BlockStmt:
			ifs, ok := stack[i-1].(*ast.IfStmt)
			if !ok || ifs.Body != n {
				continue
			}
			if be, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr); ok && be.Op == token.NEQ && isNilIdent(be.Y) {
				return true
			}
		}
	}
	return false
}

// durableDst reports whether a copy destination is a file (not a standard
// stream) or a network connection, whose write errors mean lost data.
func durableDst(info *types.Info, imps code.Imports, e ast.Expr) bool {
	if isStdStream(info, imps, e) {
		return false
	}
	t := code.TypeOf(info, e)
	return code.IsNamed(t, "os", "File") || code.IsNamed(t, "net", "Conn") || code.IsNamed(t, "net", "TCPConn") ||
		code.IsNamed(t, "net", "UnixConn") || code.IsNamed(t, "crypto/tls", "Conn")
}

// writtenTo reports whether the uses write data to the value: a Write… or
// ReadFrom method call, or the value handed to a function (an encoder, a
// copy, a template). A file only sized (Truncate, or handed to a
// Fallocate-like call that reserves space) is an empty placeholder: its
// Close loses nothing of value, so sizing alone is not writing.
func writtenTo(uses []code.Use) bool {
	for _, u := range uses {
		if u.Kind == code.UseArg && !sizingCall(u.Call) {
			return true
		}
		if u.Kind == code.UseMethodCall && (strings.HasPrefix(u.Name, "Write") || u.Name == "ReadFrom") {
			return true
		}
	}
	return false
}

// sizingCall reports whether a call only reserves or sets a file's size:
// Fallocate, Preallocate, Truncate (unix.Fallocate(fd, …), a helper named
// so).
func sizingCall(call *ast.CallExpr) bool {
	if call == nil {
		return false
	}
	l := strings.ToLower(code.CallName(call))
	return strings.Contains(l, "fallocate") || strings.Contains(l, "preallocate") || l == "truncate" || l == "ftruncate"
}

// removedAfter reports whether a statement after the one at the end of stack,
// in the same block, removes a file (os.Remove or os.RemoveAll): the file
// being closed is thrown away.
func removedAfter(info *types.Info, imps code.Imports, stack []ast.Node) bool {
	for i := len(stack) - 1; i > 0; i-- {
		block, ok := stack[i-1].(*ast.BlockStmt)
		if !ok {
			continue
		}
		after := false
		for _, st := range block.List {
			if st == stack[i] {
				after = true
				continue
			}
			if !after {
				continue
			}
			found := false
			ast.Inspect(st, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok && code.IsPkgCall(info, imps, c, "os", "Remove", "RemoveAll") {
					found = true
				}
				return !found
			})
			if found {
				return true
			}
		}
		return false
	}
	return false
}

// explainedDiscard reports whether the statement at the end of stack drops
// the call's error on purpose and says so in a comment on its line or the
// line above (in the function body): any comment for an explicit `_ =`
// (`_ = os.Rename(a, b) // the next start retries`), and one that says so
// (ignore, best effort, does not matter…) for a bare call statement
// (`os.Rename(bak, old) // ignore error`).
func explainedDiscard(fset *token.FileSet, file *ast.File, stack []ast.Node) bool {
	body := code.Body(code.EnclosingFunc(stack))
	if file == nil || body == nil {
		return false
	}
	var match func(string) bool
	switch st := stack[len(stack)-2].(type) {
	case *ast.AssignStmt:
		for _, l := range st.Lhs {
			if id, ok := l.(*ast.Ident); !ok || id.Name != "_" {
				return false
			}
		}
		match = func(string) bool { return true }
	case *ast.ExprStmt:
		match = saysIgnored
	default:
		return false
	}
	pos := stack[len(stack)-2].Pos()
	return code.CommentNear(fset, file, body.Lbrace, pos, pos, 1, match)
}

// saysIgnored reports whether a comment says an error is dropped on purpose.
func saysIgnored(text string) bool {
	l := strings.ToLower(text)
	for _, w := range []string{"ignor", "best effort", "best-effort", "not matter", "doesn't matter", "don't care",
		"harmless", "fine if", "ok if", "okay if", "may fail", "can fail", "might fail"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// losesSilently reports whether the dropped error of call, of kind what,
// loses data with no one told: a buffered or compressing writer's Flush or
// Close (the last bytes are written there), or a database, network or HTTP
// write (also an encode onto a connection) in a function that then tells
// its caller it worked: one with an error result, or an HTTP handler. A
// constant PRAGMA or SET statement tunes the session and writes no data.
func losesSilently(info *types.Info, imps code.Imports, stack []ast.Node, call *ast.CallExpr, what string) bool {
	switch what {
	case "flush":
		// Inside an http.Flusher's Flush() (no result to carry the error),
		// a compressing writer's Flush error comes back on its next Write
		// or Close, which the wrapper's writes report.
		if fd, ok := code.EnclosingFunc(stack).(*ast.FuncDecl); ok && fd.Recv != nil && fd.Name.Name == "Flush" && fd.Type.Results.NumFields() == 0 {
			return false
		}
		return true
	case "database write":
		if sessionSetting(info, call) {
			return false
		}
	case "network write", "HTTP request":
	case "encode":
		recv, _, _ := code.Selector(call)
		if !toConnection(info, writerDsts(info, code.Body(code.OutermostFunc(stack)), recv)) {
			return false
		}
	default:
		return false
	}
	return reportsSuccess(info, code.EnclosingFunc(stack))
}

// toConnection reports whether any of dsts is a network connection.
func toConnection(info *types.Info, dsts []ast.Expr) bool {
	for _, d := range dsts {
		if t := code.TypeOf(info, d); t != nil && code.HasMethods(t, "RemoteAddr", "Write") {
			return true
		}
	}
	return false
}

// reportsSuccess reports whether fn tells its caller how it went: its last
// result is an error, or it is an HTTP handler (it takes an
// http.ResponseWriter), which answers the client.
func reportsSuccess(info *types.Info, fn ast.Node) bool {
	ft := code.FuncType(fn)
	if ft == nil {
		return false
	}
	if r := ft.Results; r != nil && len(r.List) > 0 {
		if code.IsError(code.TypeOf(info, r.List[len(r.List)-1].Type)) {
			return true
		}
	}
	for _, p := range ft.Params.List {
		if code.IsNamed(code.TypeOf(info, p.Type), "net/http", "ResponseWriter") {
			return true
		}
	}
	return false
}

// sessionSetting reports whether a database write's statement is a
// constant PRAGMA or SET: a session's tuning, not data.
func sessionSetting(info *types.Info, call *ast.CallExpr) bool {
	for _, a := range call.Args {
		if tv, ok := info.Types[a]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
			q := strings.ToUpper(strings.TrimSpace(constant.StringVal(tv.Value)))
			return strings.HasPrefix(q, "PRAGMA ") || strings.HasPrefix(q, "SET ")
		}
	}
	return false
}
