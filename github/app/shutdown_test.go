package app_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/prodready/prodready/github/jobs"
)

// A review running at shutdown finishes when it ends within the grace period.
func TestStopLetsRunningReviewFinish(t *testing.T) {
	forBackends(t, func(t *testing.T, b string) {
		started, release := make(chan struct{}), make(chan struct{})
		rev := &recorder{hook: func(ctx context.Context, j *jobs.Job) error {
			close(started)
			<-release
			return nil
		}}
		e := newEnv(t, b, rev)
		p := fixture(t, "pull_request.opened.json")
		if code := deliver(t, e.url, "pull_request", "s", p, sign(secret, p)); code != http.StatusAccepted {
			t.Fatalf("status %d", code)
		}
		waitClosed(t, started, "the review to start")
		stopped := make(chan error, 1)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			stopped <- e.queue.Stop(ctx)
		}()
		close(release)
		if err := <-stopped; err != nil {
			t.Fatalf("Stop: %v", err)
		}
		all, err := e.queue.Jobs(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 || all[0].State != rivertype.JobStateCompleted {
			t.Fatalf("job state %s; want completed within the grace period", all[0].State)
		}
		if _, total := rev.count(); total != 1 {
			t.Fatalf("%d reviews, want 1", total)
		}
	})
}

// A review still running when the grace period ends goes back to the queue
// without spending an attempt, for the next process.
func TestStopAfterGraceRequeues(t *testing.T) {
	forBackends(t, func(t *testing.T, b string) {
		started := make(chan struct{})
		rev := &recorder{hook: func(ctx context.Context, j *jobs.Job) error {
			close(started)
			<-ctx.Done() // a review that does not finish in time
			return ctx.Err()
		}}
		e := newEnv(t, b, rev)
		p := fixture(t, "pull_request.opened.json")
		if code := deliver(t, e.url, "pull_request", "g", p, sign(secret, p)); code != http.StatusAccepted {
			t.Fatalf("status %d", code)
		}
		waitClosed(t, started, "the review to start")
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // the grace period is over at once
		if err := e.queue.Stop(ctx); err != nil {
			t.Fatalf("Stop: %v", err)
		}
		all, err := e.queue.Jobs(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 {
			t.Fatalf("%d jobs, want 1", len(all))
		}
		j := all[0]
		if j.State != rivertype.JobStateAvailable && j.State != rivertype.JobStateScheduled {
			t.Fatalf("job state %s; want it back in the queue", j.State)
		}
		if j.Attempt != 0 {
			t.Fatalf("attempt = %d; the interrupted attempt must not count", j.Attempt)
		}
		if _, total := rev.count(); total != 0 {
			t.Fatalf("%d reviews published by an interrupted job", total)
		}
	})
}
