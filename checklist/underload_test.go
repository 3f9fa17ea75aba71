package checklist

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

func TestReadUnbounded(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), readUnboundedAnalyzer, "readunbounded/...")
}

func TestServerNoTimeouts(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), serverNoTimeoutsAnalyzer, "servernotimeouts/...")
	checkCaps(t, runClean(t, analysistest.TestData(), serverNoTimeoutsAnalyzer, "servernotimeouts/acme"))
}

func TestDBPoolUnbounded(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), dbPoolUnboundedAnalyzer, "dbpoolunbounded/...")
}

func TestQueryInLoop(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), queryInLoopAnalyzer, "queryinloop")
}

func TestLockAcrossIO(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), lockAcrossIOAnalyzer, "lockacrossio/...")
}

func TestClientPerRequest(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), clientPerRequestAnalyzer, "clientperrequest")
}

func TestSleepInHandler(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), sleepInHandlerAnalyzer, "sleepinhandler/...")
}

func TestGoroutineUnbounded(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), goroutineUnboundedAnalyzer, "goroutineunbounded/..."))
}
