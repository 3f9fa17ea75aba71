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
	"github.com/riverqueue/river/rivertype"

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
	// requeue asks for a review of the pull request at another head.
	requeue func(ctx context.Context, head, base string) (int64, error)
}

// ReviewHead makes sure the pull request gets reviewed at head, which GitHub
// names as its current head while the job was asked for another: a job for
// head is enqueued unless one already exists and is not being cancelled, or
// this job is no longer the pull request's latest request (the newer one
// covers it). It returns the job enqueued (0 if none was needed). Enqueueing
// is idempotent: asked twice, it finds the first job.
func (j *Job) ReviewHead(ctx context.Context, head, base string) (int64, error) {
	if j.requeue == nil {
		return 0, fmt.Errorf("%s: no queue to ask for a review of %s", j, short(head))
	}
	return j.requeue(ctx, head, base)
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
// pull request, or GitHub naming a newer head, before publishing; the job is
// cancelled without publishing, so that it does not count as the review of
// its head should that head be asked for again.
var ErrSuperseded = errors.New("superseded by a newer review request")

// ErrClosed is returned by a Reviewer that found the pull request closed;
// the job is cancelled without publishing (a reopened pull request is asked
// for again).
var ErrClosed = errors.New("the pull request is closed")

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
	j.requeue = func(ctx context.Context, head, base string) (int64, error) {
		return w.requeue(ctx, j, head, base)
	}
	if ok, err := j.Current(ctx); err == nil && !ok {
		log.InfoContext(ctx, "review superseded before it started")
		w.cfg.Metrics.observe("superseded", time.Since(start))
		return river.JobCancel(ErrSuperseded)
	}
	if !w.fair.acquire(a.InstallationID) {
		w.cfg.Metrics.observe("deferred", time.Since(start))
		return river.JobSnooze(fairDelay)
	}
	defer w.fair.release(a.InstallationID)

	log.InfoContext(ctx, "review started")
	done := w.cfg.Metrics.running()
	err := w.cfg.Reviewer.Review(ctx, j)
	done()
	switch {
	case err == nil:
		log.InfoContext(ctx, "review published", "duration", time.Since(start).String())
		w.cfg.Metrics.observe("completed", time.Since(start))
		return nil
	case errors.Is(err, ErrSuperseded):
		log.InfoContext(ctx, "review superseded; not published", "reason", err.Error())
		w.cfg.Metrics.observe("superseded", time.Since(start))
		return river.JobCancel(err)
	case errors.Is(err, ErrClosed):
		log.InfoContext(ctx, "review skipped; not published", "reason", err.Error())
		w.cfg.Metrics.observe("skipped", time.Since(start))
		return river.JobCancel(err)
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
		return river.JobCancel(fmt.Errorf("%w: %w", ErrSuperseded, err))
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

// requeue enqueues a review of j's pull request at head (see Job.ReviewHead).
func (w *worker) requeue(ctx context.Context, j *Job, head, base string) (int64, error) {
	// A newer request than j already stands for the pull request.
	if ok, err := j.Current(ctx); err != nil {
		return 0, err
	} else if !ok {
		return 0, nil
	}
	a := j.Args
	a.HeadSHA, a.BaseSHA, a.CommentID, a.Commenter, a.RequeuedBy = head, base, 0, "", 0
	e, err := w.client.Enqueue(ctx, a)
	if err != nil {
		return 0, err
	}
	if !e.Duplicate {
		return e.JobID, nil
	}
	// A job for head exists: river's uniqueness skips cancelled jobs, so it
	// is completed (head was reviewed) or still live.
	row, err := w.client.Job(ctx, e.JobID)
	if err != nil {
		return 0, fmt.Errorf("job %d for head %s: %w", e.JobID, short(head), err)
	}
	if row.State == rivertype.JobStateCompleted || !e.Stale {
		return 0, nil
	}
	// Live but older than j, which displaced it: it is being cancelled and
	// will not publish. A job of its own key replaces it.
	a.RequeuedBy = j.ID
	if e, err = w.client.Enqueue(ctx, a); err != nil {
		return 0, err
	}
	if e.Duplicate {
		return 0, nil
	}
	return e.JobID, nil
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
