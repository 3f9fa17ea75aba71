package action_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/github/action"
	"github.com/prodready/prodready/github/client"
	"github.com/prodready/prodready/github/githubtest"
	"github.com/prodready/prodready/internal/exitcode"
	"github.com/prodready/prodready/internal/testenv"
	"github.com/prodready/prodready/review"
)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return ctx.Err()
}

const bot = "github-actions[bot]"

// world is a pull request: an origin repository, a shallow checkout of the
// head as actions/checkout leaves it, the fake API, and the Actions files.
type world struct {
	origin, checkout *githubtest.Repo
	base, head       string
	headLines        []string
	srv              *githubtest.Server
	env              map[string]string
	dir              string
	clock            *clock
	owner, repo      string
	number           int
}

func fixture(t *testing.T, name string) map[string]any {
	t.Helper()
	data := testenv.Webhook(t, name)
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func src(n int) []string {
	lines := []string{"package svc", ""}
	for i := 3; i <= n; i++ {
		lines = append(lines, fmt.Sprintf("// line %d", i))
	}
	return lines
}

func join(l []string) string { return strings.Join(l, "\n") + "\n" }

func newWorld(t *testing.T, fork bool) *world {
	t.Helper()
	w := &world{dir: t.TempDir(), clock: &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}
	o := githubtest.NewRepo(t)
	o.Git("config", "uploadpack.allowAnySHA1InWant", "true")
	o.WriteFile("go.mod", "module example.com/svc\n\ngo 1.22\n")
	o.WriteFile("svc/client.go", join(src(50)))
	// The base branch's config: fail on warnings.
	o.WriteFile(".prodready.yml", "fail_on: warning\nmax_comments: 10\n")
	w.base = o.Commit("base")
	o.Git("checkout", "--quiet", "-b", "feature")
	head := src(50)
	head[19] = "resp, err := http.Get(url)"
	head[39] = "go worker()"
	o.WriteFile("svc/client.go", join(head))
	// The pull request tries to switch its reviewer off; it must not work.
	o.WriteFile(".prodready.yml", "fail_on: none\nchecks:\n  disable: [everything]\n")
	w.head = o.Commit("head")
	w.origin, w.headLines = o, head
	w.checkout = githubtest.Clone(t, o, "--depth=1", "--branch=feature")

	ev := fixture(t, "pull_request.opened.json")
	pr := ev["pull_request"].(map[string]any)
	pr["base"].(map[string]any)["sha"] = w.base
	pr["head"].(map[string]any)["sha"] = w.head
	if fork {
		pr["head"].(map[string]any)["repo"].(map[string]any)["full_name"] = "forker/Hello-World"
		pr["head"].(map[string]any)["repo"].(map[string]any)["fork"] = true
	}
	repoObj := ev["repository"].(map[string]any)
	w.owner = repoObj["owner"].(map[string]any)["login"].(string)
	w.repo = repoObj["name"].(string)
	w.number = int(ev["number"].(float64))
	evPath := filepath.Join(w.dir, "event.json")
	data, _ := json.Marshal(ev)
	if err := os.WriteFile(evPath, data, 0o644); err != nil {
		t.Fatal(err)
	}

	w.srv = githubtest.New(t)
	w.srv.AddToken("tok-write", githubtest.WriteToken(bot))
	w.srv.AddToken("tok-read", githubtest.ReadOnlyToken(bot))
	w.srv.AddPR(t, githubtest.PR{Owner: w.owner, Repo: w.repo, Number: w.number, BaseSHA: w.base, HeadSHA: w.head,
		Diff: o.Diff(w.base, w.head), Fork: fork})
	w.env = map[string]string{
		"GITHUB_EVENT_PATH":   evPath,
		"GITHUB_EVENT_NAME":   "pull_request",
		"GITHUB_REPOSITORY":   w.owner + "/" + w.repo,
		"GITHUB_API_URL":      w.srv.APIURL(),
		"GITHUB_TOKEN":        "tok-write",
		"GITHUB_WORKSPACE":    w.checkout.Dir,
		"GITHUB_STEP_SUMMARY": filepath.Join(w.dir, "summary.md"),
		"GITHUB_OUTPUT":       filepath.Join(w.dir, "output.txt"),
	}
	return w
}

// findings are what the checks would say about the head.
func (w *world) findings() []finding.Finding {
	mk := func(line int, check string, q finding.Question, sev finding.Severity, msg string) finding.Finding {
		f := finding.Finding{Path: "svc/client.go", Line: line, EndLine: line, Check: check, Question: q, Severity: sev,
			Message: msg, Source: finding.SourceChecklist, Function: "Fetch", LineText: w.headLines[line-1]}
		f.SetFingerprint()
		return f
	}
	return []finding.Finding{
		mk(20, "http-no-timeout", finding.FailsHalfway, finding.SeverityWarning, "http.Get has no timeout: 50% of calls, a, b"),
		mk(40, "unbounded-goroutine", finding.UnderLoad, finding.SeverityError, "one goroutine per request\nunder load"),
	}
}

// options run the real pipeline over the checkout, then add the findings
// the (still growing) checklist would make, after checking what the action
// passed in.
func (w *world) options(t *testing.T, stdout, stderr *bytes.Buffer) action.Options {
	return action.Options{
		Getenv: func(k string) string { return w.env[k] },
		Stdout: stdout, Stderr: stderr,
		Client: client.Options{Sleep: w.clock.Sleep, Now: w.clock.Now},
		Report: func(ctx context.Context, ro review.Options) (*review.Result, error) {
			if ro.Base != w.base || ro.Head != w.head {
				t.Errorf("review ran on %s..%s, want %s..%s", ro.Base, ro.Head, w.base, w.head)
			}
			res, err := review.Run(ctx, ro)
			if err != nil {
				return nil, err
			}
			if cfg := res.Settings.Config; cfg.FailOn != finding.SeverityWarning || len(cfg.Checks.Disable) != 0 || res.Settings.FailOn != finding.SeverityWarning {
				t.Errorf("settings = %+v, want the base branch's config (fail_on: warning)", res.Settings)
			}
			rep := res.Report
			rep.Findings = append(rep.Findings, w.findings()...)
			rep.Sort()
			return res, nil
		},
	}
}

func (w *world) file(t *testing.T, key string) string {
	t.Helper()
	data, err := os.ReadFile(w.env[key])
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	return string(data)
}

func TestActionPostsReviewFromShallowCheckout(t *testing.T) {
	w := newWorld(t, false)
	if w.checkout.Git("rev-parse", "--is-shallow-repository") != "true" {
		t.Fatal("the checkout is not shallow; the test would prove nothing")
	}
	var stdout, stderr bytes.Buffer
	out, err := action.Run(context.Background(), w.options(t, &stdout, &stderr))
	if err != nil {
		t.Fatalf("Run: %v (stderr %s)", err, stderr.String())
	}
	if out.Findings != 2 || out.AtOrAbove != 2 || out.FailOn != finding.SeverityWarning {
		t.Errorf("outcome = %+v", out)
	}
	if w.srv.Calls(githubtest.RouteCreateReview) != 1 || len(w.srv.ReviewComments(w.owner, w.repo, w.number)) != 2 {
		t.Errorf("create-review calls %d, comments %d; want 1 and 2", w.srv.Calls(githubtest.RouteCreateReview), len(w.srv.ReviewComments(w.owner, w.repo, w.number)))
	}
	if !strings.Contains(w.file(t, "GITHUB_STEP_SUMMARY"), "Reviewed up to "+w.head) {
		t.Errorf("step summary lacks the review")
	}
	if !strings.Contains(w.file(t, "GITHUB_OUTPUT"), "findings=2\n") {
		t.Errorf("outputs = %q", w.file(t, "GITHUB_OUTPUT"))
	}
	if strings.Contains(stdout.String(), "::warning") {
		t.Errorf("annotations written although the review was posted: %s", stdout.String())
	}
}

func TestActionForkWithReadOnlyTokenDegrades(t *testing.T) {
	w := newWorld(t, true)
	w.env["GITHUB_TOKEN"] = "tok-read"
	var stdout, stderr bytes.Buffer
	out, err := action.Run(context.Background(), w.options(t, &stdout, &stderr))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if out.Degraded == "" || out.AtOrAbove != 2 {
		t.Errorf("outcome = %+v, want degraded with 2 findings at or above warning", out)
	}
	so := stdout.String()
	for _, want := range []string{
		"::warning file=svc/client.go,line=20,endLine=20,title=prodready http-no-timeout (fails-halfway)::http.Get has no timeout: 50%25 of calls, a, b\n",
		"::error file=svc/client.go,line=40,endLine=40,title=prodready unbounded-goroutine (under-load)::one goroutine per request%0Aunder load\n",
	} {
		if !strings.Contains(so, want) {
			t.Errorf("stdout lacks %q:\n%s", want, so)
		}
	}
	if n := strings.Count(so, "::notice "); n != 1 || !strings.Contains(so, "fork") {
		t.Errorf("want one notice line about the fork, got %d:\n%s", n, so)
	}
	sum := w.file(t, "GITHUB_STEP_SUMMARY")
	if !strings.Contains(sum, "fork") || !strings.Contains(sum, "svc/client.go:40") {
		t.Errorf("step summary = %s", sum)
	}
	for _, r := range []string{githubtest.RouteCreateReview, githubtest.RouteCreateIssueComment, githubtest.RouteCreateCheckRun} {
		if w.srv.Calls(r) != 0 {
			t.Errorf("%s called %d times with a read-only token", r, w.srv.Calls(r))
		}
	}
}

func TestActionForbiddenReviewDegradesAndNamesPermission(t *testing.T) {
	w := newWorld(t, false)
	w.env["GITHUB_TOKEN"] = "tok-read"
	var stdout, stderr bytes.Buffer
	_, err := action.Run(context.Background(), w.options(t, &stdout, &stderr))
	if !exitcode.IsUsage(err) || !strings.Contains(err.Error(), "pull-requests: write") {
		t.Fatalf("err = %v, want a usage error naming pull-requests: write", err)
	}
	if !strings.Contains(stdout.String(), "::error file=svc/client.go,line=40") {
		t.Errorf("no annotations after the 403:\n%s", stdout.String())
	}
	if sum := w.file(t, "GITHUB_STEP_SUMMARY"); !strings.Contains(sum, "svc/client.go:20") || !strings.Contains(sum, "pull-requests: write") {
		t.Errorf("step summary after the 403 lacks the findings or the cause:\n%s", sum)
	}
	if strings.Contains(stdout.String(), "::notice") {
		t.Errorf("the cause went out twice (notice and error line)")
	}
}

func TestActionSaveThenPostTamperedArtifact(t *testing.T) {
	w := newWorld(t, true)
	w.env["GITHUB_TOKEN"] = "tok-read"
	art := filepath.Join(w.dir, "findings.json")
	var stdout, stderr bytes.Buffer
	o := w.options(t, &stdout, &stderr)
	o.Save = art
	if _, err := action.Run(context.Background(), o); err != nil {
		t.Fatalf("--save: %v", err)
	}
	if w.srv.Calls(githubtest.RouteCreateReview) != 0 {
		t.Fatalf("--save posted")
	}
	a, err := action.LoadArtifact(art)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Findings) != 2 {
		t.Fatalf("artifact holds %d findings", len(a.Findings))
	}
	// The fork's author tampers with the artifact.
	valid := a.Findings[0]
	valid.Message = "ping @octocat and @github/security, then drop tables"
	outside := a.Findings[1]
	outside.Line, outside.EndLine, outside.Fingerprint = 3, 3, "00000000000000aa"
	huge := a.Findings[1]
	huge.Message = strings.Repeat("A", 10<<20)
	huge.Fingerprint = "00000000000000bb"
	traversal := a.Findings[1]
	traversal.Path, traversal.Fingerprint = "../../etc/passwd", "00000000000000cc"
	notInDiff := a.Findings[1]
	notInDiff.Path, notInDiff.Fingerprint = "svc/other.go", "00000000000000dd"
	a.Findings = []action.ArtifactFinding{valid, outside, huge, traversal, notInDiff}
	if err := a.Save(art); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(art); fi.Size() < 10<<20 {
		t.Fatalf("artifact is only %d bytes", fi.Size())
	}

	wr := map[string]any{"workflow_run": map[string]any{"event": "pull_request", "head_sha": w.head, "pull_requests": []any{},
		"head_repository": map[string]any{"full_name": "forker/Hello-World"}},
		"repository": map[string]any{"full_name": w.owner + "/" + w.repo}}
	data, _ := json.Marshal(wr)
	evPath := filepath.Join(w.dir, "workflow_run.json")
	if err := os.WriteFile(evPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	w.env["GITHUB_EVENT_PATH"], w.env["GITHUB_EVENT_NAME"], w.env["GITHUB_TOKEN"] = evPath, "workflow_run", "tok-write"
	w.srv.SetFile(w.owner, w.repo, w.base, ".prodready.yml", "fail_on: error\n")
	stdout.Reset()
	stderr.Reset()
	o = w.options(t, &stdout, &stderr)
	o.Post = art
	out, err := action.Run(context.Background(), o)
	if err != nil {
		t.Fatalf("--post: %v", err)
	}
	if out.Findings != 1 || len(out.Dropped) != 4 || out.FailOn != finding.SeverityError || out.AtOrAbove != 0 {
		t.Errorf("outcome = findings %d, dropped %+v, fail-on %s, at or above %d", out.Findings, out.Dropped, out.FailOn, out.AtOrAbove)
	}
	cs := w.srv.ReviewComments(w.owner, w.repo, w.number)
	if len(cs) != 1 || cs[0].GetLine() != 20 {
		t.Fatalf("posted %d comments, want only the valid one on line 20", len(cs))
	}
	body := cs[0].GetBody()
	if strings.Contains(body, "@octocat") || strings.Contains(body, "@github/security") {
		t.Errorf("mentions not defused: %q", body)
	}
	sum := w.srv.IssueComments(w.owner, w.repo, w.number)
	if len(sum) != 1 || len(sum[0].GetBody()) > 65536 || strings.Contains(sum[0].GetBody(), "AAAAAAAAAA") {
		t.Errorf("summary missing or carrying the oversized body")
	}
	if !strings.Contains(stderr.String(), "dropped 4 finding(s)") {
		t.Errorf("stderr = %q", stderr.String())
	}
}

func TestActionPostRefusesArtifactForAnotherCommit(t *testing.T) {
	w := newWorld(t, true)
	art := filepath.Join(w.dir, "findings.json")
	a := &action.Artifact{Version: 1, Repository: w.owner + "/" + w.repo, Number: w.number, HeadSHA: w.base}
	if err := a.Save(art); err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(map[string]any{"workflow_run": map[string]any{"event": "pull_request", "head_sha": w.head},
		"repository": map[string]any{"full_name": w.owner + "/" + w.repo}})
	evPath := filepath.Join(w.dir, "wr.json")
	if err := os.WriteFile(evPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	w.env["GITHUB_EVENT_PATH"], w.env["GITHUB_EVENT_NAME"] = evPath, "workflow_run"
	var stdout, stderr bytes.Buffer
	o := w.options(t, &stdout, &stderr)
	o.Post = art
	_, err := action.Run(context.Background(), o)
	if !exitcode.IsUsage(err) || !strings.Contains(err.Error(), "refusing") {
		t.Fatalf("err = %v", err)
	}
	if w.srv.Calls(githubtest.RouteCreateReview)+w.srv.Calls(githubtest.RouteCreateIssueComment) != 0 {
		t.Errorf("posted from a refused artifact")
	}
}

func TestEscaping(t *testing.T) {
	if got := action.EscapeData("50% a\r\nb:c,d"); got != "50%25 a%0D%0Ab:c,d" {
		t.Errorf("EscapeData = %q", got)
	}
	if got := action.EscapeProperty("a%b\nc:d,e"); got != "a%25b%0Ac%3Ad%2Ce" {
		t.Errorf("EscapeProperty = %q", got)
	}
}

func TestParseEventRejectsUnsupported(t *testing.T) {
	_, err := action.ParseEvent([]byte(`{"action":"created","comment":{}}`), "issue_comment")
	if err == nil || !strings.Contains(err.Error(), "pull_request") {
		t.Errorf("err = %v", err)
	}
	ev, err := action.ParseEvent(mustJSON(t, fixture(t, "pull_request.synchronize.json")), "")
	if err != nil || ev.Name != "pull_request" || ev.Number != 2 || ev.Fork || ev.HeadSHA != "ec26c3e57ca3a959ca5aad62de7213c562f8c821" {
		t.Errorf("ev = %+v, err = %v", ev, err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

const priceGo = `package price

import (
	"io"
	"net/http"
)

// Fetch reads a price.
func Fetch(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}
`

const priceFixedGo = `package price

import (
	"io"
	"net/http"
	"time"
)

var client = &http.Client{Timeout: 10 * time.Second}

// Fetch reads a price.
func Fetch(url string) ([]byte, error) {
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}
`

// TestActionRealPipelineLifecycle runs the real pipeline and the real catalog
// from a shallow checkout: the first run posts a review with the http.Get
// finding, a re-run posts nothing and edits the summary, and a pushed fix
// gets a "Fixed in" reply and a resolved thread.
func TestActionRealPipelineLifecycle(t *testing.T) {
	o := githubtest.NewRepo(t)
	o.Git("config", "uploadpack.allowAnySHA1InWant", "true")
	o.WriteFile("go.mod", "module example.com/svc\n\ngo 1.22\n")
	o.WriteFile("price/doc.go", "// Package price reads prices.\npackage price\n")
	base := o.Commit("base")
	o.Git("checkout", "--quiet", "-b", "feature")
	o.WriteFile("price/price.go", priceGo)
	head := o.Commit("add Fetch")

	dir := t.TempDir()
	ev := fixture(t, "pull_request.opened.json")
	owner := ev["repository"].(map[string]any)["owner"].(map[string]any)["login"].(string)
	repo := ev["repository"].(map[string]any)["name"].(string)
	number := int(ev["number"].(float64))
	writeEvent := func(headSHA string) string {
		pr := ev["pull_request"].(map[string]any)
		pr["base"].(map[string]any)["sha"] = base
		pr["head"].(map[string]any)["sha"] = headSHA
		p := filepath.Join(dir, headSHA+".json")
		if err := os.WriteFile(p, mustJSON(t, ev), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	srv := githubtest.New(t)
	srv.AddToken("tok", githubtest.WriteToken(bot))
	srv.AddPR(t, githubtest.PR{Owner: owner, Repo: repo, Number: number, BaseSHA: base, HeadSHA: head, Diff: o.Diff(base, head)})
	clk := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	env := map[string]string{
		"GITHUB_EVENT_NAME": "pull_request", "GITHUB_REPOSITORY": owner + "/" + repo,
		"GITHUB_API_URL": srv.APIURL(), "GITHUB_TOKEN": "tok",
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary.md"), "GITHUB_OUTPUT": filepath.Join(dir, "out.txt"),
	}
	run := func(headSHA string) *action.Outcome {
		t.Helper()
		env["GITHUB_EVENT_PATH"] = writeEvent(headSHA)
		env["GITHUB_WORKSPACE"] = githubtest.Clone(t, o, "--depth=1", "--branch=feature").Dir
		var stdout, stderr bytes.Buffer
		out, err := action.Run(context.Background(), action.Options{
			Getenv: func(k string) string { return env[k] }, Stdout: &stdout, Stderr: &stderr,
			Client: client.Options{Sleep: clk.Sleep, Now: clk.Now},
		})
		if err != nil {
			t.Fatalf("Run at %s: %v (stderr %s)", headSHA[:8], err, stderr.String())
		}
		return out
	}

	out := run(head)
	if out.AtOrAbove == 0 {
		t.Errorf("http-no-timeout is an error; outcome = %+v", out)
	}
	var hit int64
	for _, c := range srv.ReviewComments(owner, repo, number) {
		if c.GetPath() == "price/price.go" && c.GetLine() == 10 && strings.Contains(c.GetBody(), "http-no-timeout") {
			hit = c.GetID()
		}
	}
	if hit == 0 || srv.Calls(githubtest.RouteCreateReview) != 1 {
		t.Fatalf("no http-no-timeout comment on price/price.go:10 in one review: %+v", srv.ReviewComments(owner, repo, number))
	}
	comments := len(srv.ReviewComments(owner, repo, number))

	srv.ResetCalls()
	run(head)
	if srv.Calls(githubtest.RouteCreateReview) != 0 || len(srv.ReviewComments(owner, repo, number)) != comments {
		t.Errorf("re-run posted again: %d create-review calls", srv.Calls(githubtest.RouteCreateReview))
	}
	if srv.Calls(githubtest.RouteEditIssueComment) != 1 || len(srv.IssueComments(owner, repo, number)) != 1 {
		t.Errorf("summary: %d edits, %d comments; want 1 and 1", srv.Calls(githubtest.RouteEditIssueComment), len(srv.IssueComments(owner, repo, number)))
	}

	o.WriteFile("price/price.go", priceFixedGo)
	fixed := o.Commit("client with a timeout")
	srv.Push(t, owner, repo, number, fixed, o.Diff(base, fixed))
	run(fixed)
	if !srv.Resolved(owner, repo, number, hit) {
		t.Errorf("the thread of the fixed finding is not resolved")
	}
	replied := false
	for _, c := range srv.ReviewComments(owner, repo, number) {
		if c.GetInReplyTo() == hit && strings.HasPrefix(c.GetBody(), "Fixed in "+fixed) {
			replied = true
		}
	}
	if !replied {
		t.Errorf("no \"Fixed in %s\" reply", fixed[:8])
	}
	if sum := srv.IssueComments(owner, repo, number); len(sum) != 1 || !strings.Contains(sum[0].GetBody(), "Reviewed up to "+fixed) {
		t.Errorf("summary not updated to the fix")
	}
}
