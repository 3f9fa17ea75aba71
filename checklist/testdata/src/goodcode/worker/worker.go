// Package worker processes queue jobs and messages so that a redelivery is
// harmless: every side effect is keyed on the job or message ID inside one
// transaction, concurrency is bounded, and a message is acknowledged only
// after its work has committed.
package worker

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/riverqueue/river"
	"golang.org/x/sync/errgroup"
)

// OpenDB opens the job database with a bounded pool.
func OpenDB(ctx context.Context, dsn string) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open job database: %w", err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	db.SetConnMaxLifetime(30 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		if cerr := db.Close(); cerr != nil {
			slog.Warn("close job database", "err", cerr)
		}
		return nil, fmt.Errorf("reach job database: %w", err)
	}
	return db, nil
}

// CreditArgs asks for an account to be credited.
type CreditArgs struct {
	Account string `json:"account"`
	Amount  int64  `json:"amount"`
}

// Kind names the job.
func (CreditArgs) Kind() string { return "credit" }

// CreditWorker applies credits exactly once per job.
type CreditWorker struct {
	river.WorkerDefaults[CreditArgs]
	DB *sql.DB
}

// Work records the job ID and applies the credit in one transaction; a
// second delivery finds the ID already recorded and does nothing.
func (w *CreditWorker) Work(ctx context.Context, job *river.Job[CreditArgs]) error {
	tx, err := w.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
			slog.Warn("rollback credit", "job", job.ID, "err", err)
		}
	}()
	res, err := tx.ExecContext(ctx,
		`INSERT INTO processed_jobs (job_id) VALUES ($1) ON CONFLICT (job_id) DO NOTHING`, job.ID)
	if err != nil {
		return fmt.Errorf("record job %d: %w", job.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("record job %d: %w", job.ID, err)
	}
	if n == 0 {
		slog.Info("credit already applied", "job", job.ID)
		return nil
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE accounts SET balance = balance + $1 WHERE id = $2`, job.Args.Amount, job.Args.Account); err != nil {
		return fmt.Errorf("credit %s: %w", job.Args.Account, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit credit: %w", err)
	}
	return nil
}

// Event is a domain event carried on NATS.
type Event struct {
	ID      string
	Account string
	Kind    string
}

// Store keeps events, keyed on their ID.
type Store struct {
	DB *sql.DB
}

// Save stores an event once; a redelivered event is ignored.
func (s *Store) Save(ctx context.Context, ev Event) error {
	_, err := s.DB.ExecContext(ctx,
		`INSERT INTO events (id, account, kind) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
		ev.ID, ev.Account, ev.Kind)
	if err != nil {
		return fmt.Errorf("save event %s: %w", ev.ID, err)
	}
	return nil
}

// Consumer handles NATS messages with at most Limit in flight.
type Consumer struct {
	Store  *Store
	Limit  int
	decode func([]byte) (Event, error)
}

// HandleMsg stores the event and acknowledges it only once it is stored, so
// that a crash before the ack means a redelivery rather than a loss.
func (c *Consumer) HandleMsg(ctx context.Context, m *nats.Msg) error {
	ev, err := c.decode(m.Data)
	if err != nil {
		return fmt.Errorf("decode %s: %w", m.Subject, err)
	}
	if err := c.Store.Save(ctx, ev); err != nil {
		return err
	}
	if err := m.Ack(); err != nil {
		return fmt.Errorf("ack %s: %w", ev.ID, err)
	}
	return nil
}

// Drain handles a batch of messages, Limit at a time, and returns the first
// error.
func (c *Consumer) Drain(ctx context.Context, msgs []*nats.Msg) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(max(c.Limit, 1))
	for _, m := range msgs {
		g.Go(func() error { return c.HandleMsg(ctx, m) })
	}
	return g.Wait()
}

// Pool runs a fixed number of workers over a channel.
func (c *Consumer) Pool(ctx context.Context, in <-chan *nats.Msg) {
	var wg sync.WaitGroup
	for range max(c.Limit, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range in {
				if err := c.HandleMsg(ctx, m); err != nil {
					slog.Error("handle message", "subject", m.Subject, "err", err)
				}
			}
		}()
	}
	wg.Wait()
}

// Balances reads many balances in one round trip.
func Balances(ctx context.Context, db *sql.DB, ids []string) (map[string]int64, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, balance FROM accounts WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("read balances: %w", err)
	}
	defer rows.Close()
	out := make(map[string]int64, len(ids))
	for rows.Next() {
		var id string
		var bal int64
		if err := rows.Scan(&id, &bal); err != nil {
			return nil, fmt.Errorf("scan balance: %w", err)
		}
		out[id] = bal
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read balances: %w", err)
	}
	return out, nil
}
