package checklist

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

func TestInsertNotIdempotent(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), insertNotIdempotentAnalyzer, "insertnotidempotent")
}

func TestUpdateNotIdempotent(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), updateNotIdempotentAnalyzer, "updatenotidempotent")
}

func TestRetryNewIdempotencyKey(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), retryNewKeyAnalyzer, "retrynewidempotencykey")
}

func TestRetryPostWithoutKey(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), retryPostNoKeyAnalyzer, "retrypostwithoutkey", "github.com/hashicorp/go-retryablehttp"))
}

func TestInsertNotIdempotentRedelivery(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), insertNotIdempotentAnalyzer, "insertnotidempotent/hooks"))
}

func TestRetryPostWithoutKeyLibraries(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), retryPostNoKeyAnalyzer, "retrylibs"))
}
