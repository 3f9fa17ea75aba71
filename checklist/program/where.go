package program

import (
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
)

// Setting says where code runs, as the checks that judge by load need it:
// an unbounded read or a query per element matters where many requests run
// at once, and not in a migration or a test helper.
type Setting string

// Settings.
const (
	// Serving is code that may run many times at once: handlers, workers,
	// and anything not known to be otherwise.
	Serving Setting = "serving"
	// OneShot is code that runs once per process: start-up (main, init),
	// migrations, one-shot CLI commands and the functions only they call.
	OneShot Setting = "one-shot"
	// TestSupport is tests, test helpers, mocks, fakes and examples.
	TestSupport Setting = "test-support"
)

// WhereAnalyzer tells, for each function of a package, its [Setting] and
// whether it serves an admin-only route. Its result is a *Where.
//
// Decisions:
//
//   - By the package path and the file name, not the file's directory,
//     so that analysistest fixtures under testdata/ are judged as code: a
//     path segment testutil, testhelpers, mocks, fakes, examples (or a
//     package named ...test, ...mock(s), ...fake(s); a file ..._test.go,
//     mock_... or ..._mock.go, example_...) is test support, and so is an
//     end-to-end harness or a mock server or SDK (a segment with the word
//     e2e, or one starting mock or naming a mockserver) and a developers'
//     tool (tools/ and scripts/ at the module root, hack/, devtools/ or
//     dev-tools/ anywhere, a developer environment's devbox/, devutils/ or
//     devenv/, a command cmd/debug...); a
//     segment migrate, migrations, or a file or function named migrat... or
//     a file named for a migration version (20210416150927_refactor.go) is
//     one-shot, and so are a main package under tools/ or scripts/ and a
//     file built only with the ignore, tools or generate tag (a go:generate
//     generator run with go run).
//   - A non-test file that imports a test harness (testing, testify,
//     dockertest, testcontainers) is test support: test helpers kept
//     outside _test.go files, an integration-test tree. Only that file is:
//     services keep helpers for other packages' tests in a testing.go
//     beside their production code, and a program its helpers in one.
//   - A start-up initialiser (Init or Init... as a word, no parameters) is
//     one-shot.
//   - A main package that starts no server and has no concurrent or
//     at-least-once entry in the [Model] is a one-shot tool as a whole, and
//     so is such a package of command implementations (a path segment cli
//     or ...-cli).
//   - init, main of a main package, and the model's Once entries (a CLI
//     command's Run, cobra or urfave/cli, written inline or named as a
//     function or method value, unless it starts a server itself)
//     are one-shot; its TestOnly entries are test support;
//     its concurrent and at-least-once entries are serving, whoever
//     registers them.
//   - An unexported function (any function of a main package) that is
//     only called, plainly, from non-serving functions takes their setting:
//     reached only from Once or TestOnly entries (a call inside a CLI
//     command's Run literal counts: it runs when the command runs). Other packages cannot call
//     it, so the package sees all its callers. A function value handed on
//     (a handler, a callback), started with go or called inside a function
//     literal, and a function holding a for {}, select or range-over-channel
//     loop, stays serving: it may run for the process's life.
//   - Admin-only: a function, receiver type or package named admin..., or
//     one registered on a route whose path has an /admin segment.
var WhereAnalyzer = &analysis.Analyzer{
	Name:             "where",
	Doc:              "tells where each function runs: serving, one-shot or test support; and which serve admin-only routes",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, Analyzer},
	RunDespiteErrors: true,
	ResultType:       reflect.TypeFor[*Where](),
	Run:              code.Guard("where", runWhere),
}

// Where is the [Setting] of each function of a package.
type Where struct {
	funcs map[ast.Node]Setting // *ast.FuncDecl and entry *ast.FuncLit
	// files: the setting of a file that is not serving as a whole, for
	// code outside any declared function (a literal in a package-level
	// var, as test frameworks register their specs).
	files map[ast.Node]Setting
	admin map[ast.Node]bool // *ast.FuncDecl
	// server: a main package that serves (see ServerProcess).
	server bool
}

// ServerProcess reports whether the package is the main package of a
// server: it starts a server (ListenAndServe, Serve...) or has concurrent or
// at-least-once entries. What such a process opens at start-up, it uses
// under load.
func (w *Where) ServerProcess() bool { return w != nil && w.server }

// Of returns the setting of the code at c: that of the innermost function
// around it with one of its own (a CLI command's literal), else of its
// declared function; Serving when nothing says otherwise.
func (w *Where) Of(c inspector.Cursor) Setting {
	if w == nil {
		return Serving
	}
	// Climbing by Parent allocates nothing; Enclosing's iterator did, on
	// every call of every check that asks.
	for p := c; p.Node() != nil; p = p.Parent() {
		switch n := p.Node().(type) {
		case *ast.FuncLit:
			if s, ok := w.funcs[n]; ok {
				return s
			}
		case *ast.FuncDecl:
			if s, ok := w.funcs[n]; ok {
				return s
			}
			return Serving
		case *ast.File:
			if s, ok := w.files[n]; ok {
				return s
			}
			return Serving
		}
	}
	return Serving
}

// Quiet reports whether the code at c runs only once per process or only in
// tests: where the checks that judge by load stay silent.
func (w *Where) Quiet(c inspector.Cursor) bool { return w.Of(c) != Serving }

// Admin reports whether the code at c is in a function that serves an
// admin-only route.
func (w *Where) Admin(c inspector.Cursor) bool {
	if w == nil {
		return false
	}
	for p := range c.Enclosing((*ast.FuncDecl)(nil)) {
		return w.admin[p.Node()]
	}
	return false
}

func runWhere(pass *analysis.Pass) (any, error) {
	w := &Where{funcs: map[ast.Node]Setting{}, files: map[ast.Node]Setting{}, admin: map[ast.Node]bool{}}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	model, _ := pass.ResultOf[Analyzer].(*Model)
	info := pass.TypesInfo
	// A main package with no main function is a Go plugin, loaded into a
	// host process that calls its exported functions: judged like a
	// library, not as a tool that runs and exits.
	isMain := pass.Pkg.Name() == "main" && pass.Pkg.Scope().Lookup("main") != nil
	pkgSetting := settingOfPath(pass.Pkg.Path(), pass.Pkg.Name())

	pkgAdmin := hasSegment(strings.ToLower(pass.Pkg.Path()), "admin")

	entryAt := map[token.Pos]Delivery{}
	serves := false
	if model != nil {
		for _, e := range model.Entries {
			entryAt[e.Pos] = e.Delivery
			if e.Delivery == Concurrent || e.Delivery == AtLeastOnce {
				serves = true
			}
		}
	}
	decls := map[*types.Func]*ast.FuncDecl{}
	adminFuncs := map[*types.Func]bool{}
	commands := commandFuncs(info, insp)
	for c := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := c.Node().(*ast.CallExpr)
		if StartsServing(info, call) {
			serves = true
		}
		if info != nil {
			if fn := adminRoute(info, call); fn != nil {
				adminFuncs[fn] = true
			}
		}
	}
	if pkgSetting == Serving && devToolPath(relPath(pass)) {
		pkgSetting = TestSupport // a developer's tool: it serves the developer
	}
	w.server = isMain && serves
	if isMain && !serves && pkgSetting == Serving {
		pkgSetting = OneShot // a tool: it runs and exits
	}
	if pkgSetting == Serving && (toolsPackage(pass, isMain) || (cliPackage(pass.Pkg.Path()) && !serves)) {
		pkgSetting = OneShot
	}

	for fc := range insp.Root().Children() {
		file, ok := fc.Node().(*ast.File)
		if !ok {
			continue
		}
		fileSetting := pkgSetting
		if fileSetting == Serving {
			fileSetting = settingOfFile(filepath.Base(pass.Fset.Position(file.Pos()).Filename))
		}
		if fileSetting == Serving {
			fileSetting = settingOfBuild(file)
		}
		if fileSetting == Serving && harnessFile(pass, file) {
			// Test helpers kept outside _test.go files (a testing.go that
			// exports helpers for other packages' tests, an integration
			// tree): that file is test support, the package is not.
			fileSetting = TestSupport
		}
		if fileSetting != Serving {
			w.files[file] = fileSetting
		}
		for dc := range fc.Children() {
			fd, ok := dc.Node().(*ast.FuncDecl)
			if !ok {
				continue
			}
			s := fileSetting
			name := fd.Name.Name
			var defined *types.Func
			if info != nil {
				defined, _ = info.Defs[fd.Name].(*types.Func)
			}
			switch {
			case s != Serving:
			case defined != nil && commands[defined] && !callsServe(fd):
				s = OneShot // a command's RunE named, not written inline
			case fd.Recv == nil && (name == "init" || (isMain && name == "main")):
				s = OneShot
			case strings.Contains(strings.ToLower(name), "migrat"):
				s = OneShot
			case initializer(fd):
				s = OneShot
			case entryAt[fd.Name.Pos()] == Once:
				s = OneShot
			case entryAt[fd.Name.Pos()] == TestOnly:
				s = TestSupport
			case entryAt[fd.Name.Pos()] != "":
				w.funcs[fd] = Serving // an entry point the runtime calls under load
			}
			if s != Serving {
				w.funcs[fd] = s
			}
			var obj *types.Func
			if info != nil {
				obj, _ = info.Defs[fd.Name].(*types.Func)
			}
			if obj != nil {
				decls[obj] = fd
			}
			if pkgAdmin || adminFuncs[obj] || strings.Contains(strings.ToLower(name), "admin") || adminRecv(fd) {
				w.admin[fd] = true
			}
			for lc := range dc.Preorder((*ast.FuncLit)(nil)) {
				switch entryAt[lc.Node().Pos()] {
				case Once:
					if !callsServe(lc.Node()) {
						w.funcs[lc.Node()] = OneShot // a command that starts a server serves
					}
				case TestOnly:
					w.funcs[lc.Node()] = TestSupport
				case Concurrent, AtLeastOnce:
					if fileSetting != TestSupport {
						// A handler literal serves, even inside main; one in
						// test support (a test's stand-in server) serves the
						// test.
						w.funcs[lc.Node()] = Serving
					}
				}
			}
		}
	}
	if info != nil {
		w.propagate(insp, info, decls, isMain)
	}
	return w, nil
}

// propagate gives an unexported function referred to only from non-serving
// functions their setting, until nothing changes.
func (w *Where) propagate(insp *inspector.Inspector, info *types.Info, decls map[*types.Func]*ast.FuncDecl, isMain bool) {
	// refs: for each function of the package, the declared functions (or
	// entry literals) that mention it; a mention outside any function (a
	// package-level var) counts as serving.
	refs := map[*types.Func][]inspector.Cursor{}
	outside := map[*types.Func]bool{}
	long := map[*types.Func]bool{} // longRunning, judged once per function
	isLong := func(fn *types.Func) bool {
		l, ok := long[fn]
		if !ok {
			l = longRunning(info, decls[fn])
			long[fn] = l
		}
		return l
	}
	for c := range insp.Root().Preorder((*ast.Ident)(nil)) {
		fn, ok := info.Uses[c.Node().(*ast.Ident)].(*types.Func)
		if !ok || decls[fn.Origin()] == nil {
			continue
		}
		fn = fn.Origin()
		inFunc := false
		for range c.Enclosing((*ast.FuncDecl)(nil)) {
			inFunc = true
		}
		if !inFunc || !plainCall(c) || (inLiteral(c) && !w.inSettledLiteral(c)) || isLong(fn) {
			outside[fn] = true
			continue
		}
		refs[fn] = append(refs[fn], c)
	}
	for range 8 {
		changed := false
		for fn, fd := range decls {
			if _, ok := w.funcs[fd]; ok || outside[fn] || len(refs[fn]) == 0 || (fn.Exported() && !isMain) {
				continue
			}
			s := TestSupport
			for _, c := range refs[fn] {
				if code := w.Of(c); code == Serving {
					s = Serving
					break
				} else if code == OneShot {
					s = OneShot
				}
			}
			if s != Serving {
				w.funcs[fd] = s
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}

// inLiteral reports whether the identifier at c sits in a function literal
// inside its declared function: a closure may run later, in a goroutine or
// as a callback, for the life of the process.
func inLiteral(c inspector.Cursor) bool {
	for range c.Enclosing((*ast.FuncLit)(nil)) {
		return true
	}
	return false
}

// inSettledLiteral reports whether the innermost function literal around c
// is an entry with a setting of its own other than serving (a CLI
// command's Run): what it calls plainly runs when it runs, once.
func (w *Where) inSettledLiteral(c inspector.Cursor) bool {
	for p := range c.Enclosing((*ast.FuncLit)(nil)) {
		s, ok := w.funcs[p.Node()]
		return ok && s != Serving
	}
	return false
}

// callsServe reports whether code under n starts a server itself.
func callsServe(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && startsServer(sel.Sel.Name) {
				found = true
			}
		}
		return !found
	})
	return found
}

// plainCall reports whether the identifier at c names the function of a
// call that is not a go statement's: run() or s.setup(), not go worker()
// nor a function value handed on (a handler, a callback), which run later
// and maybe for the whole life of the process.
func plainCall(c inspector.Cursor) bool {
	p := c.Parent()
	if sel, ok := p.Node().(*ast.SelectorExpr); ok && sel.Sel == c.Node() {
		p = p.Parent()
	}
	call, ok := p.Node().(*ast.CallExpr)
	if !ok || (ast.Unparen(call.Fun) != c.Node() && !isSelOf(call.Fun, c.Node())) {
		return false
	}
	_, inGo := p.Parent().Node().(*ast.GoStmt)
	return !inGo
}

func isSelOf(e ast.Expr, id ast.Node) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	return ok && sel.Sel == id
}

// longRunning reports whether a function holds a loop with no condition, a
// select, or a range over a channel (a ticker, a queue): a function that
// serves for as long as the process lives, whoever calls it.
func longRunning(info *types.Info, fd *ast.FuncDecl) bool {
	if fd == nil || fd.Body == nil {
		return false
	}
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt:
			if x.Cond == nil {
				found = true
			}
		case *ast.SelectStmt:
			found = true
		case *ast.RangeStmt:
			if t := info.TypeOf(x.X); t != nil {
				if _, ok := t.Underlying().(*types.Chan); ok {
					found = true // for range ticker.C, for msg := range ch
				}
			}
		}
		return !found
	})
	return found
}

// IsTestSupport reports whether a file of the package with this import path
// and name is test support by the path and file rules Where judges by:
// tests, test helpers, mocks, fakes and examples. Checks that do not need a
// whole Where (they judge one position) ask this instead, so that both kinds
// of check draw the line in one place.
func IsTestSupport(pkgPath, pkgName, filename string) bool {
	return settingOfPath(pkgPath, pkgName) == TestSupport || settingOfFile(filepath.Base(filename)) == TestSupport
}

// settingOfPath judges a package by its import path and name.
func settingOfPath(path, name string) Setting {
	p := strings.ToLower(path)
	n := strings.ToLower(name)
	for _, s := range []string{"testutil", "testutils", "testhelper", "testhelpers", "testing", "testenv", "test", "tests", "mocks", "mock", "fakes", "fake", "examples", "example", "_examples"} {
		if hasSegment(p, s) {
			return TestSupport
		}
	}
	for s := range strings.SplitSeq(p, "/") {
		if harnessSegment(s) {
			return TestSupport
		}
	}
	if (strings.HasSuffix(n, "test") && !englishTest[n]) || strings.HasSuffix(n, "mock") || strings.HasSuffix(n, "mocks") || strings.HasSuffix(n, "fake") || strings.HasSuffix(n, "fakes") {
		return TestSupport
	}
	prev := ""
	for seg := range strings.SplitSeq(p, "/") {
		if demoSegment(prev, seg) {
			return TestSupport // cmd/demo, cmd/app-demo-p2p: a demonstration, not the product
		}
		prev = seg
	}
	for _, s := range []string{"e2e", "e2etest", "e2etests", "mockserver", "mocksdk"} {
		if hasSegment(p, s) {
			return TestSupport
		}
	}
	for seg := range strings.SplitSeq(p, "/") {
		if strings.HasPrefix(seg, "mock") || strings.Contains(seg, "mockserver") {
			return TestSupport // mocks, mocksdk, destinationmockserver
		}
	}
	for _, s := range []string{"migrate", "migrations", "migration", "migrator", "hack"} {
		if hasSegment(p, s) {
			return OneShot
		}
	}
	return Serving
}

// demoSegment reports whether a path segment, after the segment prev,
// names a demonstration program: demos, demo as one of its dash- or
// underscore-joined words (dendrite-demo-yggdrasil, demo_server), or demo
// alone under cmd or contrib. A module or package that is only named demo
// (example.com/demo) may be the product; a word that only contains it
// (democracy, demote) is not one.
func demoSegment(prev, seg string) bool {
	if seg == "demos" || (seg == "demo" && (prev == "cmd" || prev == "contrib")) {
		return true
	}
	words := strings.FieldsFunc(seg, func(r rune) bool { return r == '-' || r == '_' })
	return len(words) > 1 && slices.Contains(words, "demo")
}

// initializer reports whether fd is a start-up initialiser: named Init or
// Init... as a word (InitFromFile, initDB, Init_store; not Initiate...) and
// taking no parameters, so that nothing a request sends can reach it.
func initializer(fd *ast.FuncDecl) bool {
	name := fd.Name.Name
	if fd.Recv == nil && name == "init" {
		return false // the package's init: judged above
	}
	rest, ok := strings.CutPrefix(name, "Init")
	if !ok {
		rest, ok = strings.CutPrefix(name, "init")
	}
	if !ok || (rest != "" && !(rest[0] >= 'A' && rest[0] <= 'Z') && rest[0] != '_') {
		return false
	}
	return fd.Type.Params == nil || len(fd.Type.Params.List) == 0
}

// harnessSegment reports whether a path segment names test support beyond
// the fixed names above: an end-to-end harness (a word e2e or e2etest...:
// e2e, e2e_tests, api-e2e, e2etests; not e2ee, end-to-end encryption) or a
// mock server or SDK (mockserver, destinationmockserver, mocksdk).
func harnessSegment(seg string) bool {
	if strings.Contains(seg, "mock") {
		return true
	}
	for _, w := range strings.FieldsFunc(seg, func(r rune) bool { return r == '_' || r == '-' || r == '.' }) {
		if w == "e2e" || strings.HasPrefix(w, "e2etest") {
			return true
		}
	}
	return false
}

// toolsPackage reports whether a package is a developer tool kept under a
// tools or scripts directory: a main package under any tools/ or scripts/
// (a dev server included), or any package under the module's top-level
// tools/. A library named tools or scripts deeper in the tree is often a
// helper of the service (Lua scripts for Redis, say), so it is not judged
// by its name.
func toolsPackage(pass *analysis.Pass, isMain bool) bool {
	p := strings.ToLower(pass.Pkg.Path())
	if isMain && (hasSegment(p, "tools") || hasSegment(p, "tool") || hasSegment(p, "scripts") || hasSegment(p, "script")) {
		return true
	}
	if pass.Module == nil || pass.Module.Path == "" {
		return false
	}
	return p == pass.Module.Path+"/tools" || strings.HasPrefix(p, pass.Module.Path+"/tools/")
}

// cliPackage reports whether a package holds a command line's commands by
// its path: a segment cli, or one ending in -cli (cmd/shop-cli/support).
// Such a package that starts no server and has no concurrent or
// at-least-once entry runs its commands once, like a tool's main package.
func cliPackage(path string) bool {
	for seg := range strings.SplitSeq(strings.ToLower(path), "/") {
		if seg == "cli" || strings.HasSuffix(seg, "-cli") {
			return true
		}
	}
	return false
}

// relPath returns the package's path relative to its module root; the
// whole path when no module is known (a GOPATH-style load).
func relPath(pass *analysis.Pass) string {
	if pass.Module == nil {
		return pass.Pkg.Path()
	}
	return strings.TrimPrefix(pass.Pkg.Path(), pass.Module.Path+"/")
}

// devToolPath reports whether a package path relative to its module root
// holds developers' tools, which never run in production: a first segment
// tools or scripts (a tree beside the service, not a package named so deep
// inside it, which may be an agent's tools or the Lua scripts a service
// runs on Redis), a segment hack, devtools or dev-tools anywhere, a
// developer environment's segment (devbox, devutils, devenv, or one
// starting devbox-), or a command under cmd/ named for debugging
// (cmd/debug-server: a request dumper nobody deploys).
func devToolPath(rel string) bool {
	segs := strings.Split(strings.ToLower(rel), "/")
	for i, s := range segs {
		switch {
		case i == 0 && (s == "tools" || s == "scripts"),
			s == "hack", s == "devtools", s == "dev-tools",
			s == "devbox", s == "devutils", s == "devenv", strings.HasPrefix(s, "devbox-"),
			i > 0 && segs[i-1] == "cmd" && strings.HasPrefix(s, "debug"):
			return true
		}
	}
	return false
}

// settingOfBuild judges a file by its build constraint: a file built only
// with the ignore tag (a go:generate generator run with go run) or the
// tools tag (a tools.go pinning build-time tools) is a build-time tool.
func settingOfBuild(f *ast.File) Setting {
	for _, cg := range f.Comments {
		if cg.Pos() > f.Package {
			break
		}
		for _, c := range cg.List {
			line, ok := strings.CutPrefix(c.Text, "//go:build ")
			if !ok {
				continue
			}
			for tag := range strings.FieldsSeq(line) {
				if tag == "ignore" || tag == "tools" || tag == "generate" {
					return OneShot
				}
			}
		}
	}
	return Serving
}

// englishTest are package names ending in "test" that are words, not test
// support packages (storetest, httptest).
var englishTest = map[string]bool{"latest": true, "fastest": true, "greatest": true, "shortest": true,
	"contest": true, "protest": true, "attest": true, "detest": true}

// settingOfFile judges a file by its base name.
func settingOfFile(base string) Setting {
	b := strings.ToLower(base)
	switch {
	case strings.HasSuffix(b, "_test.go"), strings.HasPrefix(b, "mock_"), strings.HasSuffix(b, "_mock.go"),
		strings.HasPrefix(b, "example_"), strings.HasPrefix(b, "fake_"):
		return TestSupport
	case strings.Contains(b, "migrat"), versionedMigration(b):
		return OneShot
	}
	return Serving
}

// versionedMigration reports whether a file's base name starts with a
// migration version the way goose and golang-migrate name them: eight or
// more digits (a date or timestamp) and an underscore, as in
// 20210416150927_state_blocks_refactor.go.
func versionedMigration(base string) bool {
	digits := 0
	for digits < len(base) && base[digits] >= '0' && base[digits] <= '9' {
		digits++
	}
	return digits >= 8 && digits < len(base) && base[digits] == '_'
}

// hasSegment reports whether slash-separated path p has segment seg.
func hasSegment(p, seg string) bool {
	for s := range strings.SplitSeq(p, "/") {
		if s == seg {
			return true
		}
	}
	return false
}

// startsServer reports whether a method name starts serving: net/http's,
// gRPC's and the common routers' (gin's Run is left out: too common a name).
func startsServer(name string) bool {
	switch name {
	case "ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS", "RunTLS", "StartTLS":
		return true
	}
	return false
}

// StartsServing reports whether a call starts a server: net/http's,
// gRPC's and the common routers' Serve and ListenAndServe kinds
// ([startsServer]), or a web framework's under a name too common to trust
// alone ([frameworkServe]).
func StartsServing(info *types.Info, call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && (startsServer(sel.Sel.Name) || frameworkServe(info, call))
}

// frameworkServe reports whether a call starts a web framework's server
// under a name too common to trust alone: gin's Run, echo's Start, fiber's
// and iris's Listen, beego's Run.
func frameworkServe(info *types.Info, call *ast.CallExpr) bool {
	if info == nil {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	s := info.Selections[sel]
	if s == nil || s.Obj().Pkg() == nil {
		return false
	}
	path := s.Obj().Pkg().Path()
	for _, f := range []struct{ pkg, names string }{
		{"github.com/gin-gonic/gin", " Run RunTLS RunUnix RunListener "},
		{"github.com/labstack/echo", " Start StartServer StartAutoTLS "},
		{"github.com/gofiber/fiber", " Listen ListenTLS Listener "},
		{"github.com/kataras/iris", " Listen Run "},
		{"github.com/beego/beego", " Run "},
	} {
		if strings.HasPrefix(path, f.pkg) && strings.Contains(f.names, " "+sel.Sel.Name+" ") {
			return true
		}
	}
	return false
}

// adminRoute returns the function a call registers on a route with an
// /admin segment (mux.HandleFunc("/admin/users", h.users)), if any.
func adminRoute(info *types.Info, call *ast.CallExpr) *types.Func {
	admin := false
	for _, a := range call.Args {
		if bl, ok := ast.Unparen(a).(*ast.BasicLit); ok && bl.Kind == token.STRING {
			r := strings.ToLower(strings.Trim(bl.Value, "\"`"))
			if _, path, ok := strings.Cut(r, " "); ok {
				r = path // "POST /admin/users"
			}
			admin = hasSegment(r, "admin")
		}
	}
	if !admin {
		return nil // the handler is looked for only on an /admin route
	}
	var fn *types.Func
	for _, a := range call.Args {
		a = ast.Unparen(a)
		if bl, ok := a.(*ast.BasicLit); ok && bl.Kind == token.STRING {
			continue
		}
		if f := funcValue(info, a); f != nil {
			fn = f
		} else if f := serveHTTP(info.TypeOf(a)); f != nil {
			fn = f
		}
	}
	if fn == nil {
		return nil
	}
	return fn.Origin()
}

// adminRecv reports whether a method's receiver type is named admin...
func adminRecv(fd *ast.FuncDecl) bool {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return false
	}
	t := fd.Recv.List[0].Type
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	if ix, ok := t.(*ast.IndexExpr); ok {
		t = ix.X
	}
	id, ok := t.(*ast.Ident)
	return ok && strings.Contains(strings.ToLower(id.Name), "admin")
}

// commandFuncs returns the declared functions a CLI command runs by name:
// cobra's Run, RunE, PreRunE... and urfave/cli's Action set to a function
// or method value (RunE: runMigrate, RunE: ctx.ExportRunE), or handed to a
// call there (PersistentPreRunE: ctx.Chain(ctx.LoadConfig, ctx.Validate)).
// The literal form is an entry of the model (cliCommand).
func commandFuncs(info *types.Info, insp *inspector.Inspector) map[*types.Func]bool {
	out := map[*types.Func]bool{}
	if info == nil {
		return out
	}
	for c := range insp.Root().Preorder((*ast.KeyValueExpr)(nil)) {
		kv := c.Node().(*ast.KeyValueExpr)
		key, ok := kv.Key.(*ast.Ident)
		lit, isLit := c.Parent().Node().(*ast.CompositeLit)
		if !ok || !isLit || !CommandRun(info, lit, key.Name) {
			continue
		}
		vals := []ast.Expr{kv.Value}
		if call, ok := ast.Unparen(kv.Value).(*ast.CallExpr); ok {
			vals = call.Args
		}
		for _, v := range vals {
			if fn := funcValue(info, v); fn != nil {
				out[fn.Origin()] = true
			}
		}
	}
	return out
}

// CommandRun reports whether field (a key of the composite literal cmd, or
// a field assigned on cmd: cmd.RunE = ...) holds what a CLI command runs:
// cobra.Command's Run, RunE, PreRunE, PersistentPreRunE... or urfave/cli
// Command's Action.
func CommandRun(info *types.Info, cmd ast.Expr, field string) bool {
	if info == nil || (!strings.Contains(field, "Run") && field != "Action") {
		return false
	}
	return commandType(info.TypeOf(cmd), field == "Action")
}

// commandType reports whether t is cobra's Command (urfave/cli's, for an
// Action), or a pointer to it.
func commandType(t types.Type, action bool) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Name() != "Command" {
		return false
	}
	if action {
		return strings.Contains(n.Obj().Pkg().Path(), "urfave/cli")
	}
	return strings.HasSuffix(n.Obj().Pkg().Path(), "spf13/cobra")
}

// harnessFile reports whether f, a non-test file, imports a test harness.
func harnessFile(pass *analysis.Pass, f *ast.File) bool {
	if strings.HasSuffix(pass.Fset.Position(f.Pos()).Filename, "_test.go") {
		return false
	}
	for _, spec := range f.Imports {
		p := strings.Trim(spec.Path.Value, "\"`")
		if p == "testing" || strings.HasPrefix(p, "github.com/stretchr/testify") ||
			strings.HasPrefix(p, "github.com/ory/dockertest") || strings.HasPrefix(p, "github.com/testcontainers/testcontainers-go") {
			return true
		}
	}
	return false
}

// Lasts reports whether a function body (not its literals') holds what
// keeps it running for the life of the process: a select, a range over a
// channel, or a loop with no condition that sleeps or receives (a worker, a
// ticker, a consumer). A tool's for {} that reads until EOF and breaks does
// not count.
func Lasts(info *types.Info, body *ast.BlockStmt) bool {
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt:
			found = found || (x.Cond == nil && waits(info, x.Body))
		case *ast.SelectStmt:
			found = true
		case *ast.RangeStmt:
			if info != nil {
				if t := info.TypeOf(x.X); t != nil {
					_, isChan := t.Underlying().(*types.Chan)
					found = found || isChan
				}
			}
		}
		return !found
	})
	return found
}

// waits reports whether a loop body sleeps (time.Sleep) or receives from a
// channel: the beat of a loop that runs until the process stops.
func waits(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.UnaryExpr:
			found = found || x.Op == token.ARROW
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Sleep" && info != nil {
				if id, ok := sel.X.(*ast.Ident); ok {
					if pn, ok := info.Uses[id].(*types.PkgName); ok && pn.Imported().Path() == "time" {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}
