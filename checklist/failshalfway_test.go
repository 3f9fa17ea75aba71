package checklist

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/prodready/prodready/finding"
)

// moduleTestdata returns the testdata module of one check: a directory
// under testdata/fhmod with its own go.mod, loaded in module mode so that
// real third-party packages (pgx, x/sync) from the module cache type-check
// the cases. They live outside the GOPATH-style testdata/src, which holds
// only packages that type-check against the standard library and the
// stand-ins there.
func moduleTestdata(t *testing.T, name string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "fhmod", name))
	if err != nil {
		t.Fatal(err)
	}
	// The module's requirements are the repository's own, so a build of
	// the repository fills the module cache; a test run alone on a fresh
	// machine may not have. Without them the cases load without types and
	// fail on missing diagnostics, which would hide the cause.
	cmd := exec.Command("go", "mod", "download")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("testdata module %s needs modules missing from the module cache; run `go mod download` in the repository root first: %v\n%s", name, err, out)
	}
	return dir
}

func TestTxNoRollback(t *testing.T) {
	t.Parallel()
	runClean(t, moduleTestdata(t, "txnorollback"), txNoRollbackAnalyzer, "./...")
}

func TestSQLRowsNotClosed(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, moduleTestdata(t, "sqlrowsnotclosed"), sqlRowsNotClosedAnalyzer, "./..."))
}

func TestSQLRowsErrUnchecked(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, moduleTestdata(t, "sqlrowserrunchecked"), sqlRowsErrUncheckedAnalyzer, "./..."))
}

func TestHTTPNoContext(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), httpNoContextAnalyzer, "httpnocontext")
}

// TestHTTPNoContextCapped: a request sent through a client with no Timeout,
// or with only a detached context at hand, is info; a timed client that
// drops the caller's context stays posted.
func TestHTTPNoContextCapped(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), httpNoContextAnalyzer, "httpnocontext/capped"))
}

func TestContextBackground(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), contextBackgroundAnalyzer, "contextbackground"))
}

func TestRetryNoBackoff(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), retryNoBackoffAnalyzer, "retrynobackoff"))
}

func TestWriteCloseUnchecked(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), writeCloseUncheckedAnalyzer, "writecloseunchecked")
}

func TestErrorIgnoredIO(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), errorIgnoredIOAnalyzer, "errorignoredio")
}

func TestHTTPStatusUnchecked(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), httpStatusUncheckedAnalyzer, "httpstatusunchecked"))
}

func TestDBWritesNoTx(t *testing.T) {
	t.Parallel()
	runClean(t, moduleTestdata(t, "dbwritesnotx"), dbWritesNoTxAnalyzer, "./...")
}

func TestRetryAfterIgnored(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), retryAfterIgnoredAnalyzer, "retryafterignored")
}

func TestGoroutineErrorDropped(t *testing.T) {
	t.Parallel()
	runClean(t, moduleTestdata(t, "goroutineerrordropped"), goroutineErrorDroppedAnalyzer, "./...")
}

// TestGoroutineErrorDroppedLogged: a dropped error its function logs on
// every error path is info; one returned without a word stays posted.
func TestGoroutineErrorDroppedLogged(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, moduleTestdata(t, "goroutineerrordropped"), goroutineErrorDroppedAnalyzer, "./posts", "./servers"))
}

func TestAckBeforeProcess(t *testing.T) {
	t.Parallel()
	runClean(t, moduleTestdata(t, "ackbeforeprocess"), ackBeforeProcessAnalyzer, "./...")
}

// The peer suites: our own cases of the kinds the overlapping public
// linters' tests cover, pinning how the fails-halfway checks behave on each
// (see failsHalfwayPeers).

func TestPeerFHNoctx(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), httpNoContextAnalyzer, "peerfhnoctx")
}

// TestPeerFHRows runs sql-rows-not-closed and sql-rows-err-unchecked
// together over the sqlclosecheck/rowserrcheck kinds of case.
func TestPeerFHRows(t *testing.T) {
	t.Parallel()
	pkgs := fhLoadTestdata(t, "testdata", true, "peerfhrows")
	checkWants(t, pkgs, fhRun(t, pkgs, sqlRowsNotClosedAnalyzer, sqlRowsErrUncheckedAnalyzer))
}

// TestPeerFHErrcheck runs the three checks that overlap errcheck together.
func TestPeerFHErrcheck(t *testing.T) {
	t.Parallel()
	pkgs := fhLoadTestdata(t, "testdata", true, "peerfherrcheck")
	checkWants(t, pkgs, fhRun(t, pkgs, errorIgnoredIOAnalyzer, writeCloseUncheckedAnalyzer, goroutineErrorDroppedAnalyzer))
}

func TestPeerFHContextcheck(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), contextBackgroundAnalyzer, "peerfhcontextcheck")
}

// TestFailsHalfwayCatalog checks every fails-halfway entry is complete and
// that its analyzer can run on broken code.
func TestFailsHalfwayCatalog(t *testing.T) {
	ident := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	seen := map[string]bool{}
	var checks []*Check
	for _, c := range Catalog() {
		if c.Question == finding.FailsHalfway {
			checks = append(checks, c)
		}
	}
	if len(checks) != 17 {
		t.Errorf("%d fails-halfway checks shipped; the catalogue has 17", len(checks))
	}
	for _, c := range checks {
		if seen[c.ID] {
			t.Errorf("duplicate ID %s", c.ID)
		}
		seen[c.ID] = true
		if c.Question != finding.FailsHalfway || !c.Severity.Valid() {
			t.Errorf("%s: question %q severity %q", c.ID, c.Question, c.Severity)
		}
		for name, v := range map[string]string{"Title": c.Title, "Rationale": c.Rationale, "Fix": c.Fix, "Bad": c.Bad, "Good": c.Good} {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: empty %s", c.ID, name)
			}
		}
		a := c.Analyzer
		if a == nil || !ident.MatchString(a.Name) || a.Doc == "" || !a.RunDespiteErrors {
			t.Fatalf("%s: analyzer must have an identifier name, a doc and RunDespiteErrors", c.ID)
		}
		if l := Lookup(c.ID); l == nil || l.Analyzer != c.Analyzer {
			t.Errorf("%s: not found through Lookup", c.ID)
		}
	}
}

// TestFailsHalfwayPeerNotes checks each peer comparison names the cases
// that pin it, and that those cases exist.
func TestFailsHalfwayPeerNotes(t *testing.T) {
	dir := regexp.MustCompile(`testdata/src/[a-z]+`)
	for id, note := range failsHalfwayPeers() {
		if Lookup(id) == nil {
			t.Errorf("peer note for unknown check %s", id)
		}
		if PeerNote(id) != note {
			t.Errorf("%s: PeerNote does not return the note", id)
		}
		m := dir.FindString(note)
		if !strings.Contains(note, "Our cases") || m == "" {
			t.Errorf("%s: the note must name its cases (Our cases: testdata/src/…)", id)
			continue
		}
		if _, err := os.Stat(m); err != nil {
			t.Errorf("%s: %v", id, err)
		}
	}
}

// TestSuggestedFixes applies the fixes of the checks that offer one and
// compares the result with the golden files.
func TestSuggestedFixes(t *testing.T) {
	t.Parallel()
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), httpNoContextAnalyzer, "httpnocontextfix")
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), contextBackgroundAnalyzer, "contextbackgroundfix")
}

func TestContextBackgroundDotImport(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), contextBackgroundAnalyzer, "contextbackgrounddot")
}

// runClean is analysistest.Run that also fails the test when a case package
// does not type-check: analysistest runs analyzers despite type errors, so
// a typo in a case would quietly turn it into a syntax-only case.
func runClean(t *testing.T, dir string, a *analysis.Analyzer, patterns ...string) []*analysistest.Result {
	t.Helper()
	results := analysistest.Run(t, dir, a, patterns...)
	for _, r := range results {
		if r.Action == nil || r.Action.Package == nil {
			continue
		}
		for _, e := range r.Action.Package.TypeErrors {
			t.Errorf("type error in test case package %s: %v", r.Action.Package.PkgPath, e)
		}
	}
	return results
}

func TestHTTPNoTimeout(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), httpNoTimeoutAnalyzer, "httpnotimeout"))
	runClean(t, analysistest.TestData(), httpNoTimeoutAnalyzer, "httpnotimeoutdot", "httpnotimeout/examples/quickstart", "httpnotimeout/harness", "httpnotimeout/probe")
}

func TestHTTPNoTimeoutCallerContext(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), httpNoTimeoutAnalyzer,
		"httpnotimeout/callerctx", "httpnotimeout/timeddefault", "httpnotimeout/untimeddefault"))
}

func TestHTTPBodyNotClosed(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), httpBodyNotClosedAnalyzer, "httpbodynotclosed")
	// A wrapper in another package that closes every response it returns
	// leaves its callers nothing to close; one that hands it back open does.
	runClean(t, analysistest.TestData(), httpBodyNotClosedAnalyzer, "httpbodynotclosed/across")
}

// TestHTTPBodyNotClosedByMethod: a HEAD response is silent, an OPTIONS
// probe's is info, a GET or POST stays posted.
func TestHTTPBodyNotClosedByMethod(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), httpBodyNotClosedAnalyzer, "httpbodynotclosed/probe", "httpbodynotclosed/timed"))
}

func TestLockNotReleased(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), lockNotReleasedAnalyzer, "locknotreleased")
}
