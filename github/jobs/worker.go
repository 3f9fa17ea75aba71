package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"github.com/prodready/prodready/github/store"
)

// Job is one attempt at a review, as the Reviewer sees it.
type Job struct {
	ID          int64
	Attempt     int
	MaxAttempts int
	Args        ReviewArgs
	// Log carries the job, delivery, repository and pull request.
	Log *slog.Logger
	// current reports whether the job is still the latest request for its
	// pull request.
	current func(ctx context.Context) (bool, error)
}

// Current reports whether this job is still the latest review request for its
// pull request. A Reviewer calls it right before publishing and returns
// ErrSuperseded when it is not.
func (j *Job) Current(ctx context.Context) (bool, error) {
	if j.current == nil {
		return true, nil
	}
	return j.current(ctx)
}

// Reviewer does one review: fetch, run the pipeline, publish.
type Reviewer interface {
	Review(ctx context.Context, j *Job) error
}

// ReviewerFunc adapts a function to Reviewer.
type ReviewerFunc func(ctx context.Context, j *Job) error

// Review calls f.
func (f ReviewerFunc) Review(ctx context.Context, j *Job) error { return f(ctx, j) }

// FailureReporter tells a pull request that its review failed for good.
type FailureReporter interface {
	ReportFailure(ctx context.Context, j *Job, cause error) error
}

// ErrSuperseded is returned by a Reviewer that found a newer request for the
// pull request before publishing; the job completes without publishing.
var ErrSuperseded = errors.New("superseded by a newer review request")

// permanentError marks an error that retrying cannot fix.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as one that retrying cannot fix (the repository is
// gone, the commenter may not ask, the workspace is over its cap): the job
// fails at once and the pull request is told why.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// worker is river's worker for ReviewArgs.
type worker struct {
	river.WorkerDefaults[ReviewArgs]
	store    *store.Store
	client   *Client
	cfg      Config
	fair     *fairness
	stopping atomic.Bool
}

// fairDelay is how long a job waits when its installation is at its cap.
const fairDelay = 2 * time.Second

// Timeout is the per-attempt deadline.
func (w *worker) Timeout(*river.Job[ReviewArgs]) time.Duration { return w.cfg.JobTimeout }

// Work runs one attempt.
func (w *worker) Work(ctx context.Context, rj *river.Job[ReviewArgs]) error {
	start := time.Now()
	a := rj.Args
	log := w.cfg.Logger.With("job", rj.ID, "attempt", rj.Attempt, "delivery", a.Delivery,
		"repo", a.Owner+"/"+a.Repo, "pr", a.Number, "head", a.HeadSHA, "installation", a.InstallationID)
	j := &Job{ID: rj.ID, Attempt: rj.Attempt, MaxAttempts: rj.MaxAttempts, Args: a, Log: log}
	j.current = func(ctx context.Context) (bool, error) {
		latest, err := w.store.Latest(ctx, a.PR())
		if err != nil {
			return false, err
		}
		return latest <= rj.ID, nil
	}
	if ok, err := j.Current(ctx); err == nil && !ok {
		log.InfoContext(ctx, "review superseded before it started")
		w.cfg.Metrics.observe("superseded", time.Since(start))
		return nil
	}
	if !w.fair.acquire(a.InstallationID) {
		w.cfg.Metrics.observe("deferred", time.Since(start))
		return river.JobSnooze(fairDelay)
	}
	defer w.fair.release(a.InstallationID)

	log.InfoContext(ctx, "review started")
	err := w.cfg.Reviewer.Review(ctx, j)
	switch {
	case err == nil:
		log.InfoContext(ctx, "review published", "duration", time.Since(start).String())
		w.cfg.Metrics.observe("completed", time.Since(start))
		return nil
	case errors.Is(err, ErrSuperseded):
		log.InfoContext(ctx, "review superseded by a newer request; not published")
		w.cfg.Metrics.observe("superseded", time.Since(start))
		return nil
	case ctx.Err() != nil && w.stopping.Load():
		// Shutdown after the grace period: back to the queue, no attempt spent.
		log.WarnContext(ctx, "review interrupted by shutdown; it goes back to the queue")
		w.cfg.Metrics.observe("deferred", time.Since(start))
		return river.JobSnooze(0)
	}
	// A cancelled (superseded) job ends here too: its context is done.
	if ok, cerr := j.Current(context.WithoutCancel(ctx)); cerr == nil && !ok {
		log.InfoContext(ctx, "review superseded by a newer request while running", "error", err.Error())
		w.cfg.Metrics.observe("superseded", time.Since(start))
		return nil
	}
	if IsPermanent(err) || rj.Attempt >= rj.MaxAttempts {
		log.ErrorContext(ctx, "review failed", "error", err.Error(), "permanent", IsPermanent(err))
		w.cfg.Metrics.observe("failed", time.Since(start))
		w.reportFailure(ctx, j, err)
		if IsPermanent(err) {
			return river.JobCancel(err)
		}
		return err
	}
	log.WarnContext(ctx, "review attempt failed; it will be retried", "error", err.Error())
	w.cfg.Metrics.observe("retried", time.Since(start))
	return err
}

func (w *worker) reportFailure(ctx context.Context, j *Job, cause error) {
	if w.cfg.Failures == nil {
		return
	}
	// The job's own deadline may be what failed it: report on a fresh one.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := w.cfg.Failures.ReportFailure(rctx, j, cause); err != nil {
		j.Log.ErrorContext(ctx, "could not tell the pull request that its review failed", "error", err.Error())
	}
}

// fairness caps concurrent reviews per installation within one process.
// Hand-rolled: a semaphore keyed by installation, whose map only holds
// installations with reviews running (so it stays as small as Workers).
type fairness struct {
	mu      sync.Mutex
	cap     int
	running map[int64]int
}

func newFairness(capacity int) *fairness {
	return &fairness{cap: capacity, running: map[int64]int{}}
}

func (f *fairness) acquire(inst int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.running[inst] >= f.cap {
		return false
	}
	f.running[inst]++
	return true
}

func (f *fairness) release(inst int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.running[inst]--; f.running[inst] <= 0 {
		delete(f.running, inst)
	}
}

// String describes the job for errors.
func (j *Job) String() string { return fmt.Sprintf("job %d (%s)", j.ID, j.Args) }
