package checklist

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
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
	return dir
}

func TestTxNoRollback(t *testing.T) {
	analysistest.Run(t, moduleTestdata(t, "txnorollback"), txNoRollbackAnalyzer, "./...")
}

func TestSQLRowsNotClosed(t *testing.T) {
	analysistest.Run(t, moduleTestdata(t, "sqlrowsnotclosed"), sqlRowsNotClosedAnalyzer, "./...")
}

func TestSQLRowsErrUnchecked(t *testing.T) {
	analysistest.Run(t, moduleTestdata(t, "sqlrowserrunchecked"), sqlRowsErrUncheckedAnalyzer, "./...")
}

func TestHTTPNoContext(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), httpNoContextAnalyzer, "httpnocontext")
}

func TestContextBackground(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), contextBackgroundAnalyzer, "contextbackground")
}

func TestRetryNoBackoff(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retryNoBackoffAnalyzer, "retrynobackoff")
}

func TestWriteCloseUnchecked(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), writeCloseUncheckedAnalyzer, "writecloseunchecked")
}

func TestErrorIgnoredIO(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), errorIgnoredIOAnalyzer, "errorignoredio")
}

func TestHTTPStatusUnchecked(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), httpStatusUncheckedAnalyzer, "httpstatusunchecked")
}

func TestDBWritesNoTx(t *testing.T) {
	analysistest.Run(t, moduleTestdata(t, "dbwritesnotx"), dbWritesNoTxAnalyzer, "./...")
}

func TestRetryAfterIgnored(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), retryAfterIgnoredAnalyzer, "retryafterignored")
}

func TestGoroutineErrorDropped(t *testing.T) {
	analysistest.Run(t, moduleTestdata(t, "goroutineerrordropped"), goroutineErrorDroppedAnalyzer, "./...")
}

func TestAckBeforeProcess(t *testing.T) {
	analysistest.Run(t, moduleTestdata(t, "ackbeforeprocess"), ackBeforeProcessAnalyzer, "./...")
}

// The peer suites: our own cases of the kinds the overlapping public
// linters' tests cover, pinning how the fails-halfway checks behave on each
// (see failsHalfwayPeers).

func TestPeerFHNoctx(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), httpNoContextAnalyzer, "peerfhnoctx")
}

// TestPeerFHRows runs sql-rows-not-closed and sql-rows-err-unchecked
// together over the sqlclosecheck/rowserrcheck kinds of case.
func TestPeerFHRows(t *testing.T) {
	pkgs := fhLoadTestdata(t, "testdata", true, "peerfhrows")
	checkWants(t, pkgs, fhRun(t, pkgs, sqlRowsNotClosedAnalyzer, sqlRowsErrUncheckedAnalyzer))
}

// TestPeerFHErrcheck runs the three checks that overlap errcheck together.
func TestPeerFHErrcheck(t *testing.T) {
	pkgs := fhLoadTestdata(t, "testdata", true, "peerfherrcheck")
	checkWants(t, pkgs, fhRun(t, pkgs, errorIgnoredIOAnalyzer, writeCloseUncheckedAnalyzer, goroutineErrorDroppedAnalyzer))
}

func TestPeerFHContextcheck(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), contextBackgroundAnalyzer, "peerfhcontextcheck")
}
