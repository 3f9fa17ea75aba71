package checklist

import "testing"

// TestRunsTwiceThroughChains runs insert- and update-not-idempotent over a
// service of several packages: writes in a repository reached from a
// webhook registered in main through an interface the handler's package
// cannot see the implementation of, from a NATS callback and from a cron
// job, each beside a twin that dedupes and must stay silent.
func TestRunsTwiceThroughChains(t *testing.T) {
	t.Parallel()
	runModule(t, "shop", []string{"./..."}, insertNotIdempotentAnalyzer, updateNotIdempotentAnalyzer)
}
