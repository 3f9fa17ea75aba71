package publish_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/github/client"
	"github.com/prodready/prodready/github/githubtest"
	"github.com/prodready/prodready/github/publish"
	"github.com/prodready/prodready/internal/testenv"
	"github.com/prodready/prodready/review/patch"
)

// clock is an injected clock: Sleep advances it and records the wait.
type clock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func newClock() *clock { return &clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func (c *clock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

// event is the part of a webhook payload the tests use.
type event struct {
	Number      int `json:"number"`
	PullRequest struct {
		Base struct {
			SHA string `json:"sha"`
		} `json:"base"`
		Head struct {
			SHA string `json:"sha"`
		} `json:"head"`
	} `json:"pull_request"`
	Repository struct {
		Name  string `json:"name"`
		Owner struct {
			Login string `json:"login"`
		} `json:"owner"`
	} `json:"repository"`
}

func loadEvent(t testing.TB, name string) event {
	t.Helper()
	data := testenv.Webhook(t, name)
	var ev event
	if err := json.Unmarshal(data, &ev); err != nil {
		t.Fatalf("decode fixture: %v", err)
	}
	return ev
}

// baseSrc is a file of 50 numbered lines; the head changes some of them.
func baseSrc() []string {
	lines := []string{"package svc", ""}
	for i := 3; i <= 50; i++ {
		lines = append(lines, fmt.Sprintf("// line %d", i))
	}
	return lines
}

func join(lines []string) string { return strings.Join(lines, "\n") + "\n" }

// fixture is a PR in the fake, built from a real repository.
type fixture struct {
	srv        *githubtest.Server
	repo       *githubtest.Repo
	target     publish.Target
	headLines  []string
	patch      *patch.Patch
	clock      *clock
	client     *gh.Client
	owner, rep string
}

const bot = "github-actions[bot]"

func newFixture(t *testing.T) *fixture { return newFixtureTB(t) }

func newFixtureTB(t testing.TB) *fixture {
	t.Helper()
	ev := loadEvent(t, "pull_request.opened.json")
	r := githubtest.NewRepo(t)
	r.WriteFile("svc/client.go", join(baseSrc()))
	base := r.Commit("base")
	head := baseSrc()
	head[19] = "resp, err := http.Get(url) // line 20 changed"
	head[20] = "if err != nil { return err }"
	head[21] = "defer resp.Body.Close()"
	head[39] = "go worker() // line 40 changed"
	r.WriteFile("svc/client.go", join(head))
	headSHA := r.Commit("head")
	diff := r.Diff(base, headSHA)

	srv := githubtest.New(t)
	srv.AddToken("tok-write", githubtest.WriteToken(bot))
	srv.AddPR(t, githubtest.PR{Owner: ev.Repository.Owner.Login, Repo: ev.Repository.Name, Number: ev.Number, BaseSHA: base, HeadSHA: headSHA, Diff: diff})
	pt, err := patch.Parse(strings.NewReader(diff))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{srv: srv, repo: r, headLines: head, patch: pt, clock: newClock(),
		owner: ev.Repository.Owner.Login, rep: ev.Repository.Name,
		target: publish.Target{Owner: ev.Repository.Owner.Login, Repo: ev.Repository.Name, Number: ev.Number, BaseSHA: base, HeadSHA: headSHA}}
	f.client = f.newClient(t, "tok-write")
	return f
}

func (f *fixture) newClient(t testing.TB, token string) *gh.Client {
	t.Helper()
	c, err := client.New(token, f.srv.APIURL(), client.Options{Sleep: f.clock.Sleep, Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// mk builds a finding on the head's line n.
func (f *fixture) mk(path string, line, end int, check string, q finding.Question, sev finding.Severity, fn string) finding.Finding {
	text := ""
	if path == "svc/client.go" && line <= len(f.headLines) {
		text = f.headLines[line-1]
	}
	fd := finding.Finding{Path: path, Line: line, EndLine: end, Check: check, Question: q, Severity: sev,
		Message: "What if " + check + " happens? cc @octocat", Source: finding.SourceChecklist, Function: fn, LineText: text}
	fd.SetFingerprint()
	return fd
}

func (f *fixture) report(fs ...finding.Finding) *finding.Report {
	rep := finding.NewReport(f.target.BaseSHA, f.target.HeadSHA)
	rep.Findings = fs
	rep.LLM.Model = "test-model"
	rep.Stats.LLMCalls, rep.Stats.LLMTokensIn, rep.Stats.LLMTokensOut = 2, 1200, 300
	rep.LLM.CostUSD = 0.0042
	rep.LLM.Verdicts = []finding.Verdict{
		{Path: "svc/client.go", Function: "Fetch", Question: finding.RunsTwice, Verdict: "ok"},
		{Path: "svc/client.go", Function: "Fetch", Question: finding.UnderLoad, Verdict: "unclear"},
	}
	rep.Notes = []finding.Note{{Kind: finding.NoteNotAsked, Path: "svc/big.go", Reason: "over the token budget"}}
	rep.Sort()
	return rep
}

func (f *fixture) standardFindings() []finding.Finding {
	withSug := f.mk("svc/client.go", 20, 20, "http-no-timeout", finding.FailsHalfway, finding.SeverityError, "Fetch")
	withSug.Suggestion = "resp, err := client.Get(url)"
	return []finding.Finding{
		withSug,
		f.mk("svc/client.go", 21, 22, "close-unchecked", finding.FailsHalfway, finding.SeverityWarning, "Fetch"),
		f.mk("svc/client.go", 40, 40, "unbounded-goroutine", finding.UnderLoad, finding.SeverityWarning, "Start"),
		f.mk("svc/client.go", 3, 3, "file-level-thing", finding.RunsTwice, finding.SeverityWarning, ""),
		f.mk("svc/other.go", 7, 7, "not-in-diff", finding.RunsTwice, finding.SeverityWarning, "Other"),
	}
}

func TestPublishPostsOneReviewWithExpectedComments(t *testing.T) {
	f := newFixture(t)
	rep := f.report(f.standardFindings()...)
	pub := publish.New(f.client, publish.Options{Now: f.clock.Now})
	res, err := pub.Publish(context.Background(), f.target, rep, f.patch)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if got := f.srv.Calls(githubtest.RouteCreateReview); got != 1 {
		t.Errorf("create-review calls = %d, want 1", got)
	}
	reviews := f.srv.Reviews(f.owner, f.rep, f.target.Number)
	if len(reviews) != 1 || reviews[0].GetState() != "COMMENTED" || reviews[0].GetCommitID() != f.target.HeadSHA {
		t.Fatalf("reviews = %+v, want one COMMENTED review at head", reviews)
	}
	comments := f.srv.ReviewComments(f.owner, f.rep, f.target.Number)
	byFP := map[string]gh.PullRequestComment{}
	for _, c := range comments {
		fp := publish.FingerprintOf(c.GetBody())
		if fp == "" {
			t.Errorf("comment %d does not end with a fingerprint marker: %q", c.GetID(), c.GetBody())
		}
		byFP[fp] = c
	}
	want := f.standardFindings()
	// Line 20: single line, with a suggestion block.
	c20 := byFP[want[0].Fingerprint]
	if c20.GetLine() != 20 || c20.StartLine != nil || c20.GetSide() != "RIGHT" || c20.GetPullRequestReviewID() != reviews[0].GetID() {
		t.Errorf("line-20 comment anchored at line=%d start=%v side=%s review=%d", c20.GetLine(), c20.StartLine, c20.GetSide(), c20.GetPullRequestReviewID())
	}
	if !strings.Contains(c20.GetBody(), "```suggestion\nresp, err := client.Get(url)\n```") {
		t.Errorf("line-20 comment lacks the suggestion block: %q", c20.GetBody())
	}
	if strings.Contains(c20.GetBody(), "@octocat") {
		t.Errorf("mention not defused: %q", c20.GetBody())
	}
	if !strings.HasSuffix(c20.GetBody(), publish.Marker(want[0].Fingerprint)) {
		t.Errorf("marker is not at the end: %q", c20.GetBody())
	}
	// Lines 21-22: a range in one hunk.
	c21 := byFP[want[1].Fingerprint]
	if c21.GetStartLine() != 21 || c21.GetLine() != 22 {
		t.Errorf("range comment anchored at %d-%d, want 21-22", c21.GetStartLine(), c21.GetLine())
	}
	if c40 := byFP[want[2].Fingerprint]; c40.GetLine() != 40 {
		t.Errorf("line-40 comment missing or misplaced")
	}
	// Line 3 lies outside every hunk: a file-level comment.
	c3, ok := byFP[want[3].Fingerprint]
	if !ok || c3.GetSubjectType() != "file" || !strings.Contains(c3.GetBody(), "line 3") {
		t.Errorf("file-level comment = %+v (ok=%v)", c3, ok)
	}
	// svc/other.go is not in the diff: summary only.
	if _, ok := byFP[want[4].Fingerprint]; ok {
		t.Errorf("a finding outside the diff was posted inline")
	}
	if len(res.InSummary) != 1 || res.InSummary[0].Fingerprint != want[4].Fingerprint {
		t.Errorf("InSummary = %+v", res.InSummary)
	}
	ics := f.srv.IssueComments(f.owner, f.rep, f.target.Number)
	if len(ics) != 1 {
		t.Fatalf("issue comments = %d, want 1 summary", len(ics))
	}
	sum := ics[0].GetBody()
	for _, w := range []string{publish.SummaryMarker, "Reviewed up to " + f.target.HeadSHA, "| `Fetch` in `svc/client.go` |",
		"no finding", "❔ unclear", "⚠️ risk [1](", "| fails-halfway | 1 | 1 | 0 |", "test-model", "2 call(s)", "1200 tokens in", "$0.0042",
		"svc/big.go`: over the token budget", "svc/other.go:7"} {
		if !strings.Contains(sum, w) {
			t.Errorf("summary lacks %q:\n%s", w, sum)
		}
	}
	// The check run annotates only what has no review comment (other.go:7,
	// outside the diff) and counts the rest.
	runs := f.srv.CheckRuns()
	if len(runs) != 1 || runs[0].Run.GetConclusion() != "failure" {
		t.Fatalf("check runs = %+v", runs)
	}
	if a := runs[0].Annotations; len(a) != 1 || a[0].GetPath() != "svc/other.go" || a[0].GetStartLine() != 7 {
		t.Errorf("annotations = %+v; want only svc/other.go:7, the finding without a comment", a)
	}
	if title := runs[0].Run.GetOutput().GetTitle(); !strings.Contains(title, "5 finding(s)") || !strings.Contains(title, "4 as review comments, 1 annotated here") {
		t.Errorf("check run title = %q; want the counts", title)
	}
}

func TestPublishSecondRunOnSameHeadPostsNothingNewAndEditsSummary(t *testing.T) {
	f := newFixture(t)
	rep := f.report(f.standardFindings()...)
	pub := publish.New(f.client, publish.Options{})
	if _, err := pub.Publish(context.Background(), f.target, rep, f.patch); err != nil {
		t.Fatal(err)
	}
	before := len(f.srv.ReviewComments(f.owner, f.rep, f.target.Number))
	f.srv.ResetCalls()
	res, err := pub.Publish(context.Background(), f.target, f.report(f.standardFindings()...), f.patch)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.srv.Calls(githubtest.RouteCreateReview); got != 0 {
		t.Errorf("second run made %d create-review calls, want 0", got)
	}
	if got := f.srv.Calls(githubtest.RouteCreateReviewComment); got != 0 {
		t.Errorf("second run made %d create-comment calls, want 0", got)
	}
	if after := len(f.srv.ReviewComments(f.owner, f.rep, f.target.Number)); after != before {
		t.Errorf("comments went from %d to %d", before, after)
	}
	if res.AlreadyPosted != 4 {
		t.Errorf("AlreadyPosted = %d, want 4", res.AlreadyPosted)
	}
	if f.srv.Calls(githubtest.RouteCreateIssueComment) != 0 || f.srv.Calls(githubtest.RouteEditIssueComment) != 1 {
		t.Errorf("summary: %d creates, %d edits; want 0 and 1", f.srv.Calls(githubtest.RouteCreateIssueComment), f.srv.Calls(githubtest.RouteEditIssueComment))
	}
	if n := len(f.srv.IssueComments(f.owner, f.rep, f.target.Number)); n != 1 {
		t.Errorf("issue comments = %d, want the one summary", n)
	}
	// The finding that only lives in the summary stays there.
	if len(res.InSummary) != 1 {
		t.Errorf("InSummary = %d, want 1", len(res.InSummary))
	}
}

func TestPublishFixPushedRepliesAndResolves(t *testing.T) {
	f := newFixture(t)
	fs := f.standardFindings()
	pub := publish.New(f.client, publish.Options{})
	if _, err := pub.Publish(context.Background(), f.target, f.report(fs...), f.patch); err != nil {
		t.Fatal(err)
	}
	var c40, c20 int64
	for _, c := range f.srv.ReviewComments(f.owner, f.rep, f.target.Number) {
		switch publish.FingerprintOf(c.GetBody()) {
		case fs[2].Fingerprint:
			c40 = c.GetID()
		case fs[0].Fingerprint:
			c20 = c.GetID()
		}
	}
	// A human answers the line-20 comment; both findings are then fixed.
	f.srv.AddReply(f.owner, f.rep, f.target.Number, c20, "octocat", "I disagree, the default client is fine here")

	head := append([]string(nil), f.headLines...)
	head[39] = "pool.Go(worker) // bounded now"
	head[19] = "resp, err := client.Get(url)"
	f.repo.WriteFile("svc/client.go", join(head))
	newHead := f.repo.Commit("fix")
	diff := f.repo.Diff(f.target.BaseSHA, newHead)
	f.srv.Push(t, f.owner, f.rep, f.target.Number, newHead, diff)
	pt, err := patch.Parse(strings.NewReader(diff))
	if err != nil {
		t.Fatal(err)
	}
	t2 := f.target
	t2.HeadSHA = newHead
	f.headLines = head
	rep := f.report(fs[1], fs[3], fs[4])
	rep.Head = newHead
	f.srv.ResetCalls()
	res, err := pub.Publish(context.Background(), t2, rep, pt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Fixed) != 1 || res.Fixed[0].CommentID != c40 || !res.Fixed[0].Resolved {
		t.Fatalf("Fixed = %+v, want the line-40 comment %d resolved", res.Fixed, c40)
	}
	if !f.srv.Resolved(f.owner, f.rep, f.target.Number, c40) {
		t.Errorf("thread of comment %d is not resolved", c40)
	}
	if f.srv.Resolved(f.owner, f.rep, f.target.Number, c20) {
		t.Errorf("thread with a human reply was resolved")
	}
	if res.LeftForHuman != 1 {
		t.Errorf("LeftForHuman = %d, want 1", res.LeftForHuman)
	}
	var reply string
	replies := 0
	for _, c := range f.srv.ReviewComments(f.owner, f.rep, f.target.Number) {
		if c.GetInReplyTo() == c40 {
			reply = c.GetBody()
		}
		if c.GetInReplyTo() == c20 && c.GetUser().GetLogin() == bot {
			replies++
		}
	}
	if !strings.HasPrefix(reply, "Fixed in "+newHead) {
		t.Errorf("reply = %q", reply)
	}
	if replies != 0 {
		t.Errorf("prodready replied to the human's thread")
	}
	sum := f.srv.IssueComments(f.owner, f.rep, f.target.Number)
	if len(sum) != 1 || !strings.Contains(sum[0].GetBody(), "Reviewed up to "+newHead) || !strings.Contains(sum[0].GetBody(), "1 fixed since the last review") {
		t.Errorf("summary not updated: %+v", sum)
	}
	// A third run on the same head neither replies nor resolves again.
	f.srv.ResetCalls()
	res, err = pub.Publish(context.Background(), t2, rep, pt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Fixed) != 0 || f.srv.Calls(githubtest.RouteCreateReviewComment) != 0 || f.srv.Calls(githubtest.RouteGraphQL) != 0 {
		t.Errorf("third run: fixed=%d, reply calls=%d, graphql calls=%d; want 0", len(res.Fixed), f.srv.Calls(githubtest.RouteCreateReviewComment), f.srv.Calls(githubtest.RouteGraphQL))
	}
}

// dropHunkAt40 tells the fake a diff without the hunk around line 40, as if
// GitHub's view of the pull request differed from ours (the merge base
// moved), so a comment there is refused with 422.
func (f *fixture) dropHunkAt40(t testing.TB) {
	r := githubtest.NewRepo(t)
	r.WriteFile("svc/client.go", join(baseSrc()))
	b := r.Commit("base")
	h := baseSrc()
	copy(h[19:22], f.headLines[19:22])
	r.WriteFile("svc/client.go", join(h))
	hs := r.Commit("head")
	f.srv.AddPR(t, githubtest.PR{Owner: f.owner, Repo: f.rep, Number: f.target.Number, BaseSHA: b, HeadSHA: f.target.HeadSHA, Diff: r.Diff(b, hs)})
}

func TestPublishOne422DoesNotLoseTheReview(t *testing.T) {
	f := newFixture(t)
	fs := f.standardFindings()
	f.dropHunkAt40(t)
	srv, c := f.srv, f.client
	extra := []finding.Finding{
		f.mk("svc/client.go", 20, 20, "another-one", finding.RunsTwice, finding.SeverityWarning, "Fetch"),
		f.mk("svc/client.go", 22, 22, "third-one", finding.UnderLoad, finding.SeverityWarning, "Fetch"),
	}
	res, err := publish.New(c, publish.Options{}).Publish(context.Background(), f.target, f.report(append([]finding.Finding{fs[0], fs[1], fs[2]}, extra...)...), f.patch)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(res.Rejected) != 1 || res.Rejected[0].Finding.Fingerprint != fs[2].Fingerprint ||
		!strings.Contains(res.Rejected[0].Reason, "must be part of the diff") {
		t.Fatalf("Rejected = %+v", res.Rejected)
	}
	var submitted []gh.PullRequestReview
	for _, rv := range srv.Reviews(f.owner, f.rep, f.target.Number) {
		if rv.GetState() != "PENDING" {
			submitted = append(submitted, rv)
		}
	}
	if len(submitted) != 1 || len(srv.Reviews(f.owner, f.rep, f.target.Number)) != 1 {
		t.Fatalf("reviews = %+v, want exactly one submitted and no pending left", srv.Reviews(f.owner, f.rep, f.target.Number))
	}
	if n := len(srv.ReviewComments(f.owner, f.rep, f.target.Number)); n != 4 {
		t.Errorf("posted %d comments, want the 4 valid ones", n)
	}
	sum := srv.IssueComments(f.owner, f.rep, f.target.Number)[0].GetBody()
	if !strings.Contains(sum, "GitHub refused these comments") || !strings.Contains(sum, "svc/client.go:40") || !strings.Contains(sum, "must be part of the diff") {
		t.Errorf("summary does not list the rejected comment:\n%s", sum)
	}
	// The refused finding has no comment, so the check run annotates it,
	// and it alone.
	if runs := srv.CheckRuns(); len(runs) != 1 || len(runs[0].Annotations) != 1 || runs[0].Annotations[0].GetStartLine() != 40 {
		t.Errorf("check runs = %+v; want one annotation, on the refused line 40", runs)
	}
	// The refused finding is remembered through the summary: a re-run does not retry it.
	srv.ResetCalls()
	res, err = publish.New(c, publish.Options{}).Publish(context.Background(), f.target, f.report(append([]finding.Finding{fs[0], fs[1], fs[2]}, extra...)...), f.patch)
	if err != nil {
		t.Fatal(err)
	}
	if srv.Calls(githubtest.RouteCreateReview) != 0 || len(res.Rejected) != 0 || len(res.InSummary) != 1 {
		t.Errorf("re-run: %d create-review calls, %d rejected, %d in summary", srv.Calls(githubtest.RouteCreateReview), len(res.Rejected), len(res.InSummary))
	}
}

func TestPublishWaitsOutSecondaryRateLimit(t *testing.T) {
	f := newFixture(t)
	f.srv.Script(githubtest.SecondaryRateLimit(githubtest.RouteCreateReview, 90*time.Second))
	res, err := publish.New(f.client, publish.Options{}).Publish(context.Background(), f.target, f.report(f.standardFindings()...), f.patch)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if res.ReviewID == 0 || f.srv.Calls(githubtest.RouteCreateReview) != 2 {
		t.Errorf("review %d after %d create calls; want a review after 2", res.ReviewID, f.srv.Calls(githubtest.RouteCreateReview))
	}
	waited := false
	for _, d := range f.clock.Slept() {
		if d >= 90*time.Second {
			waited = true
		}
	}
	if !waited {
		t.Errorf("did not wait out Retry-After: slept %v", f.clock.Slept())
	}
}

func TestPublishPacesContentCreation(t *testing.T) {
	f := newFixture(t)
	start := f.clock.Now()
	if _, err := publish.New(f.client, publish.Options{}).Publish(context.Background(), f.target, f.report(f.standardFindings()...), f.patch); err != nil {
		t.Fatal(err)
	}
	writes := f.srv.Calls(githubtest.RouteCreateReview) + f.srv.Calls(githubtest.RouteCreateReviewComment) +
		f.srv.Calls(githubtest.RouteCreateIssueComment) + f.srv.Calls(githubtest.RouteCreateCheckRun)
	if writes < 4 {
		t.Fatalf("only %d writes", writes)
	}
	if got := f.clock.Now().Sub(start); got < time.Duration(writes-1)*time.Second {
		t.Errorf("%d writes took %v of injected time; want them at least 1s apart", writes, got)
	}
}

func TestPublishWithoutPullRequestsWriteNamesThePermission(t *testing.T) {
	f := newFixture(t)
	f.srv.AddToken("tok-issues", githubtest.Token{Login: bot, Perms: map[string]string{
		"pull_requests": githubtest.Read, "issues": githubtest.Write, "checks": githubtest.Write, "contents": githubtest.Read}})
	_, err := publish.New(f.newClient(t, "tok-issues"), publish.Options{}).Publish(context.Background(), f.target, f.report(f.standardFindings()...), f.patch)
	var pe *publish.PermissionError
	if !errors.As(err, &pe) || pe.Permission != "pull-requests: write" || !strings.Contains(err.Error(), "pull-requests: write") {
		t.Fatalf("err = %v, want a PermissionError naming pull-requests: write", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error is not one line: %q", err)
	}
}

func TestPublishReadsAllPagesAndCapsInlineComments(t *testing.T) {
	f := newFixture(t)
	// 230 findings already posted by an earlier run, on line 20.
	var fs []finding.Finding
	for i := 0; i < 230; i++ {
		fd := f.mk("svc/client.go", 20, 20, fmt.Sprintf("old-%03d", i), finding.RunsTwice, finding.SeverityWarning, "Fetch")
		f.srv.AddComment(f.owner, f.rep, f.target.Number, bot, "svc/client.go", 20, "old\n"+publish.Marker(fd.Fingerprint))
		fs = append(fs, fd)
	}
	// And 120 new ones: 3 go inline under max_comments 3, the rest to the summary.
	for i := 0; i < 120; i++ {
		fs = append(fs, f.mk("svc/client.go", 21, 21, fmt.Sprintf("new-%03d", i), finding.UnderLoad, finding.SeverityWarning, "Fetch"))
	}
	res, err := publish.New(f.client, publish.Options{MaxComments: 3}).Publish(context.Background(), f.target, f.report(fs...), f.patch)
	if err != nil {
		t.Fatal(err)
	}
	if res.AlreadyPosted != 230 {
		t.Errorf("AlreadyPosted = %d, want 230 (pagination lost some)", res.AlreadyPosted)
	}
	// 230 existing comments at 100 a page: 3 pages; the new comments' links
	// are read back from the new review alone.
	if got := f.srv.Calls(githubtest.RouteListReviewComments); got != 3 {
		t.Errorf("list calls = %d, want 3", got)
	}
	if got := f.srv.Calls(githubtest.RouteListCommentsOfReview); got != 1 {
		t.Errorf("review read-back calls = %d, want 1", got)
	}
	for _, po := range res.Posted {
		if po.URL == "" || po.ID == 0 {
			t.Errorf("posted comment without ID or URL: %+v", po)
		}
	}
	if len(res.Posted) != 3 || len(res.InSummary) != 117 {
		t.Errorf("posted %d, in summary %d; want 3 and 117", len(res.Posted), len(res.InSummary))
	}
	// Only the 117 without a comment are annotated, 50 a request.
	runs := f.srv.CheckRuns()
	if len(runs) != 1 || len(runs[0].Annotations) != 117 || f.srv.Calls(githubtest.RouteUpdateCheckRun) != 2 {
		t.Errorf("check run annotations = %d over %d updates; want 117 over 2", len(runs[0].Annotations), f.srv.Calls(githubtest.RouteUpdateCheckRun))
	}
}

func TestPublishRequestChangesOnlyWhenConfigured(t *testing.T) {
	f := newFixture(t)
	res, err := publish.New(f.client, publish.Options{RequestChanges: true}).Publish(context.Background(), f.target, f.report(f.standardFindings()...), f.patch)
	if err != nil {
		t.Fatal(err)
	}
	rvs := f.srv.Reviews(f.owner, f.rep, f.target.Number)
	if res.Event != "REQUEST_CHANGES" || len(rvs) != 1 || rvs[0].GetState() != "CHANGES_REQUESTED" {
		t.Errorf("event %s, reviews %+v", res.Event, rvs)
	}
}

func TestPublishWithoutChecksWriteSaysWhy(t *testing.T) {
	f := newFixture(t)
	f.srv.AddToken("tok-nochecks", githubtest.Token{Login: bot, Perms: map[string]string{
		"pull_requests": githubtest.Write, "issues": githubtest.Write, "contents": githubtest.Read}})
	res, err := publish.New(f.newClient(t, "tok-nochecks"), publish.Options{}).Publish(context.Background(), f.target, f.report(f.standardFindings()...), f.patch)
	if err != nil {
		t.Fatal(err)
	}
	if res.CheckRunID != 0 || !strings.Contains(res.CheckRunSkipped, "checks: write") {
		t.Errorf("CheckRunSkipped = %q", res.CheckRunSkipped)
	}
}

func TestPublishClearsStalePendingReview(t *testing.T) {
	f := newFixture(t)
	stale := f.srv.AddPendingReview(f.owner, f.rep, f.target.Number, bot)
	res, err := publish.New(f.client, publish.Options{}).Publish(context.Background(), f.target, f.report(f.standardFindings()...), f.patch)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	rvs := f.srv.Reviews(f.owner, f.rep, f.target.Number)
	if res.ReviewID == 0 || len(rvs) != 1 || rvs[0].GetID() == stale || rvs[0].GetState() != "COMMENTED" {
		t.Errorf("reviews = %+v; want only the new submitted review", rvs)
	}
	if f.srv.Calls(githubtest.RouteDeleteReview) != 1 || f.srv.Calls(githubtest.RouteCreateReview) != 2 {
		t.Errorf("%d deletes, %d creates; want the stale review deleted and the review retried once",
			f.srv.Calls(githubtest.RouteDeleteReview), f.srv.Calls(githubtest.RouteCreateReview))
	}
}

func TestPublishSameHeadDisappearanceIsNoFix(t *testing.T) {
	f := newFixture(t)
	fs := f.standardFindings()
	pub := publish.New(f.client, publish.Options{})
	if _, err := pub.Publish(context.Background(), f.target, f.report(fs...), f.patch); err != nil {
		t.Fatal(err)
	}
	// Same head, one finding gone (its check was switched off): no "Fixed in".
	f.srv.ResetCalls()
	res, err := pub.Publish(context.Background(), f.target, f.report(fs[0], fs[1], fs[3], fs[4]), f.patch)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Fixed) != 0 || f.srv.Calls(githubtest.RouteCreateReviewComment) != 0 {
		t.Errorf("fixed = %+v on the same head", res.Fixed)
	}
}

func TestPublishResolvesAcrossThreadPages(t *testing.T) {
	f := newFixture(t)
	var ids []int64
	for i := 0; i < 150; i++ {
		fd := f.mk("svc/client.go", 20, 20, fmt.Sprintf("gone-%03d", i), finding.RunsTwice, finding.SeverityWarning, "Fetch")
		ids = append(ids, f.srv.AddComment(f.owner, f.rep, f.target.Number, bot, "svc/client.go", 20, "old\n"+publish.Marker(fd.Fingerprint)))
	}
	f.repo.WriteFile("svc/extra.go", "package svc\n")
	newHead := f.repo.Commit("more")
	diff := f.repo.Diff(f.target.BaseSHA, newHead)
	f.srv.Push(t, f.owner, f.rep, f.target.Number, newHead, diff)
	pt, err := patch.Parse(strings.NewReader(diff))
	if err != nil {
		t.Fatal(err)
	}
	t2 := f.target
	t2.HeadSHA = newHead
	res, err := publish.New(f.client, publish.Options{}).Publish(context.Background(), t2, f.report(), pt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Fixed) != 150 {
		t.Fatalf("fixed %d, want 150", len(res.Fixed))
	}
	for _, id := range ids {
		if !f.srv.Resolved(f.owner, f.rep, f.target.Number, id) {
			t.Fatalf("thread %d (past the first page of threads) not resolved", id)
		}
	}
	// Two pages of threads plus one mutation per thread.
	if got := f.srv.Calls(githubtest.RouteGraphQL); got != 152 {
		t.Errorf("graphql calls = %d, want 152", got)
	}
}

func TestPublishSeveralRefusedAmongMany(t *testing.T) {
	f := newFixture(t)
	f.dropHunkAt40(t)
	var fs []finding.Finding
	for j := 0; j < 9; j++ {
		fs = append(fs, f.mk("svc/client.go", 20+j%3, 20+j%3, fmt.Sprintf("ok-%02d", j), finding.RunsTwice, finding.SeverityWarning, "Fetch"))
	}
	fs = append(fs,
		f.mk("svc/client.go", 40, 40, "bad-a", finding.UnderLoad, finding.SeverityWarning, "Start"),
		f.mk("svc/client.go", 40, 40, "bad-b", finding.UnderLoad, finding.SeverityWarning, "Start"))
	rep := f.report(fs...)
	// Put one refused comment first, so both halves of the batch fail.
	rep.Findings = append([]finding.Finding{rep.Findings[len(rep.Findings)-1]}, rep.Findings[:len(rep.Findings)-1]...)
	res, err := publish.New(f.client, publish.Options{}).Publish(context.Background(), f.target, rep, f.patch)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejected) != 2 || len(f.srv.ReviewComments(f.owner, f.rep, f.target.Number)) != 9 {
		t.Errorf("rejected %d, posted %d; want 2 and 9", len(res.Rejected), len(f.srv.ReviewComments(f.owner, f.rep, f.target.Number)))
	}
	for _, r := range res.Rejected {
		if r.Finding.Line != 40 {
			t.Errorf("a valid comment was rejected: %+v", r.Finding)
		}
	}
}

func TestPublishBudgetGoesToSevereFirst(t *testing.T) {
	f := newFixture(t)
	fs := []finding.Finding{
		f.mk("svc/client.go", 20, 20, "a-warning", finding.RunsTwice, finding.SeverityWarning, "Fetch"),
		f.mk("svc/client.go", 21, 21, "b-warning", finding.RunsTwice, finding.SeverityWarning, "Fetch"),
		f.mk("svc/client.go", 40, 40, "c-error", finding.UnderLoad, finding.SeverityError, "Start"),
	}
	res, err := publish.New(f.client, publish.Options{MaxComments: 1}).Publish(context.Background(), f.target, f.report(fs...), f.patch)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Posted) != 1 || res.Posted[0].Finding.Check != "c-error" || len(res.InSummary) != 2 {
		t.Errorf("posted %+v; want only the error inline", res.Posted)
	}
}

func TestPublishMessagesCannotForgeMarkers(t *testing.T) {
	f := newFixture(t)
	victim := f.mk("svc/client.go", 40, 40, "victim", finding.UnderLoad, finding.SeverityError, "Start")
	forger := f.mk("svc/client.go", 20, 20, "forger", finding.RunsTwice, finding.SeverityWarning, "Fetch")
	forger.Message = "harmless <!-- prodready:listed=" + victim.Fingerprint + " --> <!-- prodready:fp=" + victim.Fingerprint + " -->"
	other := f.mk("svc/other.go", 1, 1, "summary-only", finding.RunsTwice, finding.SeverityWarning, "")
	other.Message = forger.Message
	pub := publish.New(f.client, publish.Options{MaxComments: 1})
	// First run: the forger goes inline and the other's message lands in the
	// summary; neither may make the victim look posted on the second run.
	if _, err := pub.Publish(context.Background(), f.target, f.report(forger, other), f.patch); err != nil {
		t.Fatal(err)
	}
	res, err := pub.Publish(context.Background(), f.target, f.report(forger, other, victim), f.patch)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Posted) != 1 || res.Posted[0].Finding.Fingerprint != victim.Fingerprint {
		t.Errorf("posted %+v; a forged marker in a message suppressed a real finding", res.Posted)
	}
}

// A "not asked" note on a file is no skip: a fixed checklist finding there
// is resolved. Only an LLM comment there stays open, since the model was not
// asked about it this run.
func TestPublishNotAskedNoteKeepsOnlyLLMCommentsOpen(t *testing.T) {
	f := newFixture(t)
	fs := f.standardFindings()
	llmFinding := fs[1]
	llmFinding.Source, llmFinding.Check = finding.SourceLLM, "llm"
	llmFinding.SetFingerprint()
	pub := publish.New(f.client, publish.Options{})
	if _, err := pub.Publish(context.Background(), f.target, f.report(fs[0], llmFinding), f.patch); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, c := range f.srv.ReviewComments(f.owner, f.rep, f.target.Number) {
		ids[publish.FingerprintOf(c.GetBody())] = c.GetID()
	}
	cl, ll := ids[fs[0].Fingerprint], ids[llmFinding.Fingerprint]
	if cl == 0 || ll == 0 {
		t.Fatalf("comments = %v; want the checklist and the LLM finding posted", ids)
	}
	// A push fixes both lines; the model was not asked about the file.
	head := append([]string(nil), f.headLines...)
	head[19] = "resp, err := client.Get(url)"
	head[20] = "defer resp.Body.Close() // checked below"
	f.repo.WriteFile("svc/client.go", join(head))
	newHead := f.repo.Commit("fix")
	diff := f.repo.Diff(f.target.BaseSHA, newHead)
	f.srv.Push(t, f.owner, f.rep, f.target.Number, newHead, diff)
	pt, err := patch.Parse(strings.NewReader(diff))
	if err != nil {
		t.Fatal(err)
	}
	t2 := f.target
	t2.HeadSHA = newHead
	rep := f.report()
	rep.Head = newHead
	rep.Notes = append(rep.Notes, finding.Note{Kind: finding.NoteNotAsked, Path: "svc/client.go", Reason: "not asked: declarations at line 3"})
	res, err := pub.Publish(context.Background(), t2, rep, pt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Fixed) != 1 || res.Fixed[0].CommentID != cl || !f.srv.Resolved(f.owner, f.rep, f.target.Number, cl) {
		t.Errorf("Fixed = %+v; want the checklist comment %d replied to and resolved", res.Fixed, cl)
	}
	if f.srv.Resolved(f.owner, f.rep, f.target.Number, ll) {
		t.Errorf("the LLM comment %d was resolved though the model was not asked about its file", ll)
	}
}

// Info means "shown in the summary, not worth a comment": by default an info
// finding is listed and counted in the summary and annotated on the check
// run, but never posted inline, even with budget to spare.
func TestPublishInfoGoesToTheSummaryNotInline(t *testing.T) {
	f := newFixture(t)
	fs := []finding.Finding{
		f.mk("svc/client.go", 20, 20, "read-unbounded", finding.UnderLoad, finding.SeverityInfo, "Fetch"),
		f.mk("svc/client.go", 40, 40, "lock-across-io", finding.UnderLoad, finding.SeverityWarning, "Start"),
	}
	res, err := publish.New(f.client, publish.Options{}).Publish(context.Background(), f.target, f.report(fs...), f.patch)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Posted) != 1 || res.Posted[0].Finding.Check != "lock-across-io" {
		t.Errorf("posted %+v; want only the warning inline", res.Posted)
	}
	if len(res.InSummary) != 1 || res.InSummary[0].Check != "read-unbounded" {
		t.Errorf("in summary %+v; want the info finding", res.InSummary)
	}
	for _, c := range f.srv.ReviewComments(f.owner, f.rep, f.target.Number) {
		if strings.Contains(c.GetBody(), "read-unbounded") {
			t.Errorf("info finding posted inline: %q", c.GetBody())
		}
	}
	ics := f.srv.IssueComments(f.owner, f.rep, f.target.Number)
	if len(ics) != 1 {
		t.Fatalf("summary comments = %d, want 1", len(ics))
	}
	sum := ics[0].GetBody()
	if !strings.Contains(sum, "`svc/client.go:20` info `read-unbounded`") || !strings.Contains(sum, "| under-load | 0 | 1 | 1 |") {
		t.Errorf("summary does not list and count the info finding:\n%s", sum)
	}

	// Asked for, info goes inline like the rest.
	g := newFixture(t)
	res, err = publish.New(g.client, publish.Options{InlineInfo: true}).Publish(context.Background(), g.target, g.report(fs[0]), g.patch)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Posted) != 1 || len(res.InSummary) != 0 {
		t.Errorf("with InlineInfo: posted %d, in summary %d; want 1 and 0", len(res.Posted), len(res.InSummary))
	}
}
