package checklist

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

func TestHTTPNoTimeout(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), httpNoTimeoutAnalyzer, "httpnotimeout", "httpnotimeoutdot")
}

func TestHTTPBodyNotClosed(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), httpBodyNotClosedAnalyzer, "httpbodynotclosed")
}

func TestGoroutineUnbounded(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), goroutineUnboundedAnalyzer, "goroutineunbounded")
}
