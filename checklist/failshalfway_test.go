package checklist

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

// moduleTestdata returns the testdata module of one check: a directory with
// its own go.mod, loaded in module mode so that real third-party packages
// (pgx) from the module cache type-check the cases.
func moduleTestdata(t *testing.T, name string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "src", name))
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
