package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/prodready/prodready/github/store"
)

// Config tunes the queue and its workers. Zero fields take the defaults.
type Config struct {
	// ID names this process to the queue; it must be unique among live
	// replicas and stable across restarts of one replica (a pod name), so a
	// restarted replica can requeue at once what its previous process left
	// running. Default: the host name.
	ID string
	// Workers is how many reviews this process runs at once (default 4).
	Workers int
	// PerInstallation caps one installation's concurrent reviews in this
	// process, so no installation starves the others (default Workers/2, at
	// least 1).
	PerInstallation int
	// JobTimeout is one attempt's deadline (default 10 minutes).
	JobTimeout time.Duration
	// RescueAfter is how long a job may stay running before another replica
	// takes it as abandoned (default JobTimeout + 1 minute).
	RescueAfter time.Duration
	// MaxAttempts bounds attempts per job (default 6, about 20 minutes of
	// backoff in all).
	MaxAttempts int
	// PollInterval is how often idle workers look for jobs (default 1s).
	PollInterval time.Duration
	// Logger receives the queue's and the workers' logs.
	Logger *slog.Logger
	// Metrics, if set, records job results.
	Metrics *Metrics
	// Reviewer does the work.
	Reviewer Reviewer
	// Failures, if set, tells the pull request that its review failed.
	Failures FailureReporter
}

func (c *Config) defaults() {
	if c.ID == "" {
		c.ID, _ = os.Hostname()
		if c.ID == "" {
			c.ID = "prodready"
		}
	}
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.PerInstallation <= 0 {
		c.PerInstallation = max(1, c.Workers/2)
	}
	if c.JobTimeout <= 0 {
		c.JobTimeout = 10 * time.Minute
	}
	if c.RescueAfter < c.JobTimeout {
		c.RescueAfter = c.JobTimeout + time.Minute
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 6
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Enqueued is what Enqueue did.
type Enqueued struct {
	JobID int64
	// Duplicate is true when an equal job already existed (a redelivery).
	Duplicate bool
	// Superseded is the older job of the same pull request that this one
	// cancelled (0 if none).
	Superseded int64
	// Stale is true when a newer request for the pull request already exists,
	// so this job was cancelled at once.
	Stale bool
}

// Client is the queue: it enqueues review jobs and, once started, works them.
// It hides river's generic client, which differs between SQLite and PostgreSQL.
type Client struct {
	store  *store.Store
	cfg    Config
	worker *worker

	insert func(ctx context.Context, args ReviewArgs) (*rivertype.JobInsertResult, error)
	cancel func(ctx context.Context, id int64) (*rivertype.JobRow, error)
	list   func(ctx context.Context, p *river.JobListParams) (*river.JobListResult, error)
	get    func(ctx context.Context, id int64) (*rivertype.JobRow, error)
	start  func(ctx context.Context) error
	stop   func(ctx context.Context) error
	kill   func(ctx context.Context) error
}

// New builds the queue over st, whose migrations must have run.
func New(st *store.Store, cfg Config) (*Client, error) {
	cfg.defaults()
	w := &worker{store: st, cfg: cfg, fair: newFairness(cfg.PerInstallation)}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely[ReviewArgs](workers, w); err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	rc := &river.Config{
		ID:                   cfg.ID,
		Logger:               cfg.Logger,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		MaxAttempts:          cfg.MaxAttempts,
		FetchPollInterval:    cfg.PollInterval,
		FetchCooldown:        min(cfg.PollInterval, 100*time.Millisecond),
		Queues:               map[string]river.QueueConfig{Queue: {MaxWorkers: cfg.Workers}},
		Workers:              workers,
		// Shutdown: running reviews get the grace period; then contexts are
		// cancelled and the worker snoozes the job for the next process.
		SoftStopTimeout: 0,
	}
	c := &Client{store: st, cfg: cfg, worker: w}
	var err error
	if st.Postgres() {
		err = bind(c, riverpgxv5.New(st.Pool), rc)
	} else {
		rc.PollOnly = true
		err = bind(c, riversqlite.New(st.SQLite), rc)
	}
	if err != nil {
		return nil, err
	}
	w.client = c
	return c, nil
}

// bind builds river's client for one driver and keeps its methods.
func bind[TTx any](c *Client, d riverdriver.Driver[TTx], rc *river.Config) error {
	rcl, err := river.NewClient(d, rc)
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	c.insert = func(ctx context.Context, args ReviewArgs) (*rivertype.JobInsertResult, error) {
		return rcl.Insert(ctx, args, nil)
	}
	c.cancel = rcl.JobCancel
	c.list = rcl.JobList
	c.get = rcl.JobGet
	c.start = rcl.Start
	c.stop = rcl.Stop
	c.kill = rcl.StopAndCancel
	return nil
}

// Enqueue stores a review job durably and supersedes older requests for the
// same pull request. When it returns without error, the job is committed.
func (c *Client) Enqueue(ctx context.Context, args ReviewArgs) (Enqueued, error) {
	res, err := c.insert(ctx, args)
	if err != nil {
		return Enqueued{}, fmt.Errorf("enqueue review of %s: %w", args, err)
	}
	e := Enqueued{JobID: res.Job.ID, Duplicate: res.UniqueSkippedAsDuplicate}
	latest, displaced, err := c.store.Claim(ctx, args.PR(), res.Job.ID, args.HeadSHA)
	if err != nil {
		// The job is stored; the worker's own check still finds the latest
		// request, so report the error for a redelivery but lose nothing.
		return e, err
	}
	switch {
	case latest != res.Job.ID:
		e.Stale = true
		if _, err := c.cancel(ctx, res.Job.ID); err != nil && !errors.Is(err, river.ErrNotFound) {
			return e, fmt.Errorf("cancel stale job %d: %w", res.Job.ID, err)
		}
	case displaced != 0:
		e.Superseded = displaced
		// Best effort: a running job learns of it within seconds, and checks
		// again before it publishes anyway.
		if _, err := c.cancel(ctx, displaced); err != nil && !errors.Is(err, river.ErrNotFound) {
			c.cfg.Logger.WarnContext(ctx, "cancel superseded job", "job", displaced, "error", err.Error())
		}
	}
	return e, nil
}

// Start requeues what this replica's previous process left running, then
// starts working.
func (c *Client) Start(ctx context.Context) error {
	if err := c.requeueOrphans(ctx); err != nil {
		return err
	}
	if err := c.start(ctx); err != nil {
		return fmt.Errorf("start queue: %w", err)
	}
	return nil
}

// requeueOrphans puts back jobs that are running under this process's ID:
// the ID is unique among live replicas, so this process's previous life left
// them. Other replicas' abandoned jobs wait for river's rescuer (RescueAfter).
func (c *Client) requeueOrphans(ctx context.Context) error {
	res, err := c.list(ctx, river.NewJobListParams().States(rivertype.JobStateRunning).Kinds(ReviewArgs{}.Kind()).First(10000))
	if err != nil {
		return fmt.Errorf("list running jobs: %w", err)
	}
	var ids []int64
	for _, j := range res.Jobs {
		if n := len(j.AttemptedBy); n > 0 && j.AttemptedBy[n-1] == c.cfg.ID {
			ids = append(ids, j.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	n, err := c.store.Requeue(ctx, ids)
	if err != nil {
		return err
	}
	c.cfg.Logger.InfoContext(ctx, "requeued jobs left running by this replica's previous process", "jobs", n, "replica", c.cfg.ID)
	return nil
}

// Stop stops fetching and waits for running reviews until ctx ends; then it
// cancels them, and they go back to the queue for the next process.
func (c *Client) Stop(ctx context.Context) error {
	err := c.stop(ctx)
	if err == nil {
		return nil
	}
	c.worker.stopping.Store(true)
	kctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if kerr := c.kill(kctx); kerr != nil {
		return fmt.Errorf("stop queue: %w", errors.Join(err, kerr))
	}
	return nil
}

// Job returns a job's row, for tests and diagnostics.
func (c *Client) Job(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	return c.get(ctx, id)
}

// Jobs lists review jobs in the given states (all states when none).
func (c *Client) Jobs(ctx context.Context, states ...rivertype.JobState) ([]*rivertype.JobRow, error) {
	p := river.NewJobListParams().Kinds(ReviewArgs{}.Kind()).First(10000)
	if len(states) > 0 {
		p = p.States(states...)
	}
	res, err := c.list(ctx, p)
	if err != nil {
		return nil, err
	}
	return res.Jobs, nil
}
