package checklist

import (
	"fmt"
	"go/ast"
	"go/types"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// fhLoadTestdata loads packages from the GOPATH-style testdata tree, or from a
// testdata module when dir holds a go.mod, keeping packages with errors.
func fhLoadTestdata(t testing.TB, dir string, gopath bool, patterns ...string) []*packages.Package {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"GOPROXY=off", "GOFLAGS=-mod=mod"}
	if gopath {
		env = []string{"GOPATH=" + abs, "GO111MODULE=off", "GOWORK=off", "GOPROXY=off"}
	}
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
			packages.NeedTypes | packages.NeedTypesSizes | packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedDeps,
		Dir:   abs,
		Tests: false,
		Env:   append(env, envWithout("GOFLAGS", "GOPATH", "GO111MODULE", "GOWORK")...),
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		t.Fatalf("load %v: %v", patterns, err)
	}
	if len(pkgs) == 0 {
		t.Fatalf("load %v: no packages", patterns)
	}
	return pkgs
}

func envWithout(keys ...string) []string {
	var out []string
	for _, kv := range osEnviron() {
		k, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, key := range keys {
			if k == key {
				drop = true
			}
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}

// failsHalfwayAnalyzers are the analyzers of the fails-halfway checks these
// broken-code cases were written for: all but the HTTP client's
// http-no-timeout and http-body-not-closed, which have their own cases in
// broken_test.go (TestBrokenPackages and TestAllTestdata run every analyzer).
func failsHalfwayAnalyzers() []*analysis.Analyzer {
	var out []*analysis.Analyzer
	for _, a := range Analyzers(failsHalfwayChecks()) {
		if a.Name != httpNoTimeoutAnalyzer.Name && a.Name != httpBodyNotClosedAnalyzer.Name {
			out = append(out, a)
		}
	}
	return out
}

// fhRunAll runs every fails-halfway analyzer over pkgs and returns the
// diagnostics as "file:line: message", failing the test on any analyzer error
// (a panic inside an analyzer surfaces as one).
func fhRunAll(t *testing.T, pkgs []*packages.Package) []string {
	t.Helper()
	return fhRun(t, pkgs, failsHalfwayAnalyzers()...)
}

// fhRun runs analyzers over pkgs like fhRunAll.
func fhRun(t *testing.T, pkgs []*packages.Package, analyzers ...*analysis.Analyzer) []string {
	t.Helper()
	graph, err := checker.Analyze(analyzers, pkgs, &checker.Options{})
	if err != nil {
		t.Fatalf("analyze: %v", err)
	}
	var out []string
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Errorf("%s on %s: %v", act.Analyzer.Name, act.Package.PkgPath, act.Err)
			continue
		}
		for _, d := range act.Diagnostics {
			p := act.Package.Fset.Position(d.Pos)
			out = append(out, fmt.Sprintf("%s:%d: %s", filepath.Base(p.Filename), p.Line, d.Message))
		}
	}
	sort.Strings(out)
	return out
}

var wantRE = regexp.MustCompile("`([^`]*)`")

// checkWants matches diagnostics against the `// want` comments of pkgs:
// every diagnostic needs a pattern on its line and every pattern a diagnostic.
func checkWants(t *testing.T, pkgs []*packages.Package, diags []string) {
	t.Helper()
	type want struct {
		re      *regexp.Regexp
		matched bool
	}
	wants := map[string][]*want{}
	for _, p := range pkgs {
		for _, f := range p.Syntax {
			for _, cg := range f.Comments {
				for _, c := range cg.List {
					text := strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))
					if !strings.HasPrefix(text, "want") {
						continue
					}
					pos := p.Fset.Position(c.Pos())
					key := fmt.Sprintf("%s:%d", filepath.Base(pos.Filename), pos.Line)
					for _, m := range wantRE.FindAllStringSubmatch(text, -1) {
						wants[key] = append(wants[key], &want{re: regexp.MustCompile(m[1])})
					}
				}
			}
		}
	}
	for _, d := range diags {
		file, rest, _ := strings.Cut(d, ":")
		line, msg, _ := strings.Cut(rest, ": ")
		found := false
		for _, w := range wants[file+":"+line] {
			if !w.matched && w.re.MatchString(msg) {
				w.matched, found = true, true
				break
			}
		}
		if !found {
			t.Errorf("unexpected diagnostic %s", d)
		}
	}
	for key, ws := range wants {
		for _, w := range ws {
			if !w.matched {
				t.Errorf("%s: no diagnostic matched %q", key, w.re)
			}
		}
	}
}

// TestFailsHalfwayBrokenCode runs every fails-halfway check over a package
// with type errors and a missing import: no check may fail or panic, and the
// checks that can work from syntax still find what they should.
func TestFailsHalfwayBrokenCode(t *testing.T) {
	pkgs := fhLoadTestdata(t, filepath.Join("testdata", "fhbroken"), true, "fhbroken")
	if len(pkgs[0].TypeErrors) == 0 && len(pkgs[0].Errors) == 0 {
		t.Fatal("fhbroken type-checked cleanly; it must carry errors to test degradation")
	}
	checkWants(t, pkgs, fhRunAll(t, pkgs))
}

// TestFailsHalfwayWithoutTypes strips every package's type information (as
// a load that failed early leaves it: empty maps) and runs every check over
// all the fails-halfway testdata: nothing may fail or panic, and nothing may
// be reported in the good files.
func TestFailsHalfwayWithoutTypes(t *testing.T) {
	var pkgs []*packages.Package
	pkgs = append(pkgs, fhLoadTestdata(t, "testdata", true, "httpnocontext", "contextbackground", "retrynobackoff",
		"writecloseunchecked", "errorignoredio", "httpstatusunchecked", "retryafterignored")...)
	for _, mod := range []string{"txnorollback", "sqlrowsnotclosed", "sqlrowserrunchecked", "dbwritesnotx", "goroutineerrordropped", "ackbeforeprocess"} {
		pkgs = append(pkgs, fhLoadTestdata(t, filepath.Join("testdata", "fhmod", mod), false, "./...")...)
	}
	for _, p := range pkgs {
		p.TypesInfo = &types.Info{
			Types:      map[ast.Expr]types.TypeAndValue{},
			Defs:       map[*ast.Ident]types.Object{},
			Uses:       map[*ast.Ident]types.Object{},
			Selections: map[*ast.SelectorExpr]*types.Selection{},
			Implicits:  map[ast.Node]types.Object{},
			Scopes:     map[ast.Node]*types.Scope{},
		}
	}
	for _, d := range fhRunAll(t, pkgs) {
		if strings.HasPrefix(d, "good.go:") {
			t.Errorf("without types, a good file got a finding: %s", d)
		}
	}
}

// BenchmarkFailsHalfway measures the fails-halfway analyzers alone (no
// loading) over the stdlib-only testdata packages.
func BenchmarkFailsHalfway(b *testing.B) {
	pkgs := fhLoadTestdata(b, "testdata", true, "httpnocontext", "contextbackground", "retrynobackoff",
		"writecloseunchecked", "errorignoredio", "httpstatusunchecked", "retryafterignored", "peerfhrows", "peerfherrcheck")
	analyzers := failsHalfwayAnalyzers()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := checker.Analyze(analyzers, pkgs, &checker.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
