package checklist

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"os"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func writeCloseUncheckedCheck() *Check {
	return &Check{
		Question: finding.FailsHalfway,
		Severity: finding.SeverityError,
		Title:    "deferred Close of a writer drops its error",
		Rationale: "For a file opened for writing, Close is where the kernel reports a full disk, a quota or a failed " +
			"network-filesystem write; for gzip, zip, tar and cloud-storage writers, Close writes the last block " +
			"or commits the upload. `defer f.Close()` throws that error away, so the function returns success " +
			"over a truncated or missing file, and the next step (upload, rename, acknowledge) builds on lost " +
			"data. The check reports deferred Close calls whose error is dropped on files from os.Create, " +
			"os.CreateTemp and os.OpenFile with a write flag, on compress/archive writers and on io.WriteCloser " +
			"values, and on any *os.File the function writes itself (Write, WriteString, WriteAt, ReadFrom) " +
			"wherever it was opened, unless the function also checks an explicit Close (or Sync) of the same value, or the writer " +
			"writes into an http.ResponseWriter, a standard stream or memory, where a failed Close has no one left to tell. " +
			"An *os.File's Close (its writes reported their own errors) and an io.WriteCloser's (what it is is not " +
			"in sight) are at most info; writers known to flush on Close keep the error. " +
			"Where it speaks: every function of the module, at error; a file only read, or only sized (Truncate, " +
			"a Fallocate-like call: an empty placeholder), is silent; test support (tests, mocks, fakes, examples, end-to-end harnesses) is silent, and one-shot code (start-up, migrations, CLI commands, build-time generators and dev tools under hack/, scripts/ or tools/) is at most info unless it loops for the life of the process.",
		Fix: "Close explicitly and return its error, or defer a closure that stores it in the named error result.",
		Bad: `f, err := os.Create(path)
if err != nil {
	return err
}
defer f.Close()
_, err = f.Write(data)
return err`,
		Good: `f, err := os.Create(path)
if err != nil {
	return err
}
if _, err := f.Write(data); err != nil {
	f.Close()
	return err
}
return f.Close()`,
		Analyzer: writeCloseUncheckedAnalyzer,
	}
}

var writeCloseUncheckedAnalyzer = &analysis.Analyzer{
	Name:             "write_close_unchecked",
	Doc:              "reports deferred Close calls on writers whose error is dropped",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, program.Analyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              placed(runWriteCloseUnchecked, false),
}

// commitOnClose are writer types whose Close writes data or commits it.
var commitOnClose = [][2]string{
	{"compress/gzip", "Writer"}, {"compress/zlib", "Writer"}, {"compress/flate", "Writer"},
	{"compress/lzw", "Writer"}, {"archive/zip", "Writer"}, {"archive/tar", "Writer"},
	{"cloud.google.com/go/storage", "Writer"}, {"github.com/klauspost/compress/gzip", "Writer"},
	{"github.com/klauspost/compress/zstd", "Encoder"}, {"github.com/klauspost/compress/zlib", "Writer"},
	{"github.com/pierrec/lz4/v4", "Writer"}, {"io", "WriteCloser"},
}

func runWriteCloseUnchecked(pass *analysis.Pass) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := code.Info(pass)
	var imps code.Imports
	var impsFile *ast.File
	ins.WithStack([]ast.Node{(*ast.DeferStmt)(nil)}, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push {
			return true
		}
		if f, ok := stack[0].(*ast.File); ok && f != impsFile {
			impsFile, imps = f, code.FileImports(f)
		}
		def := n.(*ast.DeferStmt)
		body := code.Body(code.OutermostFunc(stack))
		if body == nil || testOnlyCode(pass, def.Pos()) {
			return true
		}
		for _, closeCall := range droppedCloses(def) {
			recv, _, _ := code.Selector(closeCall)
			v, ok := code.LocalVar(info, recv)
			if !ok {
				continue
			}
			what := writerKind(info, imps, body, v, recv, def.Pos())
			if what == "" && code.IsPointerTo(code.TypeOf(info, recv), "os", "File") && writesFile(code.Uses(info, body, v)) {
				// Opened through a helper or with flags in a variable: the
				// function writing to it is what makes it a written file.
				what = "a file being written"
			}
			if what == "" || closeCheckedElsewhere(info, body, v) || closedInBody(info, body, v) || !writtenTo(code.Uses(info, body, v)) ||
				writesToStdStream(info, imps, body, recv) || overResponseParam(code.OutermostFunc(stack), writerDsts(info, body, recv)) {
				continue
			}
			msg := fmt.Sprintf("deferred %s.Close() drops the error of %s: Close is where a full disk or a failed final write shows up, so the function reports success over lost data; close explicitly and return the error, or set the named error result in the deferred func", v.Name, what)
			cat := ""
			if code.IsPointerTo(code.TypeOf(info, recv), "os", "File") {
				// An *os.File writes through on every Write, whose errors the
				// function sees; its Close fails mainly on network
				// filesystems and delayed allocation. Worth knowing, not a
				// comment; the writers that flush on Close (gzip, zip, tar,
				// cloud storage) are where data is lost.
				cat = AtMostInfo
				msg += " (info: an *os.File's writes already reported their errors; Close fails mainly on network filesystems)"
			}
			if code.IsNamed(code.TypeOf(info, recv), "io", "WriteCloser") && !mailData(info, body, v) {
				// Any writer behind an interface: whether its Close writes
				// anything is not in sight. Worth knowing, not a comment.
				cat = AtMostInfo
				msg += " (info: what this io.WriteCloser is, and whether its Close writes, is not in sight)"
			}
			pass.Report(analysis.Diagnostic{Pos: closeCall.Pos(), End: closeCall.End(), Message: msg, Category: cat})
		}
		return true
	})
	return nil, nil
}

// mailData reports whether v is assigned the writer of an SMTP DATA
// command (w, err := c.Data()): its Close sends the final dot and reads the
// server's verdict, so a dropped Close reports a rejected mail as sent.
func mailData(info *types.Info, body *ast.BlockStmt, v code.Var) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || found || len(as.Rhs) != 1 || len(as.Lhs) == 0 {
			return !found
		}
		call, isCall := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !isCall || !v.Is(info, as.Lhs[0]) {
			return true
		}
		if fn := code.Callee(info, call); fn != nil && fn.Name() == "Data" {
			path, name := code.RecvNamed(fn)
			found = name == "Client" && (path == "net/smtp" || path == "github.com/emersion/go-smtp")
		}
		return !found
	})
	return found
}

// droppedCloses returns the x.Close() calls a defer statement makes with
// their result dropped: `defer x.Close()` itself, or inside a deferred
// function literal as a statement or assigned to the blank identifier.
func droppedCloses(def *ast.DeferStmt) []*ast.CallExpr {
	if _, name, ok := code.Selector(def.Call); ok && name == "Close" && len(def.Call.Args) == 0 {
		return []*ast.CallExpr{def.Call}
	}
	lit, ok := ast.Unparen(def.Call.Fun).(*ast.FuncLit)
	if !ok {
		return nil
	}
	var out []*ast.CallExpr
	code.WalkStack(lit.Body, func(n ast.Node, stack []ast.Node) bool {
		if _, isLit := n.(*ast.FuncLit); isLit {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if _, name, ok := code.Selector(call); ok && name == "Close" && len(call.Args) == 0 && code.Discarded(stack, call) {
			out = append(out, call)
		}
		return true
	})
	return out
}

// writerKind says what v is when it is a writer whose Close matters: "a file
// opened for writing", or "a <type> writer". It returns "" otherwise.
func writerKind(info *types.Info, imps code.Imports, body *ast.BlockStmt, v code.Var, recv ast.Expr, before token.Pos) string {
	if t := code.TypeOf(info, recv); t != nil {
		for _, w := range commitOnClose {
			if code.IsNamed(t, w[0], w[1]) {
				return types.TypeString(t, func(p *types.Package) string { return p.Name() })
			}
		}
	}
	// Where did the value come from? The last assignment before the Close
	// decides: a file reopened read-only (f, err = os.Open(f.Name())) has
	// nothing left to flush.
	// A deferred closure may also close a value assigned after it; then the
	// first assignment decides.
	kind, after, sawBefore, sawAfter := "", "", false, false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 || len(as.Lhs) == 0 || !v.Is(info, as.Lhs[0]) {
			return true
		}
		call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok {
			return true
		}
		k := kindOf(info, imps, recv, call)
		switch {
		case !before.IsValid() || as.Pos() < before:
			kind, sawBefore = k, true
		case !sawAfter:
			after, sawAfter = k, true
		}
		return true
	})
	if !sawBefore {
		return after
	}
	return kind
}

// kindOf names the writer a constructor or open call returns, or "".
func kindOf(info *types.Info, imps code.Imports, recv ast.Expr, call *ast.CallExpr) string {
	untyped := code.TypeOf(info, recv) == nil
	switch {
	case code.IsPkgCall(info, imps, call, "os", "Create", "CreateTemp"):
		return "a file opened for writing"
	case code.IsPkgCall(info, imps, call, "os", "OpenFile") && len(call.Args) >= 2 && writeFlag(info, call.Args[1]):
		return "a file opened for writing"
	case untyped && code.IsPkgCall(info, imps, call, "compress/gzip", "NewWriter", "NewWriterLevel"),
		untyped && code.IsPkgCall(info, imps, call, "archive/zip", "NewWriter"),
		untyped && code.IsPkgCall(info, imps, call, "archive/tar", "NewWriter"):
		return "a compressing or archive writer"
	}
	return ""
}

// writeFlag reports whether an os.OpenFile flag argument opens for writing.
func writeFlag(info *types.Info, e ast.Expr) bool {
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		if f, ok := constant.Int64Val(constant.ToInt(tv.Value)); ok {
			return f&int64(os.O_WRONLY|os.O_RDWR|os.O_APPEND) != 0
		}
	}
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && code.OneOf(sel.Sel.Name, "O_WRONLY", "O_RDWR", "O_APPEND") {
			found = true
		}
		return !found
	})
	return found
}

// closeCheckedElsewhere reports whether the function also closes (or syncs)
// v explicitly and uses the result.
func closeCheckedElsewhere(info *types.Info, body *ast.BlockStmt, v code.Var) bool {
	for _, u := range code.Uses(info, body, v) {
		if u.Kind == code.UseMethodCall && (u.Name == "Close" || u.Name == "Sync") && u.ResultUsed() {
			return true
		}
	}
	return false
}

// closedInBody reports whether the function closes v explicitly as one of
// its own top-level statements (f.Close() or _ = f.Close()). The deferred
// Close is then only the cleanup of the early returns, and a dropped error of
// the explicit Close is error-ignored-io's finding on that line.
func closedInBody(info *types.Info, body *ast.BlockStmt, v code.Var) bool {
	for _, st := range body.List {
		var e ast.Expr
		switch st := st.(type) {
		case *ast.ExprStmt:
			e = st.X
		case *ast.AssignStmt:
			if len(st.Rhs) == 1 {
				e = st.Rhs[0]
			}
		}
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok || len(call.Args) != 0 {
			continue
		}
		if recv, name, ok := code.Selector(call); ok && name == "Close" && v.Is(info, recv) {
			return true
		}
	}
	return false
}

// overResponseParam reports, from syntax alone, whether one of dsts is a
// parameter of fn declared as an http.ResponseWriter: what a writer over a
// response fails to write has no one left to tell. (With types,
// writesToStdStream already knows.)
func overResponseParam(fn ast.Node, dsts []ast.Expr) bool {
	var ft *ast.FuncType
	switch f := fn.(type) {
	case *ast.FuncDecl:
		ft = f.Type
	case *ast.FuncLit:
		ft = f.Type
	}
	if ft == nil || ft.Params == nil {
		return false
	}
	for _, d := range dsts {
		id, ok := ast.Unparen(d).(*ast.Ident)
		if !ok {
			continue
		}
		for _, p := range ft.Params.List {
			sel, ok := p.Type.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "ResponseWriter" {
				continue
			}
			for _, n := range p.Names {
				if n.Name == id.Name {
					return true
				}
			}
		}
	}
	return false
}

// writesFile reports whether the uses write to a file by its own methods.
// Handing it to a call is not enough here: a *os.File of unknown origin
// handed on may only be read.
func writesFile(uses []code.Use) bool {
	for _, u := range uses {
		if u.Kind == code.UseMethodCall && code.OneOf(u.Name, "Write", "WriteString", "WriteAt", "ReadFrom") {
			return true
		}
	}
	return false
}
