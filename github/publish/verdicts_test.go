package publish_test

import (
	"strings"
	"testing"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/github/publish"
)

// TestSummaryShowsVerdictsAsWhatTheyAre: a model's "ok" is "no finding",
// never a check mark; a model's "risk" with nothing posted says why; a
// checklist finding outranks the model's verdict on its function; drops are
// counted by reason.
func TestSummaryShowsVerdictsAsWhatTheyAre(t *testing.T) {
	rep := finding.NewReport("b", "h")
	rep.LLM.Model = "m"
	rep.Stats.LLMCalls = 1
	f := finding.Finding{Path: "svc/a.go", Line: 9, EndLine: 9, Check: "unbounded-goroutines", Question: finding.UnderLoad,
		Severity: finding.SeverityWarning, Message: "one goroutine per item", Source: finding.SourceChecklist, Function: "Fan", LineText: "go work(it)"}
	f.SetFingerprint()
	rep.Findings = []finding.Finding{f}
	rep.LLM.Verdicts = []finding.Verdict{
		{Path: "svc/a.go", Function: "Fan", Question: finding.UnderLoad, Verdict: "ok", Reason: "approved"},
		{Path: "svc/a.go", Function: "Fan", Question: finding.RunsTwice, Verdict: "ok", Reason: "fine"},
		{Path: "svc/a.go", Function: "Fan", Question: finding.FailsHalfway, Verdict: "risk", Reason: "the second write is not undone"},
	}
	rep.Stats.DroppedUngrounded = 3
	rep.Stats.DroppedByReason = map[string]int{"comment-line": 2, "off-diff": 1}
	sum := publish.Summary(publish.Target{HeadSHA: "h"}, rep, &publish.Result{}, nil, "")
	if strings.Contains(sum, "✅") {
		t.Errorf("a check mark in the summary:\n%s", sum)
	}
	for _, want := range []string{
		"| `Fan` in `svc/a.go` | no finding | ⚠️ risk: the second write is not undone | ⚠️ risk 1 |",
		"3 model comment(s) or part(s) not posted (2 comment-line, 1 off-diff)",
	} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
}
