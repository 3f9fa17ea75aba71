package jobs

import (
	"context"
	"strings"
	"testing"

	gh "github.com/google/go-github/v62/github"

	"github.com/prodready/prodready/github/publish"
)

// After a failed job, the next successful review edits the one summary
// comment the failure wrote: one comment, one marker rule.
func TestFailureThenSuccessEditsOneSummary(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.p.MaxWorkspaceBytes = 1024 // the first attempt fails for good
	j := f.job(1)
	err := f.p.Review(ctx, j)
	if !IsPermanent(err) {
		t.Fatalf("Review = %v; want the workspace cap's permanent error", err)
	}
	// What the worker does after the last attempt.
	if err := (GitHubFailures{Pipeline: f.p}).ReportFailure(ctx, j, err); err != nil {
		t.Fatal(err)
	}
	cs := f.g.API.IssueComments("octo", "shop", 7)
	if len(cs) != 1 || !strings.Contains(cs[0].GetBody(), "failed") || !publish.IsSummary(cs[0].GetBody()) {
		t.Fatalf("issue comments after the failure = %+v; want one summary saying the review failed", cs)
	}
	id := cs[0].GetID()
	// Reported twice (a second failed job): still one comment.
	if err := (GitHubFailures{Pipeline: f.p}).ReportFailure(ctx, j, err); err != nil {
		t.Fatal(err)
	}
	f.p.MaxWorkspaceBytes = 0
	if err := f.p.Review(ctx, f.job(2)); err != nil {
		t.Fatal(err)
	}
	cs = f.g.API.IssueComments("octo", "shop", 7)
	if len(cs) != 1 {
		t.Fatalf("%d issue comments after failure then success, want the one summary edited in place", len(cs))
	}
	if cs[0].GetID() != id || strings.Contains(cs[0].GetBody(), "failed") || !strings.Contains(cs[0].GetBody(), "Reviewed up to "+f.head) {
		t.Fatalf("summary = %d %q; want comment %d edited to the review's summary", cs[0].GetID(), cs[0].GetBody(), id)
	}
}

// A failure summary written before the one rule (marker at the end) is
// still the summary: the next review edits it rather than adding another.
func TestSuccessEditsOldFailureSummary(t *testing.T) {
	f := newFixture(t)
	old := "**prodready: the review of abc failed** after 6 attempt(s).\n\n" + publish.SummaryMarker
	cl, err := f.p.Client(1)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := cl.Issues.CreateComment(context.Background(), "octo", "shop", 7, &gh.IssueComment{Body: &old})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.p.Review(context.Background(), f.job(1)); err != nil {
		t.Fatal(err)
	}
	cs := f.g.API.IssueComments("octo", "shop", 7)
	if len(cs) != 1 || cs[0].GetID() != c.GetID() || !strings.HasPrefix(cs[0].GetBody(), publish.SummaryMarker) {
		t.Fatalf("issue comments = %+v; want the old failure summary %d edited", cs, c.GetID())
	}
}
