// Package contextbackground holds fresh contexts that cut the caller's
// cancellation, and deliberate detachments.
package contextbackground

import (
	"context"
	stdctx "context"
	"database/sql"
	"net/http"
	"time"
)

// Store saves orders.
type Store struct{ db *sql.DB }

// Save ignores the ctx it is given.
func (s *Store) Save(ctx context.Context, id string, total int64) error {
	_, err := s.db.ExecContext(context.Background(), "INSERT INTO orders(id, total) VALUES ($1, $2)", id, total) // want `context.Background\(\) drops ctx`
	return err
}

// Lookup is a handler that passes TODO instead of the request's context.
func (s *Store) Lookup(w http.ResponseWriter, r *http.Request) {
	var name string
	err := s.db.QueryRowContext(context.TODO(), "SELECT name FROM users WHERE id = $1", r.FormValue("id")).Scan(&name) // want `context.TODO\(\) drops r.Context\(\)`
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	_, _ = w.Write([]byte(name))
}

// Batch shadows ctx inside a closure with an aliased import.
func (s *Store) Batch(ctx context.Context, ids []string) error {
	del := func(id string) error {
		ctx := stdctx.Background() // want `context.Background\(\) drops ctx`
		_, err := s.db.ExecContext(ctx, "DELETE FROM carts WHERE id = $1", id)
		return err
	}
	for _, id := range ids {
		if err := del(id); err != nil {
			return err
		}
	}
	return nil
}

// Report puts its own deadline on a fresh context instead of the request's.
func (s *Store) Report(w http.ResponseWriter, r *http.Request) {
	qctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // want `context.Background\(\) drops r.Context\(\)`
	defer cancel()
	rows, err := s.db.QueryContext(qctx, "SELECT id FROM orders")
	if err != nil {
		http.Error(w, "failed", http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	for rows.Next() {
	}
}

// Refresh has a comment above, but it does not speak of the context.
func (s *Store) Refresh(ctx context.Context) error {
	// Rebuild the summary table.
	_, err := s.db.ExecContext(context.Background(), "REFRESH MATERIALIZED VIEW summary") // want `context.Background\(\) drops ctx`
	return err
}

// Vacuum makes a cancellable context but cancels it only as it returns:
// the caller's cancellation still does not reach the query.
func (s *Store) Vacuum(ctx context.Context) error {
	vctx, cancel := context.WithCancel(context.Background()) // want `context.Background\(\) drops ctx`
	defer cancel()
	_, err := s.db.ExecContext(vctx, "VACUUM")
	return err
}

// ObjectClient talks to an object store.
type ObjectClient struct {
	hc   *http.Client
	base string
}

// Stat asks the store about one object.
func (c *ObjectClient) Stat(ctx context.Context, key string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.base+"/"+key, nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Compose checks its source with a fresh context: the request Stat sends
// outlives the caller.
func (c *ObjectClient) Compose(ctx context.Context, src, dst string) error {
	if err := c.Stat(context.Background(), src); err != nil { // want `context.Background\(\) drops ctx`
		return err
	}
	return c.Stat(ctx, dst)
}

// JobContext is a worker framework's per-job context: it embeds the job's
// context.Context, so a handler taking it has a ctx at hand.
type JobContext struct {
	context.Context
	JobID string
}

// Expire is a job handler that queries with a fresh context instead of the
// job's own.
func (s *Store) Expire(jc *JobContext) error {
	_, err := s.db.ExecContext(context.Background(), "DELETE FROM holds WHERE job = $1", jc.JobID) // want `context.Background\(\) drops jc`
	return err
}

// LockAndWork names a literal and calls it at once: it runs now, with ctx
// at hand.
func (s *Store) LockAndWork(ctx context.Context, id int64) error {
	work := func() error {
		_, err := s.db.ExecContext(context.Background(), "UPDATE jobs SET state = 'running' WHERE id = $1", id) // want `context.Background`
		return err
	}
	return work()
}
