package checklist

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

// The fails-halfway checks speak by where code runs: silent in test
// support, at most info in one-shot code, full severity in serving code
// and in loops that last. Each case's doc comment names its cap.

func TestFailsHalfwayWhereOneShotMain(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), writeCloseUncheckedAnalyzer, "writecloseunchecked/cmd/exporter"))
}

func TestFailsHalfwayWherePaths(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), errorIgnoredIOAnalyzer,
		"errorignoredio/e2e", "errorignoredio/internal/tools", "errorignoredio/hack/gendocs", "errorignoredio/internal/cli"))
}

func TestFailsHalfwayWhereServerStartUp(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), httpNoTimeoutAnalyzer, "httpnotimeout/cmd/seed", "httpnotimeout/cmd/server", "httpnotimeout/cmd/ginserver"))
}

func TestFailsHalfwayWhereCLICommands(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), httpBodyNotClosedAnalyzer, "httpbodynotclosed/cli"))
}

func TestHTTPNoTimeoutObjectStore(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), httpNoTimeoutAnalyzer, "httpnotimeout/drivers"))
}
