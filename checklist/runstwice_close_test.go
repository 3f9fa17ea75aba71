package checklist

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

func TestCloseNotIdempotent(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), closeNotIdempotentAnalyzer, "closenotidempotent"))
}

func TestChanClosedTwice(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), chanClosedTwiceAnalyzer, "chanclosedtwice", "chanclosedtwice/tests/framework"))
}
