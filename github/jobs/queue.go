package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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
	// Stale is true when a newer request for the pull request was stored
	// first: the job was stored already cancelled, in the same transaction,
	// and no worker runs it.
	Stale bool
}

// Client is the queue: it enqueues review jobs and, once started, works them.
// It hides river's generic client, which differs between SQLite and PostgreSQL.
type Client struct {
	store  *store.Store
	cfg    Config
	worker *worker

	// insertAndClaim inserts jobs, then lets record claim them and cancel
	// the stale ones, in one transaction.
	insertAndClaim func(ctx context.Context, params []river.InsertManyParams,
		record func(ctx context.Context, res []*rivertype.JobInsertResult, tx txOps) error) error
	cancel func(ctx context.Context, id int64) (*rivertype.JobRow, error)
	list   func(ctx context.Context, p *river.JobListParams) (*river.JobListResult, error)
	get    func(ctx context.Context, id int64) (*rivertype.JobRow, error)
	start  func(ctx context.Context) error
	stop   func(ctx context.Context) error
	kill   func(ctx context.Context) error

	batchOnce sync.Once
	reqs      chan enqueueReq
	quit      chan struct{}
	batchDone chan struct{}
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
		err = bind(c, riverpgxv5.New(st.Pool), rc, func(ctx context.Context) (pgx.Tx, error) { return st.Pool.Begin(ctx) },
			func(ctx context.Context, tx pgx.Tx, cl []store.Claim) ([]store.Claimed, error) {
				return st.ClaimManyPgxTx(ctx, tx, cl)
			},
			func(ctx context.Context, tx pgx.Tx) error { return tx.Commit(ctx) },
			func(ctx context.Context, tx pgx.Tx) error { return tx.Rollback(ctx) })
	} else {
		rc.PollOnly = true
		err = bind(c, riversqlite.New(st.SQLite), rc, func(ctx context.Context) (*sql.Tx, error) { return st.SQLite.BeginTx(ctx, nil) },
			st.ClaimManySQLiteTx,
			func(_ context.Context, tx *sql.Tx) error { return tx.Commit() },
			func(_ context.Context, tx *sql.Tx) error { return tx.Rollback() })
	}
	if err != nil {
		return nil, err
	}
	w.client = c
	return c, nil
}

// txOps is what a batch does inside its transaction besides inserting.
type txOps struct {
	// claim records claims.
	claim func(ctx context.Context, claims []store.Claim) ([]store.Claimed, error)
	// cancel cancels a job.
	cancel func(ctx context.Context, id int64) error
}

// bind builds river's client for one driver and keeps its methods; begin,
// claim, commit and rollback run the driver's own transactions.
func bind[TTx any](c *Client, d riverdriver.Driver[TTx], rc *river.Config,
	begin func(context.Context) (TTx, error),
	claim func(context.Context, TTx, []store.Claim) ([]store.Claimed, error),
	commit, rollback func(context.Context, TTx) error,
) error {
	rcl, err := river.NewClient(d, rc)
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	c.insertAndClaim = func(ctx context.Context, params []river.InsertManyParams,
		record func(ctx context.Context, res []*rivertype.JobInsertResult, tx txOps) error) error {
		tx, err := begin(ctx)
		if err != nil {
			return err
		}
		defer func() { _ = rollback(context.WithoutCancel(ctx), tx) }()
		res, err := rcl.InsertManyTx(ctx, tx, params)
		if err != nil {
			return err
		}
		ops := txOps{
			claim: func(ctx context.Context, cl []store.Claim) ([]store.Claimed, error) { return claim(ctx, tx, cl) },
			cancel: func(ctx context.Context, id int64) error {
				_, err := rcl.JobCancelTx(ctx, tx, id)
				return err
			},
		}
		if err := record(ctx, res, ops); err != nil {
			return err
		}
		return commit(ctx, tx)
	}
	c.cancel = rcl.JobCancel
	c.list = rcl.JobList
	c.get = rcl.JobGet
	c.start = rcl.Start
	c.stop = rcl.Stop
	c.kill = rcl.StopAndCancel
	return nil
}

// maxBatch bounds the deliveries stored in one transaction.
const maxBatch = 128

// enqueueReq is one Enqueue waiting for the batcher.
type enqueueReq struct {
	args ReviewArgs
	done chan enqueueRes
}

type enqueueRes struct {
	e   Enqueued
	err error
}

// Enqueue stores a review job durably and supersedes older requests for the
// same pull request. When it returns without error, the job is committed.
//
// Concurrent calls are stored together: one goroutine gathers what is
// waiting (up to 128) and commits the jobs and the pull requests' latest
// requests in one transaction, so a burst pays one disk sync per batch
// rather than two per delivery. A transaction the database aborts for a
// deadlock or a serialization failure is retried; a batch that still fails is
// stored one delivery at a time.
func (c *Client) Enqueue(ctx context.Context, args ReviewArgs) (Enqueued, error) {
	c.batchOnce.Do(func() {
		c.reqs = make(chan enqueueReq)
		c.quit = make(chan struct{})
		c.batchDone = make(chan struct{})
		go c.batcher()
	})
	req := enqueueReq{args: args, done: make(chan enqueueRes, 1)}
	select {
	case c.reqs <- req:
	case <-c.quit:
		return Enqueued{}, errors.New("enqueue: the queue is stopping")
	case <-ctx.Done():
		return Enqueued{}, fmt.Errorf("enqueue review of %s: %w", args, ctx.Err())
	}
	select {
	case r := <-req.done:
		return r.e, r.err
	case <-ctx.Done():
		// The batch may still commit; a redelivery then finds the job.
		return Enqueued{}, fmt.Errorf("enqueue review of %s: %w", args, ctx.Err())
	}
}

// batcher stores batches of waiting Enqueue calls until quit closes.
func (c *Client) batcher() {
	defer close(c.batchDone)
	for {
		var batch []enqueueReq
		select {
		case r := <-c.reqs:
			batch = append(batch, r)
		case <-c.quit:
			return
		}
	gather:
		for len(batch) < maxBatch {
			select {
			case r := <-c.reqs:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		c.store1(ctx, batch)
		cancel()
	}
}

// uniqueKey is what river's uniqueness compares: the river:"unique" fields.
func uniqueKey(a ReviewArgs) string {
	return fmt.Sprintf("%d\x00%s\x00%s\x00%d\x00%s\x00%d\x00%d", a.InstallationID, a.Owner, a.Repo, a.Number, a.HeadSHA, a.CommentID, a.RequeuedBy)
}

// comparePR orders pull requests; every batch takes its locks in this order.
func comparePR(a, b store.PR) int {
	return cmp.Or(cmp.Compare(a.InstallationID, b.InstallationID), cmp.Compare(a.Repo, b.Repo), cmp.Compare(a.Number, b.Number))
}

// Retrying a batch whose transaction PostgreSQL aborted to break a deadlock
// with another replica's (or river's own) transaction, or for a
// serialization failure: a few quick attempts, jittered so that the two
// sides do not collide again, well inside the webhook's deadline.
const (
	commitRetries    = 5
	commitRetryFirst = 20 * time.Millisecond
	commitRetryMax   = 400 * time.Millisecond
)

// retryable reports whether a failed transaction may succeed when run again.
func retryable(err error) bool {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return false
	}
	return pg.Code == sqlstateDeadlock || pg.Code == sqlstateSerialization
}

// PostgreSQL's SQLSTATE codes for a transaction aborted by a conflict.
const (
	sqlstateDeadlock      = "40P01" // deadlock_detected
	sqlstateSerialization = "40001" // serialization_failure
)

// store1 commits one batch and answers every request in it. A batch whose
// transaction keeps failing is stored again one delivery at a time, so one
// bad delivery or a persistent conflict does not fail the other 127.
func (c *Client) store1(ctx context.Context, batch []enqueueReq) {
	out, err := c.commitRetrying(ctx, batch)
	if err != nil && len(batch) > 1 && ctx.Err() == nil {
		c.cfg.Logger.WarnContext(ctx, "storing a batch of deliveries failed; storing them one at a time",
			"deliveries", len(batch), "error", err.Error())
		for i := range batch {
			c.store1(ctx, batch[i:i+1])
		}
		return
	}
	for i, r := range batch {
		if err != nil {
			r.done <- enqueueRes{err: fmt.Errorf("enqueue review of %s: %w", r.args, err)}
			continue
		}
		r.done <- enqueueRes{e: out[i]}
	}
}

// commitRetrying runs commit, again after a capped, jittered backoff while
// the database aborts it for a deadlock or a serialization failure.
func (c *Client) commitRetrying(ctx context.Context, batch []enqueueReq) ([]Enqueued, error) {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = commitRetryFirst
	b.MaxInterval = commitRetryMax
	b.RandomizationFactor = 0.5
	b.MaxElapsedTime = 0 // bounded by commitRetries and ctx
	b.Reset()
	policy := backoff.WithMaxRetries(b, commitRetries)
	for attempt := 1; ; attempt++ {
		out, err := c.commit(ctx, batch)
		if err == nil || !retryable(err) {
			return out, err
		}
		wait := policy.NextBackOff()
		if wait == backoff.Stop {
			return nil, fmt.Errorf("%w (gave up after %d attempts)", err, attempt)
		}
		c.cfg.Logger.InfoContext(ctx, "storing deliveries conflicted with another transaction; retrying",
			"deliveries", len(batch), "attempt", attempt, "wait", wait.String(), "error", err.Error())
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("%w (then %w)", err, ctx.Err())
		}
	}
}

// commit stores batch in one transaction: it inserts the jobs, records them
// as their pull requests' latest requests and cancels those a newer request
// has already overtaken. It returns what happened to each request.
//
// Locks are taken in one order in every batch, so two replicas' batches (or
// a batch and river's own updates of the same rows, which can only be
// retried) never wait on each other in a cycle: jobs are inserted by pull
// request, each pull request's requests in the order they came (a redelivery
// locks the job row it duplicates, a new job its unique key), and then the
// pull requests' latest-request rows are claimed by pull request.
func (c *Client) commit(ctx context.Context, batch []enqueueReq) ([]Enqueued, error) {
	// Equal requests in one batch become one insert; the others are duplicates.
	first := map[string]int{}
	var leaders []int
	for i, r := range batch {
		k := uniqueKey(r.args)
		if _, ok := first[k]; !ok {
			first[k] = len(leaders)
			leaders = append(leaders, i)
		}
	}
	// Stable: a pull request's requests keep their order, so the one that
	// came last gets the highest job ID and wins.
	slices.SortStableFunc(leaders, func(x, y int) int { return comparePR(batch[x].args.PR(), batch[y].args.PR()) })
	for j, i := range leaders {
		first[uniqueKey(batch[i].args)] = j
	}
	params := make([]river.InsertManyParams, len(leaders))
	for j, i := range leaders {
		params[j] = river.InsertManyParams{Args: batch[i].args}
	}
	outcome := make([]Enqueued, len(leaders))
	var displaced []int64
	err := c.insertAndClaim(ctx, params, func(ctx context.Context, res []*rivertype.JobInsertResult, tx txOps) error {
		if len(res) != len(params) {
			return fmt.Errorf("queue returned %d results for %d jobs", len(res), len(params))
		}
		// Claims by pull request, then job: one pull request's claims in
		// ascending job ID, so the newest request ends up the latest.
		order := make([]int, len(leaders))
		for j := range order {
			order[j] = j
			outcome[j] = Enqueued{JobID: res[j].Job.ID, Duplicate: res[j].UniqueSkippedAsDuplicate}
		}
		slices.SortFunc(order, func(x, y int) int {
			return cmp.Or(comparePR(batch[leaders[x]].args.PR(), batch[leaders[y]].args.PR()), cmp.Compare(outcome[x].JobID, outcome[y].JobID))
		})
		claims := make([]store.Claim, len(order))
		for x, j := range order {
			a := batch[leaders[j]].args
			claims[x] = store.Claim{PR: a.PR(), JobID: outcome[j].JobID, HeadSHA: a.HeadSHA}
		}
		claimed, err := tx.claim(ctx, claims)
		if err != nil {
			return err
		}
		displaced = displaced[:0]
		for x, j := range order {
			cl := claimed[x]
			switch {
			case cl.Latest != outcome[j].JobID:
				// Overtaken already: cancelled in this transaction, so no
				// worker ever sees it available.
				outcome[j].Stale = true
				if err := tx.cancel(ctx, outcome[j].JobID); err != nil && !errors.Is(err, river.ErrNotFound) {
					return fmt.Errorf("cancel stale job %d: %w", outcome[j].JobID, err)
				}
			case cl.Displaced != 0:
				outcome[j].Superseded = cl.Displaced
				displaced = append(displaced, cl.Displaced)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Best effort, after the commit (so the batch holds no more row locks
	// than it must): a running job learns of it within seconds, and checks
	// again before it publishes anyway.
	for _, id := range displaced {
		if _, err := c.cancel(ctx, id); err != nil && !errors.Is(err, river.ErrNotFound) {
			c.cfg.Logger.WarnContext(ctx, "cancel superseded job", "job", id, "error", err.Error())
		}
	}
	out := make([]Enqueued, len(batch))
	for i, r := range batch {
		j := first[uniqueKey(r.args)]
		out[i] = outcome[j]
		if leaders[j] != i {
			out[i].Duplicate = true
		}
	}
	return out, nil
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
	c.stopBatcher()
	err := c.stop(ctx)
	if err == nil {
		return nil
	}
	c.worker.stopping.Store(true)
	// ctx is over by now: the cancellation itself gets a fresh deadline.
	kctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if kerr := c.kill(kctx); kerr != nil {
		return fmt.Errorf("stop queue: %w", errors.Join(err, kerr))
	}
	return nil
}

// stopBatcher ends the batcher after the batch in hand; call it once no
// more deliveries come in (the HTTP server has stopped).
func (c *Client) stopBatcher() {
	c.batchOnce.Do(func() {}) // never start it now
	if c.quit == nil {
		return
	}
	select {
	case <-c.quit:
	default:
		close(c.quit)
	}
	<-c.batchDone
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
