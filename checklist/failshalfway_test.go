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
