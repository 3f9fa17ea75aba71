package checklist

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

// The peer suites: our own cases of the kinds public linters' tests cover,
// pinning how prodready behaves on each (see the comparisons in CHECKS.md).

func TestPeerBodyclose(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), httpBodyNotClosedAnalyzer, "peerbodyclose")
}

func TestPeerGosec(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), serverNoTimeoutsAnalyzer, "peergosec")
}

func TestPeerNoctx(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), httpNoTimeoutAnalyzer, "peernoctx")
}
