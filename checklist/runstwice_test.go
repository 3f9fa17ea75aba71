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

// TestGormLockIgnored: GORM v1's lock option on a v2 DB is reported; the v2
// clause, the v1 package and other settings are not.
func TestGormLockIgnored(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), gormLockIgnoredAnalyzer, "gormlockignored")
}
