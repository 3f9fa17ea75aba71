package checklist

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func retryAfterIgnoredCheck() *Check {
	return &Check{
		Question: finding.FailsHalfway,
		Severity: finding.SeverityWarning,
		Title:    "retry on 429/503 that never reads Retry-After",
		Rationale: "A 429 or 503 usually says when to come back, in Retry-After (seconds or an HTTP date). A client " +
			"that retries on its own schedule comes back too early, burns its quota, gets throttled for longer " +
			"or banned, and adds load to a server that asked for less; with many clients it keeps an outage " +
			"going. The check reports a comparison of an *http.Response's StatusCode with 429 or 503 that " +
			"drives a retry (it sits in a loop, or its branch sleeps or continues) in a function that never " +
			"mentions Retry-After and does not hand the response to a helper that may read it (a function of the " +
			"package that mentions it, or one outside the package and the standard library; fmt, log and io " +
			"never read it). Where it speaks: every function of the module, at warning; " +
			"test support (tests, mocks, fakes, examples, end-to-end harnesses) is silent, and one-shot code (start-up, migrations, CLI commands, build-time generators and dev tools under hack/, scripts/ or tools/) is at most info unless it loops for the life of the process.",
		Fix: "Parse Retry-After (delta seconds or HTTP date), cap it, and wait that long (or use a client that does, such as internal/httpretry).",
		Bad: `if resp.StatusCode == http.StatusTooManyRequests {
	resp.Body.Close()
	time.Sleep(backoff)
	continue
}`,
		Good: `if resp.StatusCode == http.StatusTooManyRequests {
	wait := backoff
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
		wait = min(time.Duration(s)*time.Second, maxWait)
	}
	resp.Body.Close()
	time.Sleep(wait)
	continue
}`,
		Analyzer: retryAfterIgnoredAnalyzer,
	}
}

var retryAfterIgnoredAnalyzer = &analysis.Analyzer{
	Name:             "retry_after_ignored",
	Doc:              "reports retries on 429/503 that never read Retry-After",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, program.Analyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              placed(runRetryAfterIgnored, false),
}

func runRetryAfterIgnored(pass *analysis.Pass) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := code.Info(pass)
	var imps code.Imports
	var impsFile *ast.File
	reported := map[ast.Node]bool{}
	decls := code.NewDecls(pass)
	ins.WithStack([]ast.Node{(*ast.BinaryExpr)(nil), (*ast.CaseClause)(nil)}, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push {
			return true
		}
		if f, ok := stack[0].(*ast.File); ok && f != impsFile {
			impsFile, imps = f, code.FileImports(f)
		}
		if testOnlyCode(pass, n.Pos()) {
			return true
		}
		var resp ast.Expr
		var throttle int64
		var branch ast.Node
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op != token.EQL && n.Op != token.NEQ {
				return true
			}
			resp, throttle = throttleCompare(info, imps, n.X, n.Y)
			if resp == nil {
				resp, throttle = throttleCompare(info, imps, n.Y, n.X)
			}
			if len(stack) >= 2 {
				if ifs, ok := stack[len(stack)-2].(*ast.IfStmt); ok && ifs.Cond == ast.Expr(n) {
					branch = ifs.Body
				}
			}
		case *ast.CaseClause:
			sw := enclosingSwitch(stack)
			if sw == nil || sw.Tag == nil {
				return true
			}
			for _, e := range n.List {
				if r, c := throttleCompare(info, imps, sw.Tag, e); r != nil {
					resp, throttle = r, c
				}
			}
			branch = n
		}
		if resp == nil {
			return true
		}
		fn := code.EnclosingFunc(stack)
		body := code.Body(fn)
		if body == nil || reported[fn] {
			return true
		}
		if !inLoop(stack) && !(branch != nil && sleepsOrContinues(info, imps, branch)) {
			return true // not a retry: a 429 turned into an error is the caller's to handle
		}
		if readsRetryAfter(info, decls, body, resp, 0) {
			return true
		}
		reported[fn] = true
		pass.ReportRangef(n, "this retries on %d without reading Retry-After: the server said when to come back, and retrying earlier prolongs the throttling or the outage; wait for Retry-After (capped) when it is present", throttle)
		return true
	})
	return nil, nil
}

// throttleCompare reports whether status is X.StatusCode of an
// *http.Response and value is 429 or 503; it returns X and the code.
func throttleCompare(info *types.Info, imps code.Imports, status, value ast.Expr) (ast.Expr, int64) {
	sel, ok := ast.Unparen(status).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "StatusCode" {
		return nil, 0
	}
	if t := code.TypeOf(info, sel.X); t != nil {
		if !code.IsNamed(t, "net/http", "Response") {
			return nil, 0
		}
	}
	var throttle int64
	if tv, ok := info.Types[value]; ok && tv.Value != nil {
		throttle, _ = constant.Int64Val(constant.ToInt(tv.Value))
	} else if lit, ok := ast.Unparen(value).(*ast.BasicLit); ok {
		switch lit.Value {
		case "429":
			throttle = 429
		case "503":
			throttle = 503
		}
	} else if code.IsPkgSelector(info, imps, value, "net/http", "StatusTooManyRequests") {
		throttle = 429
	} else if code.IsPkgSelector(info, imps, value, "net/http", "StatusServiceUnavailable") {
		throttle = 503
	}
	if throttle != 429 && throttle != 503 {
		return nil, 0
	}
	return sel.X, throttle
}

func enclosingSwitch(stack []ast.Node) *ast.SwitchStmt {
	for i := len(stack) - 2; i >= 0; i-- {
		if sw, ok := stack[i].(*ast.SwitchStmt); ok {
			return sw
		}
		if _, ok := stack[i].(*ast.BlockStmt); !ok {
			return nil
		}
	}
	return nil
}

// inLoop reports whether the node sits in a for or range loop of its
// function, or in a function literal defined inside one.
func inLoop(stack []ast.Node) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		case *ast.FuncDecl:
			return false
		}
	}
	return false
}

// sleepsOrContinues reports whether branch waits (time.Sleep, time.After, a
// call named like a wait) or continues a loop.
func sleepsOrContinues(info *types.Info, imps code.Imports, branch ast.Node) bool {
	found := false
	ast.Inspect(branch, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BranchStmt:
			if n.Tok == token.CONTINUE || n.Tok == token.GOTO {
				found = true
			}
		case *ast.CallExpr:
			if code.IsPkgCall(info, imps, n, "time", "Sleep", "After", "NewTimer") {
				found = true
			}
		}
		return !found
	})
	return found
}

// waitHeader reports whether a string literal names a header that says when
// to come back: Retry-After, or a rate limit's reset (X-RateLimit-Reset,
// X-Rate-Limit-Reset, RateLimit-Reset), which servers send with the same
// wait.
func waitHeader(lit string) bool {
	l := strings.ReplaceAll(strings.ToLower(lit), "-", "")
	return strings.Contains(l, "retryafter") || strings.Contains(l, "ratelimitreset")
}

// readsRetryAfter reports whether the function mentions Retry-After (a
// string, or a helper whose name says so), or hands the response to a call
// that may read it: a function of the package that mentions it (followed
// two calls deep), or one outside the package and the standard library
// (given the benefit of the doubt). The standard library never reads it
// for the caller (fmt.Errorf("%v", resp), io.Copy of its body).
func readsRetryAfter(info *types.Info, decls *code.Decls, body *ast.BlockStmt, resp ast.Expr, depth int) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BasicLit:
			if n.Kind == token.STRING && waitHeader(n.Value) {
				found = true
			}
		case *ast.Ident:
			if l := strings.ToLower(n.Name); strings.Contains(l, "retryafter") || strings.Contains(l, "ratelimitreset") {
				found = true
			}
		case *ast.CallExpr:
			if resp == nil {
				return true
			}
			for _, a := range n.Args {
				if types.ExprString(ast.Unparen(a)) != types.ExprString(resp) {
					continue
				}
				if _, name, ok := code.Selector(n); ok && name == "Close" {
					continue
				}
				if callMayReadRetryAfter(info, decls, n, depth) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// callMayReadRetryAfter judges a call the response is handed to.
func callMayReadRetryAfter(info *types.Info, decls *code.Decls, call *ast.CallExpr, depth int) bool {
	if decl := decls.Of(info, call); decl != nil {
		// The helper's own mention of Retry-After; its hand-offs are
		// followed with no response expression to match, so only names and
		// strings count below it.
		return depth < 2 && readsRetryAfter(info, decls, decl.Body, nil, depth+1)
	}
	fn := code.Callee(info, call)
	if fn == nil || fn.Pkg() == nil {
		return true // a function value: cannot tell
	}
	return !code.IsStdlib(fn.Pkg().Path())
}
