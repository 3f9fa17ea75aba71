package review

import (
	"context"
	"errors"
	"go/ast"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist"
	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/internal/testenv"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/patch"
)

// markAnalyzer flags every call to a function named "risky": a syntax-only
// check, so that the pipeline can be tested apart from the catalog.
var markAnalyzer = &analysis.Analyzer{
	Name:             "mark_risky",
	Doc:              "flags calls to risky()",
	Requires:         []*analysis.Analyzer{inspect.Analyzer},
	RunDespiteErrors: true,
	Run: func(pass *analysis.Pass) (any, error) {
		in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		in.Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
			if id, ok := n.(*ast.CallExpr).Fun.(*ast.Ident); ok && id.Name == "risky" {
				pass.Reportf(n.Pos(), "risky call")
			}
		})
		return nil, nil
	},
}

func testChecks() []*checklist.Check {
	return []*checklist.Check{{ID: "mark-risky", Question: finding.UnderLoad, Severity: finding.SeverityWarning,
		Title: "risky call", Analyzer: markAnalyzer}}
}

const riskyBase = `package svc

func risky() {}

func Old() {
	risky()
}
`

func newRepo(t *testing.T) *testenv.Repo {
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": testenv.GoMod, "svc/svc.go": riskyBase})
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	return r
}

func run(t *testing.T, r *testenv.Repo, mode patch.Filter) *finding.Report {
	t.Helper()
	rep, err := runReport(context.Background(), Options{Dir: r.Dir, Base: "main", Flags: config.Flags{Filter: string(mode)}, Checks: testChecks()})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

func TestAddedLineOnly(t *testing.T) {
	r := newRepo(t)
	r.Write(map[string]string{"svc/svc.go": riskyBase + "\nfunc New() {\n\trisky()\n}\n"})
	r.Commit("add New")
	rep := run(t, r, patch.FilterAdded)
	if len(rep.Findings) != 1 {
		t.Fatalf("want 1 finding on the added line, got %+v", rep.Findings)
	}
	f := rep.Findings[0]
	if f.Path != "svc/svc.go" || f.Line != 10 || f.Function != "New" || f.Check != "mark-risky" || len(f.Fingerprint) != 16 {
		t.Fatalf("finding: %+v", f)
	}
	// The untouched call in Old is in scope only under --filter file.
	if rep := run(t, r, patch.FilterFile); len(rep.Findings) != 2 {
		t.Fatalf("--filter file: want 2 findings, got %+v", rep.Findings)
	}
}

func TestFingerprintSurvivesMove(t *testing.T) {
	r := newRepo(t)
	r.Write(map[string]string{"svc/svc.go": riskyBase + "\nfunc New() {\n\trisky()\n}\n"})
	r.Commit("add New")
	before := run(t, r, patch.FilterAdded).Findings[0]

	r2 := newRepo(t)
	r2.Write(map[string]string{"svc/svc.go": riskyBase + strings.Repeat("\n// padding", 10) + "\nfunc New() {\n\trisky()\n}\n"})
	r2.Commit("add New, lower down")
	after := run(t, r2, patch.FilterAdded).Findings[0]
	if after.Line != before.Line+10 {
		t.Fatalf("the code moved ten lines: %d → %d", before.Line, after.Line)
	}
	if after.Fingerprint != before.Fingerprint {
		t.Fatalf("fingerprint changed with the line number: %s → %s", before.Fingerprint, after.Fingerprint)
	}
}

func TestRenamedDeletedBinaryCRLFAndNonGo(t *testing.T) {
	r := newRepo(t)
	r.Write(map[string]string{"svc/extra.go": "package svc\n\nfunc Extra() {}\n", "notes.txt": "a\n"})
	r.Commit("more base")
	base := r.Git("rev-parse", "HEAD")
	r.Git("mv", "svc/extra.go", "svc/renamed.go")
	r.Git("rm", "-q", "notes.txt")
	r.Write(map[string]string{
		"logo.bin":    "\x00\x01\x02binary\x00",
		"svc/crlf.go": "package svc\r\n\r\nfunc CRLF() {\r\n\trisky()\r\n}\r\n",
	})
	r.Commit("rename, delete, binary, crlf")
	rep, err := runReport(context.Background(), Options{Dir: r.Dir, Base: base, Checks: testChecks()})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Path != "svc/crlf.go" || rep.Findings[0].Line != 4 {
		t.Fatalf("want one finding in the CRLF file on line 4, got %+v", rep.Findings)
	}
	if got := rep.Findings[0].LineText; got != "\trisky()" {
		t.Fatalf("line text must have no CR: %q", got)
	}
	var binary bool
	for _, s := range rep.Skipped {
		if s.Path == "logo.bin" && s.Reason == "binary file" {
			binary = true
		}
	}
	if !binary {
		t.Fatalf("binary file not listed as skipped: %+v", rep.Skipped)
	}
}

func TestNoGoFilesAndEmptyDiff(t *testing.T) {
	r := newRepo(t)
	rep := run(t, r, patch.FilterAdded) // feature == main: empty diff
	if len(rep.Findings) != 0 || rep.Stats.Files != 0 || rep.Base != rep.Head {
		t.Fatalf("empty diff: %+v", rep)
	}
	r.Write(map[string]string{"README.md": "# hi\n"})
	r.Commit("docs")
	rep = run(t, r, patch.FilterAdded)
	if len(rep.Findings) != 0 || rep.Stats.Files != 1 || rep.Stats.Packages != 0 {
		t.Fatalf("docs-only diff: %+v", rep)
	}
}

func TestSkipsGeneratedVendorTestdataAndTests(t *testing.T) {
	r := newRepo(t)
	r.Write(map[string]string{
		"svc/gen.go":           "// Code generated by tool. DO NOT EDIT.\n\npackage svc\n\nfunc Gen() { risky() }\n",
		"vendor/x/x.go":        "package x\n\nfunc X() { risky() }\n\nfunc risky() {}\n",
		"svc/testdata/t.go":    "package t\n\nfunc T() { risky() }\n\nfunc risky() {}\n",
		"svc/svc_test.go":      "package svc\n\nfunc helper() { risky() }\n",
		"svc/excluded/e.go":    "package excluded\n\nfunc E() { risky() }\n\nfunc risky() {}\n",
		".prodready.yml":       "exclude: [\"svc/excluded/**\"]\n",
		"svc/svc_unrelated.go": "package svc\n",
	})
	r.Commit("skippable files")
	cfgText := "exclude: [\"svc/excluded/**\"]\n"
	cfg, err := config.Parse([]byte(cfgText))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := runReport(context.Background(), Options{Dir: r.Dir, Base: "main", Checks: testChecks(), Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 {
		t.Fatalf("skipped files must yield nothing, got %+v", rep.Findings)
	}
	want := map[string]string{
		"svc/gen.go":        "generated file",
		"vendor/x/x.go":     "vendored code",
		"svc/testdata/t.go": "testdata",
		"svc/svc_test.go":   "test file (pass --tests to review it)",
		"svc/excluded/e.go": "excluded by config (svc/excluded/**)",
	}
	got := map[string]string{}
	for _, s := range rep.Skipped {
		got[s.Path] = s.Reason
	}
	for p, reason := range want {
		if got[p] != reason {
			t.Errorf("skipped[%s] = %q, want %q", p, got[p], reason)
		}
	}
}

func TestBrokenPackageStillChecked(t *testing.T) {
	r := newRepo(t)
	r.Write(map[string]string{"svc/broken.go": "package svc\n\nfunc Broken() {\n\trisky()\n\tvar x int = \"not an int\"\n\tundefined()\n}\n"})
	r.Commit("broken code")
	rep := run(t, r, patch.FilterAdded)
	if len(rep.Findings) != 1 || rep.Findings[0].Line != 4 {
		t.Fatalf("want the syntax-level finding on line 4, got %+v", rep.Findings)
	}
	broken := BrokenLoads(rep)
	if len(broken) != 1 || broken[0].Path != "svc" || !strings.HasPrefix(broken[0].Reason, "svc/broken.go:5: ") {
		t.Fatalf("want one partial load naming svc/broken.go:5, got %+v", rep.Notes)
	}
	if strings.Count(broken[0].Reason, "svc/broken.go") != 1 || strings.Contains(broken[0].Reason, "\n") {
		t.Fatalf("the broken package is not named once on one line: %q", broken[0].Reason)
	}
	for _, s := range rep.SkippedAndNotes() {
		if strings.Contains(s.Reason, "svc/broken.go") && !strings.HasPrefix(s.Reason, PartialLoad) {
			t.Fatalf("the partial load is named twice: %+v", rep.SkippedAndNotes())
		}
	}
}

func TestSuppression(t *testing.T) {
	r := newRepo(t)
	r.Write(map[string]string{"svc/svc.go": riskyBase + `
func A() {
	//prodready:ignore mark-risky bounded by the caller's semaphore
	risky()
}

func B() {
	risky() //prodready:ignore mark-risky
}
`})
	r.Commit("suppressions")
	rep := run(t, r, patch.FilterAdded)
	var checks []string
	for _, f := range rep.Findings {
		checks = append(checks, f.Check)
	}
	// A is suppressed; B's directive has no reason, so both B's finding and
	// the bad directive are reported.
	if strings.Join(checks, ",") != "ignore-without-reason,mark-risky" || rep.Findings[1].Function != "B" {
		t.Fatalf("findings: %+v", rep.Findings)
	}
}

// A //nolint directive for a peer linter that reports the same thing
// (errcheck for goroutine-error-dropped) silences the finding; one for an
// unrelated linter, or a look-alike word, does not.
func TestNolintForPeerLinter(t *testing.T) {
	r := newRepo(t)
	r.Write(map[string]string{"svc/serve.go": `package svc

import "net/http"

func Serve(a, b, c, d *http.Server) {
	//nolint:errcheck // the process exits when a server stops
	go a.ListenAndServe()
	go b.ListenAndServe() //nolint:bodyclose,gosec
	go c.ListenAndServe() //nolint
	go d.ListenAndServe() //nolintx
}
`})
	r.Commit("servers")
	rep, err := runReport(context.Background(), Options{Dir: r.Dir, Base: "main", Flags: config.Flags{Filter: string(patch.FilterAdded)},
		Checks: []*checklist.Check{checklist.Lookup("goroutine-error-dropped")}})
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, f := range rep.Findings {
		lines = append(lines, f.Line)
	}
	if !slices.Equal(lines, []int{8, 10}) {
		t.Fatalf("want findings on lines 8 and 10 only, got %+v", rep.Findings)
	}
}

// A golangci-lint configuration that excludes gosec's G112 records the
// team's choice about server timeouts: server-no-timeouts is info there,
// and stays posted in a repository whose configuration names no such rule.
func TestLintConfigExcludesPeerRule(t *testing.T) {
	for _, tc := range []struct {
		config string
		want   finding.Severity
	}{
		{"linters:\n  enable: [gosec]\n  settings:\n    gosec:\n      excludes:\n        - G112 # internal ports\n", finding.SeverityInfo},
		{"linters:\n  enable: [gosec]\n", finding.SeverityWarning},
	} {
		r := newRepo(t)
		r.Write(map[string]string{".golangci.yml": tc.config, "svc/serve.go": `package svc

import "net/http"

func Serve(h http.Handler) error {
	srv := &http.Server{Addr: ":8080", Handler: h}
	return srv.ListenAndServe()
}
`})
		r.Commit("server")
		rep, err := runReport(context.Background(), Options{Dir: r.Dir, Base: "main", Flags: config.Flags{Filter: string(patch.FilterAdded)},
			Checks: []*checklist.Check{checklist.Lookup("server-no-timeouts")}, Config: raised("server-no-timeouts")})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Findings) != 1 || rep.Findings[0].Severity != tc.want {
			t.Fatalf("config %q: want one finding at %s, got %+v", tc.config, tc.want, rep.Findings)
		}
	}
}

// A golangci-lint configuration that exists but cannot be read (a
// directory by that name, or a file over the size read) is not taken for no
// configuration in silence: the finding stays posted and a note says why
// its exclusions were not read.
func TestUnreadableLintConfigIsNoted(t *testing.T) {
	exclude := "linters:\n  settings:\n    gosec:\n      excludes: [G112]\n"
	for name, tc := range map[string]struct {
		files map[string]string
		why   string
	}{
		"directory": {map[string]string{".golangci.yml/README": "not a config\n"}, "is a directory"},
		"oversized": {map[string]string{".golangci.yml": exclude + "#" + strings.Repeat("x", maxLintConfig) + "\n"}, "larger than"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			tc.files["go.mod"] = testenv.GoMod
			tc.files["svc/serve.go"] = "package svc\n\nimport \"net/http\"\n\nfunc Serve(h http.Handler) error {\n\tsrv := &http.Server{Addr: \":8080\", Handler: h}\n\treturn srv.ListenAndServe()\n}\n"
			testenv.WriteTree(t, dir, tc.files)
			res, err := Packages(context.Background(), dir, nil, Options{Checks: []*checklist.Check{checklist.Lookup("server-no-timeouts")}, Config: raised("server-no-timeouts")})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Report.Findings) != 1 || res.Report.Findings[0].Severity != finding.SeverityWarning {
				t.Fatalf("want one warning, got %+v", res.Report.Findings)
			}
			var noted bool
			for _, n := range res.Notes() {
				noted = noted || n.Kind == finding.NoteCheckFailed && n.Path == ".golangci.yml" && strings.Contains(n.Reason, "could not be read") && strings.Contains(n.Reason, tc.why)
			}
			if !noted {
				t.Fatalf("want a note naming the unread .golangci.yml (%s), got %+v", tc.why, res.Notes())
			}
		})
	}
}

// prodready check drops findings in generated files and names each file in
// skipped, as review does for a changed one.
func TestCheckSkipsGeneratedFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":     testenv.GoMod,
		"svc/a.go":   riskyBase,
		"svc/gen.go": "// Code generated by stringer; DO NOT EDIT.\n\npackage svc\n\nfunc Gen() {\n\trisky()\n}\n",
		// A generator's banner outside Go's convention.
		"svc/api.go": "/*\n * This code was generated by a tool.\n * NOTE: auto generated by OpenAPI Generator.\n * Do not edit the class manually.\n */\n\npackage svc\n\nfunc API() {\n\trisky()\n}\n",
		// A comment that mentions generation but not editing is not a banner.
		"svc/notes.go": "// Package svc keeps generated reports.\npackage svc\n\nfunc Notes() {\n\trisky()\n}\n",
	}
	testenv.WriteTree(t, dir, files)
	res, err := Packages(context.Background(), dir, nil, Options{Checks: testChecks()})
	if err != nil {
		t.Fatal(err)
	}
	rep := res.Report
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range rep.Findings {
		paths = append(paths, f.Path)
	}
	slices.Sort(paths)
	if !slices.Equal(paths, []string{"svc/a.go", "svc/notes.go"}) {
		t.Fatalf("want findings in svc/a.go and svc/notes.go only, got %+v", rep.Findings)
	}
	var skipped []string
	for _, s := range rep.Skipped {
		if s.Reason != "generated file" {
			t.Fatalf("unexpected skip %+v", s)
		}
		skipped = append(skipped, s.Path)
	}
	slices.Sort(skipped)
	if !slices.Equal(skipped, []string{"svc/api.go", "svc/gen.go"}) {
		t.Fatalf("want svc/api.go and svc/gen.go skipped as generated, got %+v", rep.Skipped)
	}
}

func TestBadInput(t *testing.T) {
	r := newRepo(t)
	_, err := Run(context.Background(), Options{Dir: r.Dir, Base: "no-such-branch", Checks: testChecks()})
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "no-such-branch") {
		t.Fatalf("bad --base: want a usage error naming it, got %v", err)
	}
	_, err = Run(context.Background(), Options{Dir: t.TempDir(), Checks: testChecks()})
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "not a git repository") {
		t.Fatalf("not a repo: want a usage error, got %v", err)
	}
}

func TestHeadOtherThanWorktree(t *testing.T) {
	r := newRepo(t)
	r.Write(map[string]string{"svc/svc.go": riskyBase + "\nfunc New() {\n\trisky()\n}\n"})
	head := r.Commit("add New")
	r.Git("checkout", "-q", "main")
	rep, err := runReport(context.Background(), Options{Dir: r.Dir, Base: "main", Head: head, Checks: testChecks()})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Line != 10 {
		t.Fatalf("reviewing a head that is not checked out: %+v", rep.Findings)
	}
	if out := r.Git("worktree", "list"); strings.Count(out, "\n") != 0 {
		t.Fatalf("temporary worktree left behind:\n%s", out)
	}
}

const priceGo = `package price

import (
	"io"
	"net/http"
)

// Fetch reads a price.
func Fetch(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}
`

// The spine's acceptance case, with the real catalog: a commit adding
// http.Get gets a fails-halfway finding on exactly that line; the same code
// untouched in the base gets nothing under added and a finding under file.
func TestHTTPGetAcceptance(t *testing.T) {
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": testenv.GoMod, "price/doc.go": "// Package price reads prices.\npackage price\n"})
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write(map[string]string{"price/price.go": priceGo})
	r.Commit("add Fetch")
	rep, err := runReport(context.Background(), Options{Dir: r.Dir, Base: "main"})
	if err != nil {
		t.Fatal(err)
	}
	var hit *finding.Finding
	for i, f := range rep.Findings {
		if f.Check == "http-no-timeout" {
			hit = &rep.Findings[i]
		}
	}
	if hit == nil || hit.Line != 10 || hit.Question != finding.FailsHalfway || hit.Path != "price/price.go" {
		t.Fatalf("want http-no-timeout on price/price.go:10, got %+v", rep.Findings)
	}

	// The same code already in the base, with an unrelated change beside it.
	r2 := testenv.NewRepo(t)
	r2.Write(map[string]string{"go.mod": testenv.GoMod, "price/price.go": priceGo})
	r2.Commit("base")
	r2.Git("checkout", "-q", "-b", "feature")
	r2.Write(map[string]string{"price/price.go": priceGo + "\n// Currency is the price's currency.\nconst Currency = \"EUR\"\n"})
	r2.Commit("unrelated")
	rep, err = runReport(context.Background(), Options{Dir: r2.Dir, Base: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 {
		t.Fatalf("--filter added must not flag untouched code: %+v", rep.Findings)
	}
	rep, err = runReport(context.Background(), Options{Dir: r2.Dir, Base: "main", Flags: config.Flags{Filter: string(patch.FilterFile)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) == 0 || rep.Findings[0].Line != 10 || rep.Findings[0].Check != "http-no-timeout" {
		t.Fatalf("--filter file must flag line 10: %+v", rep.Findings)
	}
}

func TestTestSupportPackagesAreQuiet(t *testing.T) {
	for name, want := range map[string]bool{"fake": true, "testutil": true, "testsuite": true, "e2e": true, "e2ecortex": true, "price": false, "attest": false, "latest": false, "ee2": false} {
		if got := TestSupport(name, []string{"net/http"}); got != want {
			t.Errorf("TestSupport(%q) = %v, want %v", name, got, want)
		}
	}
	if !TestSupport("storetest", []string{"context", "testing"}) {
		t.Error("a package importing testing outside _test.go files is test support")
	}
	if !TestSupport("dbtest", []string{"net/http", "net/http/httptest"}) {
		t.Error("a ...test package serving httptest servers is test support")
	}
	if TestSupport("proxy", []string{"net/http/httptest"}) {
		t.Error("httptest alone, outside a ...test package, must not make a package test support")
	}
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": testenv.GoMod, "fake/doc.go": "package fake\n"})
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write(map[string]string{"fake/fake.go": "package fake\n\nfunc risky() {}\n\n// Do fakes it.\nfunc Do() { risky() }\n"})
	r.Commit("fake")
	rep, err := runReport(context.Background(), Options{Dir: r.Dir, Base: "main", Checks: testChecks()})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 {
		t.Fatalf("a fake package must stay quiet: %+v", rep.Findings)
	}
}

// runReport runs a review and returns its report.
// severityByFunc returns the severity of each finding of check in rep, by
// the function it sits in.
func severityByFunc(rep *finding.Report, check string) map[string]finding.Severity {
	got := map[string]finding.Severity{}
	for _, f := range rep.Findings {
		if f.Check == check {
			got[f.Function] = f.Severity
		}
	}
	return got
}

// checkTree writes files into a temporary module and checks it like
// `prodready check` with the one check named, returning its findings by
// function.
func checkTree(t *testing.T, files map[string]string, check string) map[string]finding.Finding {
	t.Helper()
	dir := t.TempDir()
	testenv.WriteTree(t, dir, files)
	res, err := Packages(context.Background(), dir, nil, Options{Checks: []*checklist.Check{checklist.Lookup(check)}, Config: raised(check)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]finding.Finding{}
	for _, f := range res.Report.Findings {
		got[f.Function] = f
	}
	return got
}

// raised is a configuration that raises check to warning, as a team that
// wants it inline would: the checks that are info by default on their
// record (read-unbounded, server-no-timeouts) still judge by context once
// raised, and these tests read that context from the severities.
func raised(check string) config.Config {
	if c := checklist.Lookup(check); c == nil || c.Severity != finding.SeverityInfo {
		return config.Config{} // posted by default: nothing to raise
	}
	return config.Config{Checks: config.Checks{Severity: map[string]finding.Severity{check: finding.SeverityWarning}}}
}

// reviewFiles commits files on a feature branch over a base holding only
// the module, and reviews the change with every line of the changed files
// in scope.
func reviewFiles(t *testing.T, files map[string]string) *finding.Report {
	t.Helper()
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": testenv.GoMod, "doc.go": "// Package svc is a test module.\npackage svc\n"})
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write(files)
	r.Commit("change")
	rep, err := runReport(context.Background(), Options{Dir: r.Dir, Base: "main", Flags: config.Flags{Filter: string(patch.FilterFile)}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func runReport(ctx context.Context, opts Options) (*finding.Report, error) {
	res, err := Run(ctx, opts)
	if err != nil {
		return nil, err
	}
	return res.Report, nil
}

// TestProgramTestingFileIsNotATest: a main package that keeps test helpers
// in a non-test file importing testing is still a program; only that file
// is test support.
func TestProgramTestingFileIsNotATest(t *testing.T) {
	if TestSupport("main", []string{"net/http", "testing"}) {
		t.Error("a main package importing testing in a helper file must not be test support as a whole")
	}
	checkHelperFileQuiet(t, "main.go", "package main\n\nfunc main() {}\n", map[string]string{
		"main.go":    "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/\", price)\n\t_ = http.ListenAndServe(\":8080\", nil)\n}\n\nfunc price(w http.ResponseWriter, r *http.Request) {\n\tresp, err := http.Get(\"https://prices.example.com/\")\n\tif err != nil {\n\t\treturn\n\t}\n\tdefer resp.Body.Close()\n}\n",
		"testing.go": "package main\n\nimport (\n\t\"net/http\"\n\t\"testing\"\n)\n\nfunc fetchForTest(t *testing.T, u string) {\n\tresp, err := http.Get(u)\n\tif err != nil {\n\t\tt.Fatal(err)\n\t}\n\tdefer resp.Body.Close()\n}\n",
	}, "main.go", "testing.go")
}

// TestPackageTestingFileIsNotATest: a service package that exports test
// helpers from a testing.go beside its production files is production code;
// only testing.go is test support.
func TestPackageTestingFileIsNotATest(t *testing.T) {
	if TestSupport("session", []string{"net/http", "testing"}) {
		t.Error("a package importing testing in one helper file must not be test support as a whole")
	}
	checkHelperFileQuiet(t, "session/doc.go", "// Package session keeps sessions.\npackage session\n", map[string]string{
		"session/session.go": "package session\n\nimport \"net/http\"\n\n// Refresh renews a session upstream.\nfunc Refresh(u string) error {\n\tresp, err := http.Get(u)\n\tif err != nil {\n\t\treturn err\n\t}\n\treturn resp.Body.Close()\n}\n",
		"session/testing.go": "package session\n\nimport (\n\t\"net/http\"\n\t\"testing\"\n)\n\n// TestSession fetches a session for other packages' tests.\nfunc TestSession(t *testing.T, u string) {\n\tresp, err := http.Get(u)\n\tif err != nil {\n\t\tt.Fatal(err)\n\t}\n\t_ = resp.Body.Close()\n}\n",
	}, "session/session.go", "session/testing.go")
}

// checkHelperFileQuiet commits base (one file at basePath), then files on a
// feature branch, reviews the change with http-no-timeout, and requires a
// finding in prod and none in helper, a file that imports testing.
func checkHelperFileQuiet(t *testing.T, basePath, base string, files map[string]string, prod, helper string) {
	t.Helper()
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": testenv.GoMod, basePath: base})
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write(files)
	r.Commit("change")
	rep, err := runReport(context.Background(), Options{Dir: r.Dir, Base: "main", Checks: []*checklist.Check{checklist.Lookup("http-no-timeout")}})
	if err != nil {
		t.Fatal(err)
	}
	inProd := false
	for _, f := range rep.Findings {
		if f.Path == helper {
			t.Errorf("the test helper file got a finding: %+v", f)
		}
		if f.Path == prod && f.Check == "http-no-timeout" {
			inProd = true
		}
	}
	if !inProd {
		t.Errorf("%s's own http.Get must be reported; got %+v", prod, rep.Findings)
	}
}
