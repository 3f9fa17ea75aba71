package updatenotidempotent

import (
	"context"
	"database/sql"
	"net/http"

	"github.com/nats-io/nats.go"
)

// An absolute write is safe to repeat.
func onPrice(ctx context.Context, db *sql.DB, m *nats.Msg) error {
	_, err := db.ExecContext(ctx, "UPDATE products SET price = $1 WHERE sku = $2", m.Data, m.Subject)
	return err
}

// Guarded by the last applied event.
func onDeposit(ctx context.Context, db *sql.DB, m *nats.Msg, eventID int64) error {
	_, err := db.ExecContext(ctx,
		"UPDATE accounts SET balance = balance + $1, last_event_id = $3 WHERE id = $2 AND last_event_id < $3",
		m.Data, m.Subject, eventID)
	return err
}

// Optimistic concurrency: version bump with a version check.
func onAdjust(ctx context.Context, db *sql.DB, m *nats.Msg, version int) error {
	_, err := db.ExecContext(ctx,
		"UPDATE stock SET qty = qty - 1, version = version + 1 WHERE sku = $1 AND version = $2", m.Subject, version)
	return err
}

// A processed marker in the same transaction.
func onCredit(ctx context.Context, db *sql.DB, m *nats.Msg) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	res, err := tx.ExecContext(ctx, "INSERT INTO processed (id) VALUES ($1) ON CONFLICT DO NOTHING", m.Subject)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance + 5 WHERE id = $1", m.Subject); err != nil {
		return err
	}
	return tx.Commit()
}

// A page-view counter in an ordinary request handler is not a redelivered handler.
func (s *srv) show(w http.ResponseWriter, r *http.Request) {
	_, _ = s.db.ExecContext(r.Context(), "UPDATE pages SET views = views + 1 WHERE path = $1", r.URL.Path)
}

// Only the version column is relative.
func onRename(ctx context.Context, db *sql.DB, m *nats.Msg) error {
	_, err := db.ExecContext(ctx, "UPDATE users SET name = $1, version = version + 1 WHERE id = $2", m.Data, m.Subject)
	return err
}
