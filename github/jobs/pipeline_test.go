package jobs

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/prodready/prodready/github/client"
	"github.com/prodready/prodready/github/githubtest"
	"github.com/prodready/prodready/github/jobs/jobstest"
)

const goMod = "module example.com/m\n\ngo 1.22\n"

// fetchCode has one finding: http.Get has no timeout.
const fetchCode = `package m

import "net/http"

// Fetch gets a page.
func Fetch(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
`

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type fixture struct {
	g          *jobstest.GitHub
	repo       *jobstest.Repo
	base, head string
	p          *Pipeline
	logs       *syncBuffer
	sleeps     []time.Duration
	metrics    *Metrics
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{g: jobstest.New(t), logs: &syncBuffer{}}
	f.repo, f.base = f.g.NewRepo("octo", "shop", map[string]string{
		"go.mod":   goMod,
		"price.go": "package m\n",
	})
	f.head = f.repo.Push("feature", map[string]string{"price.go": fetchCode})
	f.repo.OpenPR(7, f.base, f.head)
	f.metrics = NewMetrics(prometheus.NewRegistry())
	var mu sync.Mutex
	f.p = &Pipeline{
		AppID: jobstest.AppID, PrivateKey: f.g.PrivateKeyPEM, APIURL: f.g.APIURL(),
		DataDir: t.TempDir(), Publisher: GitHubPublisher{}, Metrics: f.metrics,
		ClientOptions: client.Options{PaceInterval: -1, Sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			defer mu.Unlock()
			f.sleeps = append(f.sleeps, d)
			return nil
		}},
	}
	return f
}

func (f *fixture) job(id int64) *Job {
	return &Job{ID: id, Attempt: 1, MaxAttempts: 3,
		Log: slog.New(slog.NewJSONHandler(f.logs, nil)),
		Args: ReviewArgs{InstallationID: 1, Owner: "octo", Repo: "shop", Number: 7,
			HeadSHA: f.head, BaseSHA: f.base, CloneURL: f.g.CloneURL("octo", "shop"), Delivery: "d"}}
}

func TestPipelineReviewsOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var fetchURLs []string
	f.g.BeforeFetch(func(r *http.Request) { fetchURLs = append(fetchURLs, r.URL.String()) })
	if err := f.p.Review(ctx, f.job(1)); err != nil {
		t.Fatal(err)
	}
	rs := f.g.Reviews("octo", "shop", 7)
	if len(rs) != 1 || rs[0].GetCommitID() != f.head || rs[0].GetState() != "COMMENTED" {
		t.Fatalf("reviews = %+v; want one COMMENT review on the head", rs)
	}
	if cs := f.g.API.ReviewComments("octo", "shop", 7); len(cs) != 1 || !strings.Contains(cs[0].GetBody(), "prodready:fp=") {
		t.Fatalf("review comments = %+v; want the http.Get finding", cs)
	}
	cs := f.g.Summaries("octo", "shop", 7)
	if len(cs) != 1 || !strings.Contains(cs[0].GetBody(), f.head) {
		t.Fatalf("summary comments = %+v; want one naming the head", cs)
	}
	if _, err := os.Stat(filepath.Join(f.p.DataDir, "work", "job-1")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("workspace left behind: %v", err)
	}
	if len(fetchURLs) == 0 {
		t.Fatal("no git fetch reached the server")
	}
	for _, u := range fetchURLs {
		if strings.Contains(u, f.g.Token) {
			t.Fatalf("token in a URL: %s", u)
		}
	}
	if strings.Contains(f.logs.String(), f.g.Token) {
		t.Fatal("token in the logs")
	}
	// The same job again (a re-run after a crash) adds no review and edits the summary.
	if err := f.p.Review(ctx, f.job(1)); err != nil {
		t.Fatal(err)
	}
	if n := len(f.g.API.ReviewComments("octo", "shop", 7)); n != 1 {
		t.Fatalf("%d review comments after a re-run, want 1", n)
	}
	if n := len(f.g.Summaries("octo", "shop", 7)); n != 1 {
		t.Fatalf("%d summary comments after a re-run, want 1", n)
	}
	if v := testutil.ToFloat64(f.metrics.GitHubCalls.WithLabelValues("200")); v == 0 {
		t.Error("no GitHub calls counted")
	}
}

func TestPipelineRetriesBadGateway(t *testing.T) {
	f := newFixture(t)
	f.g.FailReviews(2)
	if err := f.p.Review(context.Background(), f.job(2)); err != nil {
		t.Fatal(err)
	}
	if n := len(f.g.Reviews("octo", "shop", 7)); n != 1 {
		t.Fatalf("%d reviews, want exactly 1", n)
	}
	if n := f.g.API.Calls(githubtest.RouteCreateReview); n != 3 {
		t.Fatalf("%d review POSTs, want 3 (two 502s, then success)", n)
	}
	if len(f.sleeps) != 2 {
		t.Fatalf("waited %d times before retrying, want 2", len(f.sleeps))
	}
	if v := testutil.ToFloat64(f.metrics.GitHubCalls.WithLabelValues("502")); v != 2 {
		t.Errorf("github calls{502} = %v, want 2", v)
	}
}

func TestPipelineSupersededDoesNotPublish(t *testing.T) {
	f := newFixture(t)
	j := f.job(3)
	j.current = func(context.Context) (bool, error) { return false, nil }
	if err := f.p.Review(context.Background(), j); !errors.Is(err, ErrSuperseded) {
		t.Fatalf("Review = %v, want ErrSuperseded", err)
	}
	if n := len(f.g.Reviews("octo", "shop", 7)); n != 0 {
		t.Fatalf("%d reviews published by a superseded job", n)
	}
}

func TestPipelineReviewCommand(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	j := f.job(4)
	j.Args.HeadSHA, j.Args.BaseSHA, j.Args.CommentID, j.Args.Commenter = "", "", 99, "mallory"
	f.g.SetPermission("mallory", "read")
	if err := f.p.Review(ctx, j); err != nil {
		t.Fatalf("refused command: %v", err)
	}
	if n := len(f.g.Reviews("octo", "shop", 7)); n != 0 {
		t.Fatalf("a read-only commenter got a review (%d)", n)
	}
	j.Args.Commenter = "maintainer"
	f.g.SetPermission("maintainer", "write")
	if err := f.p.Review(ctx, j); err != nil {
		t.Fatal(err)
	}
	if rs := f.g.Reviews("octo", "shop", 7); len(rs) != 1 || rs[0].GetCommitID() != f.head {
		t.Fatalf("reviews = %+v; want one on the head GitHub reports", rs)
	}
}

func TestPipelineBadConfigIsPermanent(t *testing.T) {
	g := jobstest.New(t)
	repo, base := g.NewRepo("octo", "cfg", map[string]string{"go.mod": goMod, ".prodready.yml": "checks: [[[\n", "a.go": "package m\n"})
	head := repo.Push("feature", map[string]string{"a.go": "package m\n\nvar X = 1\n"})
	repo.OpenPR(1, base, head)
	p := &Pipeline{AppID: jobstest.AppID, PrivateKey: g.PrivateKeyPEM, APIURL: g.APIURL(), DataDir: t.TempDir(), Publisher: GitHubPublisher{}}
	j := &Job{ID: 9, Attempt: 1, MaxAttempts: 3, Log: slog.New(slog.DiscardHandler),
		Args: ReviewArgs{InstallationID: 1, Owner: "octo", Repo: "cfg", Number: 1, HeadSHA: head, BaseSHA: base, CloneURL: g.CloneURL("octo", "cfg")}}
	err := p.Review(context.Background(), j)
	if !IsPermanent(err) || !strings.Contains(err.Error(), ".prodready.yml") {
		t.Fatalf("Review = %v; want a permanent error naming .prodready.yml", err)
	}
	// The failure reporter puts the cause in the summary.
	if err := (GitHubFailures{Pipeline: p}).ReportFailure(context.Background(), j, err); err != nil {
		t.Fatal(err)
	}
	cs := g.Summaries("octo", "cfg", 1)
	if len(cs) != 1 || !strings.Contains(cs[0].GetBody(), "failed") || !strings.Contains(cs[0].GetBody(), ".prodready.yml") {
		t.Fatalf("summary = %+v; want the failure and its cause", cs)
	}
}

func TestPipelineWorkspaceCap(t *testing.T) {
	f := newFixture(t)
	f.p.MaxWorkspaceBytes = 1024
	err := f.p.Review(context.Background(), f.job(5))
	if !IsPermanent(err) || !strings.Contains(err.Error(), "PRODREADY_MAX_WORKSPACE_MB") {
		t.Fatalf("Review = %v; want a permanent error naming the cap", err)
	}
	if _, err := os.Stat(filepath.Join(f.p.DataDir, "work", "job-5")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("workspace left behind: %v", err)
	}
}

func TestPipelineMissingRepositoryFails(t *testing.T) {
	f := newFixture(t)
	j := f.job(6)
	j.Args.CloneURL = f.g.URL + "/git/octo/missing.git"
	if err := f.p.Review(context.Background(), j); err == nil {
		t.Fatal("Review of a missing repository = nil")
	}
	if n := len(f.g.Reviews("octo", "shop", 7)); n != 0 {
		t.Fatalf("%d reviews", n)
	}
}

func TestFairness(t *testing.T) {
	f := newFairness(2)
	for i := range 2 {
		if !f.acquire(1) {
			t.Fatalf("review %d of an installation was refused under the cap", i+1)
		}
	}
	if f.acquire(1) {
		t.Fatal("a third concurrent review of one installation was allowed")
	}
	if !f.acquire(2) {
		t.Fatal("another installation was starved")
	}
	f.release(1)
	if !f.acquire(1) {
		t.Fatal("a released slot was not reusable")
	}
	f.release(1)
	f.release(1)
	f.release(2)
	if len(f.running) != 0 {
		t.Fatalf("map keeps %d idle installations", len(f.running))
	}
}

func TestSweepRemovesOnlyOldWorkspaces(t *testing.T) {
	p := &Pipeline{DataDir: t.TempDir()}
	now := time.Now()
	for name, age := range map[string]time.Duration{"job-1": 2 * time.Hour, "job-2": time.Minute, "other": 2 * time.Hour} {
		d := filepath.Join(p.DataDir, "work", name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(d, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	n, err := p.Sweep(time.Hour, now)
	if err != nil || n != 1 {
		t.Fatalf("Sweep = %d, %v; want 1 removed", n, err)
	}
	for name, want := range map[string]bool{"job-1": false, "job-2": true, "other": true} {
		_, err := os.Stat(filepath.Join(p.DataDir, "work", name))
		if (err == nil) != want {
			t.Errorf("%s exists = %v, want %v", name, err == nil, want)
		}
	}
}
