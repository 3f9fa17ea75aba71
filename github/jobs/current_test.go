package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/riverqueue/river/rivertype"

	"github.com/prodready/prodready/github/store/storetest"
)

// newHead pushes a second commit on the pull request's branch and moves the
// pull request there on the fake GitHub, as a push does.
func (f *fixture) newHead(t *testing.T) string {
	t.Helper()
	h := f.repo.Push("feature", map[string]string{"price.go": fetchCode + "\n// Second version.\n"})
	f.repo.MovePR(7, f.base, h)
	return h
}

// requeues records what a job asked to have reviewed.
type requeues struct {
	mu    sync.Mutex
	heads []string
	bases []string
}

func (r *requeues) stub(j *Job) {
	j.requeue = func(_ context.Context, head, base string) (int64, error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.heads = append(r.heads, head)
		r.bases = append(r.bases, base)
		return 42, nil
	}
}

// A job for an old head, when GitHub names a newer one, neither fetches nor
// publishes; it asks for a review of the current head, with its base.
func TestPipelineOldHeadStepsAside(t *testing.T) {
	f := newFixture(t)
	cur := f.newHead(t)
	var fetches atomic.Int32
	f.g.BeforeFetch(func(*http.Request) { fetches.Add(1) })
	j := f.job(5)
	var rq requeues
	rq.stub(j)
	err := f.p.Review(context.Background(), j)
	if !errors.Is(err, ErrSuperseded) || !strings.Contains(err.Error(), short(cur)) {
		t.Fatalf("Review = %v, want ErrSuperseded naming the current head", err)
	}
	if n := len(f.g.Reviews("octo", "shop", 7)); n != 0 {
		t.Fatalf("%d reviews published for an old head", n)
	}
	if n := fetches.Load(); n != 0 {
		t.Fatalf("%d fetches for an old head, want none", n)
	}
	if len(rq.heads) != 1 || rq.heads[0] != cur || rq.bases[0] != f.base {
		t.Fatalf("asked to review %v on %v; want %s on %s", rq.heads, rq.bases, cur, f.base)
	}
	if !strings.Contains(f.logs.String(), "enqueued a review of the pull request's current head") {
		t.Errorf("no log of the enqueued review:\n%s", f.logs.String())
	}
}

// A push while the job runs is caught by the check right before publishing.
func TestPipelineHeadMovedDuringReviewNotPublished(t *testing.T) {
	f := newFixture(t)
	var cur atomic.Value
	var once sync.Once
	f.g.BeforeFetch(func(*http.Request) { once.Do(func() { cur.Store(f.newHead(t)) }) })
	j := f.job(6)
	var rq requeues
	rq.stub(j)
	if err := f.p.Review(context.Background(), j); !errors.Is(err, ErrSuperseded) {
		t.Fatalf("Review = %v, want ErrSuperseded", err)
	}
	if n := len(f.g.Reviews("octo", "shop", 7)); n != 0 {
		t.Fatalf("%d reviews published for a head the pull request left", n)
	}
	if len(rq.heads) != 1 || rq.heads[0] != cur.Load() {
		t.Fatalf("asked to review %v, want [%v]", rq.heads, cur.Load())
	}
}

// A closed pull request is not reviewed: closed before the job starts, or
// while it runs.
func TestPipelineClosedPRNotReviewed(t *testing.T) {
	t.Run("before", func(t *testing.T) {
		f := newFixture(t)
		f.repo.ClosePR(7)
		var fetches atomic.Int32
		f.g.BeforeFetch(func(*http.Request) { fetches.Add(1) })
		err := f.p.Review(context.Background(), f.job(7))
		if !errors.Is(err, ErrClosed) || !strings.Contains(err.Error(), `"closed"`) {
			t.Fatalf("Review = %v, want ErrClosed naming the state", err)
		}
		if n := len(f.g.Reviews("octo", "shop", 7)); n != 0 {
			t.Fatalf("%d reviews of a closed pull request", n)
		}
		if n := fetches.Load(); n != 0 {
			t.Fatalf("%d fetches for a closed pull request, want none", n)
		}
	})
	t.Run("during", func(t *testing.T) {
		f := newFixture(t)
		var once sync.Once
		f.g.BeforeFetch(func(*http.Request) { once.Do(func() { f.repo.ClosePR(7) }) })
		if err := f.p.Review(context.Background(), f.job(8)); !errors.Is(err, ErrClosed) {
			t.Fatalf("Review = %v, want ErrClosed", err)
		}
		if n := len(f.g.Reviews("octo", "shop", 7)); n != 0 {
			t.Fatalf("%d reviews of a pull request closed during its review", n)
		}
		if n := len(f.g.Summaries("octo", "shop", 7)); n != 0 {
			t.Fatalf("%d summaries on a closed pull request", n)
		}
	})
}

// The pull request GET answering 502 twice is retried, then the review is
// published once; a GET that keeps failing is a transient error.
func TestPipelineRetriesGetPullRequest(t *testing.T) {
	f := newFixture(t)
	f.g.FailGetPR(2)
	if err := f.p.Review(context.Background(), f.job(9)); err != nil {
		t.Fatal(err)
	}
	if rs := f.g.Reviews("octo", "shop", 7); len(rs) != 1 || rs[0].GetCommitID() != f.head {
		t.Fatalf("reviews = %d; want exactly one, at the head", len(rs))
	}
	if len(f.sleeps) != 2 {
		t.Fatalf("waited %d times before retrying, want 2", len(f.sleeps))
	}
	if v := testutil.ToFloat64(f.metrics.GitHubCalls.WithLabelValues("502")); v != 2 {
		t.Errorf("github calls{502} = %v, want 2", v)
	}

	g := newFixture(t)
	g.g.FailGetPR(1000)
	err := g.p.Review(context.Background(), g.job(10))
	if err == nil || IsPermanent(err) || !strings.Contains(err.Error(), "get pull request") {
		t.Fatalf("Review = %v; want a transient error naming the pull request GET", err)
	}
	if n := len(g.g.Reviews("octo", "shop", 7)); n != 0 {
		t.Fatalf("%d reviews without knowing the pull request's head", n)
	}
}

// pipelineQueue is a SQLite queue whose worker runs f's Pipeline.
func pipelineQueue(t *testing.T, f *fixture) *Client {
	t.Helper()
	q, err := New(storetest.Open(t, "sqlite", ""), Config{ID: "test", Reviewer: f.p, PollInterval: 50 * time.Millisecond,
		Metrics: f.metrics, Logger: slog.New(slog.NewJSONHandler(f.logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func startQueue(t *testing.T, q *Client) {
	t.Helper()
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Error(err)
		}
	})
}

type jobView struct {
	row  *rivertype.JobRow
	args ReviewArgs
}

// settled waits until n jobs exist and all are final, and returns them.
func settled(t *testing.T, f *fixture, q *Client, n int) []jobView {
	t.Helper()
	var out []jobView
	waitUntil(t, "the jobs to finish", func() bool {
		all, err := q.Jobs(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out = out[:0]
		for _, j := range all {
			if j.FinalizedAt == nil {
				return false
			}
			var a ReviewArgs
			if err := json.Unmarshal(j.EncodedArgs, &a); err != nil {
				t.Fatal(err)
			}
			out = append(out, jobView{j, a})
		}
		return len(out) >= n
	})
	if len(out) != n {
		t.Fatalf("%d jobs, want %d:\n%s", len(out), n, f.logs.String())
	}
	return out
}

// oneReviewAt checks that the pull request has exactly one review, at head.
func oneReviewAt(t *testing.T, f *fixture, head string) {
	t.Helper()
	rs := f.g.Reviews("octo", "shop", 7)
	if len(rs) != 1 || rs[0].GetCommitID() != head {
		var at []string
		for _, r := range rs {
			at = append(at, r.GetCommitID())
		}
		t.Fatalf("reviews at %v; want exactly one, at %s\n%s", at, head, f.logs.String())
	}
}

// The worker takes a job for an old head (the pull request moved on GitHub
// and no job exists for its head): no review of the old head, and the worker
// enqueues the current head, which is reviewed.
func TestWorkerOldHeadEnqueuesCurrentHead(t *testing.T) {
	f := newFixture(t)
	cur := f.newHead(t)
	q := pipelineQueue(t, f)
	old := f.job(0).Args
	if _, err := q.Enqueue(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	startQueue(t, q)
	all := settled(t, f, q, 2)
	oneReviewAt(t, f, cur)
	for _, j := range all {
		switch j.args.HeadSHA {
		case old.HeadSHA:
			if j.row.State != rivertype.JobStateCancelled || j.row.Attempt != 1 {
				t.Errorf("old head's job %s after %d attempts, want cancelled after 1", j.row.State, j.row.Attempt)
			}
		case cur:
			if j.row.State != rivertype.JobStateCompleted || j.args.BaseSHA != f.base || j.args.Delivery != old.Delivery ||
				j.args.CloneURL != old.CloneURL || j.args.RequeuedBy != 0 {
				t.Errorf("current head's job %s with %+v; want completed, base %s, from delivery %s", j.row.State, j.args, f.base, old.Delivery)
			}
		default:
			t.Errorf("job for head %s", j.args.HeadSHA)
		}
	}
	if v := testutil.ToFloat64(f.metrics.Jobs.WithLabelValues("superseded")); v != 1 {
		t.Errorf("jobs{superseded} = %v, want 1", v)
	}
}

// The race of the review: the newest head's request is stored, then a late
// redelivery of an old head's webhook creates a job (uniqueness ignores the
// old head's cancelled job) that becomes the latest request and cancels the
// newest head's job. The old head is still not reviewed, and the newest head
// is reviewed once. A second redelivery, after that review, changes nothing.
func TestRedeliveredOldHeadAfterNewerHead(t *testing.T) {
	f := newFixture(t)
	oldHead := f.head
	cur := f.newHead(t)
	q := pipelineQueue(t, f)
	ctx := context.Background()
	newer := f.job(0).Args
	newer.HeadSHA, newer.Delivery = cur, "new"
	if _, err := q.Enqueue(ctx, newer); err != nil {
		t.Fatal(err)
	}
	old := f.job(0).Args
	old.Delivery = "old"
	e, err := q.Enqueue(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	if e.Stale || e.Superseded == 0 {
		t.Fatalf("redelivery = %+v; the race needs it to supersede the newest head's job", e)
	}
	startQueue(t, q)
	all := settled(t, f, q, 3)
	oneReviewAt(t, f, cur)
	reviewed := 0
	for _, j := range all {
		if j.row.State == rivertype.JobStateCompleted {
			reviewed++
			if j.args.HeadSHA != cur {
				t.Errorf("completed job for head %s", j.args.HeadSHA)
			}
		}
	}
	if reviewed != 1 {
		t.Errorf("%d completed jobs, want 1", reviewed)
	}

	// Redelivered again once the newest head is reviewed: no new review, no
	// new job for the newest head.
	old.Delivery = "old"
	if _, err := q.Enqueue(ctx, old); err != nil {
		t.Fatal(err)
	}
	settled(t, f, q, 4)
	oneReviewAt(t, f, cur)
	for _, r := range f.g.Reviews("octo", "shop", 7) {
		if r.GetCommitID() == oldHead {
			t.Fatal("the old head was reviewed")
		}
	}
}

// The same race while the newest head's job is running: the redelivery
// cancels it mid-review, and the job that replaces it is enqueued under its
// own key, since the running one still holds the head's.
func TestRedeliveredOldHeadWhileNewerHeadRuns(t *testing.T) {
	f := newFixture(t)
	cur := f.newHead(t)
	q := pipelineQueue(t, f)
	ctx := context.Background()
	fetching := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	f.g.BeforeFetch(func(r *http.Request) {
		first := false
		once.Do(func() { first = true })
		if first {
			close(fetching)
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
	})
	newer := f.job(0).Args
	newer.HeadSHA, newer.Delivery = cur, "new"
	if _, err := q.Enqueue(ctx, newer); err != nil {
		t.Fatal(err)
	}
	startQueue(t, q)
	// Registered after the queue's Stop, so it runs first: a failing test
	// must not leave the fetch held while the queue stops.
	var released sync.Once
	rel := func() { released.Do(func() { close(release) }) }
	t.Cleanup(rel)
	select {
	case <-fetching:
	case <-time.After(time.Minute):
		t.Fatalf("the newest head's job never fetched:\n%s", f.logs.String())
	}
	old := f.job(0).Args
	old.Delivery = "old"
	if _, err := q.Enqueue(ctx, old); err != nil {
		t.Fatal(err)
	}
	// Hold the first fetch until the worker has asked for the newest head again.
	waitUntil(t, "a job for the newest head to be asked again", func() bool {
		all, err := q.Jobs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(all) >= 3
	})
	rel()
	all := settled(t, f, q, 3)
	oneReviewAt(t, f, cur)
	completed := 0
	for _, j := range all {
		if j.row.State == rivertype.JobStateCompleted {
			completed++
			if j.args.HeadSHA != cur {
				t.Errorf("completed job for head %s", j.args.HeadSHA)
			}
		} else if j.row.State != rivertype.JobStateCancelled {
			t.Errorf("job %d for %s is %s", j.row.ID, short(j.args.HeadSHA), j.row.State)
		}
	}
	if completed != 1 {
		t.Errorf("%d completed jobs, want 1", completed)
	}
}
