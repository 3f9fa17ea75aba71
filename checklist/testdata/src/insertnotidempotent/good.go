package insertnotidempotent

import (
	"context"
	"database/sql"
	"errors"
	"net/http"

	"github.com/nats-io/nats.go"
	"github.com/riverqueue/river"
)

type ShipArgs struct {
	OrderID string
}

func (ShipArgs) Kind() string { return "ship" }

type ShipWorker struct{ db *sql.DB }

// Keyed on the order ID with ON CONFLICT.
func (w *ShipWorker) Work(ctx context.Context, job *river.Job[ShipArgs]) error {
	_, err := w.db.ExecContext(ctx,
		`INSERT INTO shipments (order_id, state) VALUES ($1, 'queued')
		 ON CONFLICT (order_id) DO NOTHING`, job.Args.OrderID)
	return err
}

// MySQL flavours.
func onMessage(ctx context.Context, db *sql.DB, m *nats.Msg) error {
	if _, err := db.ExecContext(ctx, "INSERT IGNORE INTO seen (id) VALUES (?)", m.Header["Nats-Msg-Id"]); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, "INSERT INTO totals (id, n) VALUES (?, 1) ON DUPLICATE KEY UPDATE n = VALUES(n)", m.Subject)
	return err
}

// A processed-messages marker in the same transaction guards the plain insert.
func handlePayment(ctx context.Context, db *sql.DB, m *nats.Msg) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	res, err := tx.ExecContext(ctx, "INSERT INTO processed (msg_id) VALUES ($1) ON CONFLICT DO NOTHING", string(m.Data[:16]))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO ledger (entry) VALUES ($1)", m.Data); err != nil {
		return err
	}
	return tx.Commit()
}

// WHERE NOT EXISTS.
func ProcessSignupMessage(ctx context.Context, db *sql.DB, msg []byte) error {
	_, err := db.ExecContext(ctx, `INSERT INTO users (email)
		SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM users WHERE email = $1)`, msg)
	return err
}

// An ordinary API handler that creates a resource is not a redelivered handler.
func (s *server) createUser(w http.ResponseWriter, r *http.Request) {
	if _, err := s.db.ExecContext(r.Context(), "INSERT INTO users (email) VALUES ($1)", r.FormValue("email")); err != nil {
		http.Error(w, "store", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

// A unique-violation check is a dedupe guard.
var errDuplicate = errors.New("duplicate")

func onOrderMessage(ctx context.Context, db *sql.DB, m *nats.Msg) error {
	_, err := db.ExecContext(ctx, "INSERT INTO orders (id) VALUES ($1)", m.Subject)
	if isUniqueViolation(err) {
		return nil
	}
	return err
}

func isUniqueViolation(err error) bool { return errors.Is(err, errDuplicate) }

// Outside any handler.
func seed(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, "INSERT INTO plans (name) VALUES ('free')")
	return err
}

// A REST endpoint that creates a calendar event is not a redelivered webhook.
func (s *server) createEvent(w http.ResponseWriter, r *http.Request) {
	if _, err := s.db.ExecContext(r.Context(), "INSERT INTO calendar_events (title) VALUES ($1)", r.FormValue("title")); err != nil {
		http.Error(w, "store", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

type csvRecord struct{ Name string }

// A loader processing one CSV record is not a message handler.
func processRecord(ctx context.Context, db *sql.DB, record csvRecord) error {
	_, err := db.ExecContext(ctx, "INSERT INTO people (name) VALUES ($1)", record.Name)
	return err
}
