package insertnotidempotent

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"

	"github.com/hibiken/asynq"
	"github.com/nats-io/nats.go"
	"github.com/riverqueue/river"
	"github.com/segmentio/kafka-go"
)

type OrderArgs struct {
	Customer string
	Total    int64
}

func (OrderArgs) Kind() string { return "order" }

type OrderWorker struct{ db *sql.DB }

// A river worker, recognised by its parameter type.
func (w *OrderWorker) Work(ctx context.Context, job *river.Job[OrderArgs]) error {
	_, err := w.db.ExecContext(ctx, "INSERT INTO orders (customer, total) VALUES ($1, $2)", job.Args.Customer, job.Args.Total) // want `INSERT without ON CONFLICT.*queue handler`
	return err
}

const insertEmail = `
	INSERT INTO emails (address, body)
	VALUES ($1, $2)`

// An asynq handler, with the statement in a constant.
func sendWelcome(ctx context.Context, db *sql.DB) func(context.Context, *asynq.Task) error {
	return func(ctx context.Context, t *asynq.Task) error {
		_, err := db.ExecContext(ctx, insertEmail, "a@b.c", string(t.Payload())) // want `INSERT without ON CONFLICT`
		return err
	}
}

// A NATS subscription callback, with the statement in a local and inside a transaction closure.
func subscribe(nc *nats.Conn, db *sql.DB) error {
	_, err := nc.Subscribe("payments", func(m *nats.Msg) {
		q := "insert into payments (payload) values ($1)"
		withTx(db, func(tx *sql.Tx) error {
			_, err := tx.Exec(q, m.Data) // want `INSERT without ON CONFLICT`
			return err
		})
	})
	return err
}

func withTx(db *sql.DB, f func(*sql.Tx) error) {
	tx, err := db.Begin()
	if err != nil {
		return
	}
	if f(tx) != nil {
		_ = tx.Rollback()
		return
	}
	_ = tx.Commit()
}

// A Kafka consumer, with QueryRow and RETURNING.
func consume(ctx context.Context, db *sql.DB, msg kafka.Message) (int64, error) {
	var id int64
	err := db.QueryRowContext(ctx, "INSERT INTO events (k, v) VALUES ($1, $2) RETURNING id", msg.Key, msg.Value).Scan(&id) // want `INSERT without ON CONFLICT`
	return id, err
}

// A webhook HTTP handler.
func (s *server) handleStripeWebhook(w http.ResponseWriter, r *http.Request) {
	var ev struct{ ID, Type string }
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&ev); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if _, err := s.db.ExecContext(r.Context(), "INSERT INTO stripe_events (type) VALUES ($1)", ev.Type); err != nil { // want `webhook handler`
		http.Error(w, "store", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type server struct{ db *sql.DB }

// Recognised by name and parameter.
func HandleInvoiceEvent(ctx context.Context, db *sql.DB, event []byte) error {
	_, err := db.ExecContext(ctx, "INSERT INTO invoices (raw) VALUES ($1)", event) // want `INSERT without ON CONFLICT`
	return err
}

// A callback route registered with a closure.
func routes(mux *http.ServeMux, db *sql.DB) {
	mux.HandleFunc("/callbacks/payment", func(w http.ResponseWriter, r *http.Request) {
		if _, err := db.ExecContext(r.Context(), "INSERT INTO payments (ref) VALUES ($1)", r.FormValue("ref")); err != nil { // want `webhook handler`
			http.Error(w, "store", http.StatusInternalServerError)
		}
	})
}

// A read whose error is only passed on decides nothing: still reported.
func onRefund(ctx context.Context, db *sql.DB, m *nats.Msg) error {
	var total int64
	err := db.QueryRowContext(ctx, "SELECT total FROM orders WHERE id = $1", m.Subject).Scan(&total)
	if err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, "INSERT INTO refunds (order_id, amount) VALUES ($1, $2)", m.Subject, total) // want `INSERT without ON CONFLICT`
	return err
}

// Recognised by name, with a raw payload.
func handleRaw(ctx context.Context, db *sql.DB, payload []byte) {
	_, _ = db.ExecContext(ctx, "INSERT INTO raw_events (body) VALUES ($1)", payload) // want `INSERT without ON CONFLICT`
}

// A nil check on a local runs on every delivery: not a lazy getter.
func onSignup(ctx context.Context, db *sql.DB, m *nats.Msg) error {
	var name []byte
	if name == nil {
		name = m.Data
		_, err := db.ExecContext(ctx, "INSERT INTO signups (name) VALUES ($1)", name) // want `INSERT without ON CONFLICT`
		return err
	}
	return nil
}

// A loop over a channel the broker client fills is a queue consumer: unlike
// an in-process channel, the broker redelivers what is not acknowledged.
func drain(ctx context.Context, db *sql.DB, msgs <-chan *nats.Msg) {
	for m := range msgs {
		_, _ = db.ExecContext(ctx, "INSERT INTO copies (body) VALUES ($1)", m.Data) // want `INSERT without ON CONFLICT`
		_ = m.Ack()
	}
}
