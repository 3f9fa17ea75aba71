package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/prodready/prodready/github/store"
	"github.com/prodready/prodready/github/store/storetest"
)

// twoReplicas opens two stores and two queues (not started) on one fresh
// PostgreSQL schema, as two `prodready serve` replicas would. Their sessions
// carry an application name unique to the test, so the test can tell its own
// waiting sessions from anyone else's on the same server.
func twoReplicas(t *testing.T) (a, b *Client, app string) {
	t.Helper()
	raw := storetest.URL(t, "postgres")
	var r [4]byte
	if _, err := rand.Read(r[:]); err != nil {
		t.Fatal(err)
	}
	app = "prodready-contention-" + hex.EncodeToString(r[:])
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	ctx := context.Background()
	open := func(id string) *Client {
		st, err := store.Open(ctx, u.String(), "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		if err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		c, err := New(st, Config{ID: id, Reviewer: ReviewerFunc(func(context.Context, *Job) error { return nil })})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	return open("replica-a"), open("replica-b"), app
}

// storeAsync hands batch to c's store1 as the batcher would and returns a
// function that collects the answers.
func storeAsync(ctx context.Context, c *Client, args []ReviewArgs) func() []enqueueRes {
	batch := make([]enqueueReq, len(args))
	for i, a := range args {
		batch[i] = enqueueReq{args: a, done: make(chan enqueueRes, 1)}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c.store1(ctx, batch)
	}()
	return func() []enqueueRes {
		wg.Wait()
		out := make([]enqueueRes, len(batch))
		for i, r := range batch {
			out[i] = <-r.done
		}
		return out
	}
}

// Two replicas store batches holding the same redeliveries in opposite
// orders, at the same instant. Each insert of a redelivery locks the job row
// it duplicates; taken in opposite orders, the two transactions used to
// deadlock and PostgreSQL aborted one, answering its deliveries 503. Now
// every delivery is stored and each replica sees the same job per request.
func TestReplicasBatchesInOppositeOrdersAllStored(t *testing.T) {
	a, b, app := twoReplicas(t)
	ctx := context.Background()
	const prs = 40
	var reqs []ReviewArgs
	for n := 1; n <= prs; n++ {
		reqs = append(reqs, ReviewArgs{InstallationID: 1, Owner: "octo", Repo: "shop", Number: n,
			HeadSHA: fmt.Sprintf("%040d", n), Delivery: fmt.Sprintf("d-%d", n)})
	}
	// The first deliveries: every request has its job.
	first := storeAsync(ctx, a, reqs)()
	ids := map[int]int64{}
	for i, r := range first {
		if r.err != nil {
			t.Fatalf("first delivery of PR %d: %v", reqs[i].Number, r.err)
		}
		ids[reqs[i].Number] = r.e.JobID
	}
	reversed := make([]ReviewArgs, prs)
	for i, r := range reqs {
		reversed[prs-1-i] = r
	}

	// A third session locks every job row, so both replicas' batches stop on
	// their first redelivery; releasing it starts them at the same instant.
	st := a.store
	hold, err := st.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = hold.Rollback(ctx) }()
	if _, err := hold.Exec(ctx, "SELECT id FROM river_job FOR UPDATE"); err != nil {
		t.Fatal(err)
	}
	none := func(int, []river.InsertManyParams) error { return nil }
	attemptsA, attemptsB := flaky(a, none), flaky(b, none)
	gotA := storeAsync(ctx, a, reqs)
	gotB := storeAsync(ctx, b, reversed)
	waitUntil(t, "both replicas' batches waiting on the held rows", func() bool {
		var n int
		err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE application_name = $1 AND wait_event_type = 'Lock'`, app).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n == 2
	})
	if err := hold.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	for name, res := range map[string][]enqueueRes{"a": gotA(), "b": gotB()} {
		for _, r := range res {
			if r.err != nil {
				t.Errorf("replica %s: %v", name, r.err)
				continue
			}
			if !r.e.Duplicate {
				t.Errorf("replica %s: job %d stored anew, want the redelivery found", name, r.e.JobID)
			}
		}
	}
	// Both took their locks in the same order: neither was aborted.
	if na, nb := attemptsA.Load(), attemptsB.Load(); na != 1 || nb != 1 {
		t.Errorf("attempts: replica a %d, replica b %d; want one each, without a deadlock", na, nb)
	}
	all, err := a.Jobs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != prs {
		t.Fatalf("%d jobs, want %d", len(all), prs)
	}
	for _, j := range all {
		if j.State != rivertype.JobStateAvailable {
			t.Errorf("job %d is %s, want available", j.ID, j.State)
		}
	}
}

// River's own statements lock job rows in their own order (the scheduler
// takes due snoozed jobs FOR UPDATE by scheduled_at), which no order of ours
// can match; a redelivery locks the job row it duplicates. Here another
// session holds the batch's last row, then asks for its first: PostgreSQL
// aborts the batch's transaction as the deadlock's victim, and the batch is
// stored on its second attempt.
func TestBatchSurvivesDeadlockWithAnotherSession(t *testing.T) {
	a, _, app := twoReplicas(t)
	attempts := flaky(a, func(int, []river.InsertManyParams) error { return nil })
	ctx := context.Background()
	reqs := prRequests(10)
	var ids []int64
	for _, r := range storeAsync(ctx, a, reqs)() {
		if r.err != nil {
			t.Fatal(r.err)
		}
		ids = append(ids, r.e.JobID)
	}
	other, err := a.store.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Rollback(ctx) }()
	if _, err := other.Exec(ctx, "SELECT id FROM river_job WHERE id = $1 FOR UPDATE", ids[len(ids)-1]); err != nil {
		t.Fatal(err)
	}
	attempts.Store(0)
	got := storeAsync(ctx, a, reqs) // locks rows 1..9, then waits for row 10
	waitUntil(t, "the batch waiting for the last row", func() bool {
		var n int
		if err := a.store.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE application_name = $1 AND wait_event_type = 'Lock'`, app).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 1
	})
	// Waits for the batch; PostgreSQL finds the cycle and aborts the batch,
	// which began waiting first.
	if _, err := other.Exec(ctx, "SELECT id FROM river_job WHERE id = $1 FOR UPDATE", ids[0]); err != nil {
		t.Fatalf("the other session was the deadlock's victim (%v); want the batch", err)
	}
	if err := other.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range got() {
		if r.err != nil {
			t.Fatalf("redelivery not stored: %v", r.err)
		}
		if !r.e.Duplicate {
			t.Errorf("job %d stored anew, want the redelivery found", r.e.JobID)
		}
	}
	if n := attempts.Load(); n != 2 {
		t.Fatalf("%d attempts, want 2: one aborted by the deadlock, one committed", n)
	}
}

// Many deliveries at once on two replicas, overlapping pull requests and
// heads in opposite orders: every Enqueue succeeds, every request has a job,
// and each pull request is left with exactly one live job, its latest request.
func TestConcurrentEnqueueOnTwoReplicas(t *testing.T) {
	a, b, _ := twoReplicas(t)
	ctx := context.Background()
	const prs, heads = 24, 4
	var reqs []ReviewArgs
	for h := range heads {
		for n := 1; n <= prs; n++ {
			reqs = append(reqs, ReviewArgs{InstallationID: int64(1 + n%3), Owner: "octo", Repo: "shop", Number: n,
				HeadSHA: fmt.Sprintf("%039d%d", n, h)})
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(reqs))
	for side, c := range []*Client{a, b} {
		for i := range reqs {
			r := reqs[i]
			if side == 1 {
				r = reqs[len(reqs)-1-i]
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.Enqueue(ctx, r); err != nil {
					errs <- err
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}
	all, err := a.Jobs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	live := map[int][]int64{}
	for _, j := range all {
		var args ReviewArgs
		if err := json.Unmarshal(j.EncodedArgs, &args); err != nil {
			t.Fatal(err)
		}
		stored[uniqueKey(args)] = true
		if j.State != rivertype.JobStateCancelled {
			live[args.Number] = append(live[args.Number], j.ID)
		}
	}
	for _, r := range reqs {
		if !stored[uniqueKey(r)] {
			t.Errorf("no job for %s", r)
		}
	}
	for n := 1; n <= prs; n++ {
		latest, err := a.store.Latest(ctx, store.PR{InstallationID: int64(1 + n%3), Repo: "octo/shop", Number: n})
		if err != nil {
			t.Fatal(err)
		}
		if len(live[n]) != 1 || live[n][0] != latest {
			t.Errorf("PR %d: live jobs %v, latest request %d; want the latest alone", n, live[n], latest)
		}
	}
}

// waitUntil polls cond until it holds, failing after a generous deadline: CI
// machines are small and busy.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// flaky wraps c's transaction so that fail decides, per attempt, whether it
// is aborted before it commits (as PostgreSQL aborts a deadlock's victim).
func flaky(c *Client, fail func(attempt int, params []river.InsertManyParams) error) *atomic.Int32 {
	var attempts atomic.Int32
	inner := c.insertAndClaim
	c.insertAndClaim = func(ctx context.Context, params []river.InsertManyParams,
		record func(context.Context, []*rivertype.JobInsertResult, txOps) error) error {
		n := int(attempts.Add(1))
		return inner(ctx, params, func(ctx context.Context, res []*rivertype.JobInsertResult, tx txOps) error {
			if err := record(ctx, res, tx); err != nil {
				return err
			}
			return fail(n, params)
		})
	}
	return &attempts
}

func sqliteQueue(t *testing.T) *Client {
	t.Helper()
	c, err := New(storetest.Open(t, "sqlite", ""), Config{ID: "test", Reviewer: ReviewerFunc(func(context.Context, *Job) error { return nil })})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func prRequests(n int) []ReviewArgs {
	var out []ReviewArgs
	for i := 1; i <= n; i++ {
		out = append(out, ReviewArgs{InstallationID: 1, Owner: "o", Repo: "r", Number: i, HeadSHA: fmt.Sprintf("%040d", i)})
	}
	return out
}

func deadlock() error { return &pgconn.PgError{Code: "40P01", Message: "deadlock detected"} }

func TestBatchRetriedAfterDeadlock(t *testing.T) {
	c := sqliteQueue(t)
	attempts := flaky(c, func(n int, _ []river.InsertManyParams) error {
		if n <= 2 {
			return deadlock()
		}
		return nil
	})
	res := storeAsync(context.Background(), c, prRequests(10))()
	for _, r := range res {
		if r.err != nil || r.e.JobID == 0 || r.e.Duplicate {
			t.Fatalf("answer %+v, %v; want a new job", r.e, r.err)
		}
	}
	if n := attempts.Load(); n != 3 {
		t.Fatalf("%d attempts, want 3 (two deadlocks, then the commit)", n)
	}
	all, err := c.Jobs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 10 {
		t.Fatalf("%d jobs, want 10: a rolled-back attempt must leave nothing", len(all))
	}
}

func TestBatchThatKeepsFailingIsStoredOneByOne(t *testing.T) {
	c := sqliteQueue(t)
	reqs := prRequests(6)
	poison := reqs[3]
	flaky(c, func(_ int, params []river.InsertManyParams) error {
		if len(params) > 1 {
			return deadlock() // every batch of several conflicts, every time
		}
		if params[0].Args.(ReviewArgs).Number == poison.Number {
			return errors.New("this delivery cannot be stored")
		}
		return nil
	})
	res := storeAsync(context.Background(), c, reqs)()
	for i, r := range res {
		if reqs[i].Number == poison.Number {
			if r.err == nil {
				t.Errorf("%s: stored, want its own error", reqs[i])
			}
			continue
		}
		if r.err != nil {
			t.Errorf("%s: %v; want it stored on its own", reqs[i], r.err)
		}
	}
	all, err := c.Jobs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(reqs)-1 {
		t.Fatalf("%d jobs, want %d", len(all), len(reqs)-1)
	}
}

func TestOnlyConflictsAreRetried(t *testing.T) {
	for err, want := range map[error]bool{
		deadlock(): true,
		fmt.Errorf("insert: %w", &pgconn.PgError{Code: "40001"}): true,
		&pgconn.PgError{Code: "23505"}:                           false,
		errors.New("connection refused"):                         false,
		context.DeadlineExceeded:                                 false,
	} {
		if got := retryable(err); got != want {
			t.Errorf("retryable(%v) = %v, want %v", err, got, want)
		}
	}
}
