package app_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/prodready/prodready/github/jobs"
)

// A signed payload whose head, base, owner or repository GitHub could not
// have sent gets 400, stores no job, and supersedes none.
func TestInvalidNamesAndSHAsAreRefused(t *testing.T) {
	const head = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
	started := make(chan struct{})
	release := make(chan struct{})
	rev := &recorder{}
	rev.hook = func(ctx context.Context, j *jobs.Job) error {
		close(started)
		<-release
		return nil
	}
	e := newEnv(t, "sqlite", rev)
	good := fixture(t, "pull_request.synchronize.json")
	if code := deliver(t, e.url, "pull_request", "good", good, sign(secret, good)); code != http.StatusAccepted {
		t.Fatalf("valid delivery: status %d", code)
	}
	waitClosed(t, started, "the review to start")

	comment := set(t, fixture(t, "issue_comment.created.with-installation.json"), "comment.body", "/prodready review")
	comment = set(t, comment, "issue.pull_request", map[string]any{"url": "https://api.github.com/repos/Codertocat/Hello-World/pulls/1"})
	bad := map[string]struct {
		event   string
		payload []byte
	}{
		"head not hex":      {"pull_request", set(t, good, "pull_request.head.sha", "HEAD~1")},
		"head short":        {"pull_request", set(t, good, "pull_request.head.sha", head[:12])},
		"head upper":        {"pull_request", set(t, good, "pull_request.head.sha", "EC26C3E57CA3A959CA5AAD62DE7213C562F8C821")},
		"base not hex":      {"pull_request", set(t, good, "pull_request.base.sha", "main")},
		"repo dot-dot":      {"pull_request", set(t, good, "repository.name", "../..")},
		"repo slash":        {"pull_request", set(t, good, "repository.name", "a/b")},
		"owner hyphen end":  {"pull_request", set(t, good, "repository.owner.login", "octo-")},
		"owner with dot":    {"pull_request", set(t, good, "repository.owner.login", "octo.cat")},
		"comment repo ..":   {"issue_comment", set(t, comment, "repository.name", "..")},
		"comment owner bad": {"issue_comment", set(t, comment, "repository.owner.login", "a b")},
	}
	for name, b := range bad {
		if code := deliver(t, e.url, b.event, "bad-"+name, b.payload, sign(secret, b.payload)); code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", name, code)
		}
	}
	if n := e.jobCount(t); n != 1 {
		t.Fatalf("%d jobs after the invalid deliveries, want the 1 valid one", n)
	}
	close(release)
	e.waitFinal(t, 1)
	if got, _ := rev.count(); got["2@"+head] != 1 {
		t.Fatalf("published %v; the valid job must still publish", got)
	}
	if v := testutil.ToFloat64(e.jobsMet.Jobs.WithLabelValues("superseded")); v != 0 {
		t.Errorf("jobs{superseded} = %v, want 0", v)
	}
	if v := testutil.ToFloat64(e.deliv.WithLabelValues("pull_request", "bad_request")); v != 8 {
		t.Errorf("deliveries{pull_request,bad_request} = %v, want 8", v)
	}
}
