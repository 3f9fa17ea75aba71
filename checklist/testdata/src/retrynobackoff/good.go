package retrynobackoff

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"net/http"
	"time"
)

// Get retries with capped, jittered exponential backoff and stops on ctx.
func (c *Client) Get(ctx context.Context, path string) (*http.Response, error) {
	backoff := 200 * time.Millisecond
	const maxBackoff = 5 * time.Second
	var lastErr error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
		if err != nil {
			return nil, err
		}
		resp, err := c.hc.Do(req)
		if err == nil && resp.StatusCode < 500 {
			return resp, nil
		}
		if err == nil {
			resp.Body.Close()
			err = errors.New(resp.Status)
		}
		lastErr = err
		wait := backoff/2 + rand.N(backoff/2)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		backoff = min(backoff*2, maxBackoff)
	}
	return nil, lastErr
}

// Put delegates the wait to a helper whose name says so.
func (c *Client) Put(ctx context.Context, path string) error {
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		if err = c.send(ctx, path); err == nil {
			return nil
		}
		if werr := sleepBackoff(ctx, attempt); werr != nil {
			return werr
		}
	}
	return err
}

func sleepBackoff(ctx context.Context, attempt int) error {
	d := time.Duration(1<<attempt) * 100 * time.Millisecond
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Serializable retries a transaction at once on a serialization failure,
// which is what PostgreSQL advises; no network call is retried here.
func Serializable(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		var tx *sql.Tx
		tx, err = db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable})
		if err != nil {
			return err
		}
		if err = fn(tx); err == nil {
			if err = tx.Commit(); err == nil {
				return nil
			}
		} else {
			_ = tx.Rollback()
		}
	}
	return err
}

// Pages walks a paginated API: a loop, not a retry.
func (c *Client) Pages(ctx context.Context) (int, error) {
	n := 0
	for page := 1; ; page++ {
		err := c.send(ctx, "/items?page="+string(rune('0'+page)))
		if errors.Is(err, errDone) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

var errDone = errors.New("no more pages")

// WaitForDB polls for the database at startup with a fixed interval: a
// readiness wait, not a retry storm, and capped by its deadline.
func WaitForDB(ctx context.Context, db *sql.DB) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for attempt := 0; ; attempt++ {
		if err := db.PingContext(ctx); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// Timer waits on a reusable timer's channel between attempts.
func (c *Client) Timer(ctx context.Context, next func(int) time.Duration) error {
	t := time.NewTimer(0)
	defer t.Stop()
	<-t.C
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if err := c.send(ctx, "/ping"); err == nil {
			return nil
		}
		t.Reset(next(attempt))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return errors.New("gave up")
}

// RetryUntilStopped polls op on a ticker until it succeeds or the owner
// closes stop: the stop channel ends the loop as ctx.Done() would.
func RetryUntilStopped(every time.Duration, stop <-chan struct{}, op func() error) error {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		err := op()
		if err == nil {
			return nil
		}
		select {
		case <-stop:
			return err
		case <-ticker.C:
		}
	}
}

// source is a feed this client mirrors; failed ones are set up again on
// the next pass of the caller's timer.
type source struct {
	name   string
	failed bool
}

// retryFailedSources visits each failed source once per call: a range over
// items, not a loop of attempts, whatever the function is called.
func (c *Client) retryFailedSources(ctx context.Context, sources []*source) {
	for _, s := range sources {
		if !s.failed {
			continue
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/sources/"+s.name+"/setup", nil)
		if err != nil {
			continue
		}
		resp, err := c.hc.Do(req)
		if err != nil {
			continue
		}
		resp.Body.Close()
		s.failed = resp.StatusCode != http.StatusOK
	}
}
