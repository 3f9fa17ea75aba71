package updatenotidempotent

import (
	"context"
	"database/sql"
	"net/http"

	"github.com/hibiken/asynq"
	"github.com/nats-io/nats.go"
	"github.com/riverqueue/river"
	"github.com/segmentio/kafka-go"
)

type CreditArgs struct {
	Account string
	Amount  int64
}

func (CreditArgs) Kind() string { return "credit" }

type CreditWorker struct{ db *sql.DB }

func (w *CreditWorker) Work(ctx context.Context, job *river.Job[CreditArgs]) error {
	_, err := w.db.ExecContext(ctx, "UPDATE accounts SET balance = balance + $1 WHERE id = $2", job.Args.Amount, job.Args.Account) // want `UPDATE sets balance relative to itself`
	return err
}

const decrementStock = `UPDATE products
	SET stock = stock - $1, updated = now()
	WHERE sku = $2`

func reserve(db *sql.DB) func(context.Context, *asynq.Task) error {
	return func(ctx context.Context, t *asynq.Task) error {
		_, err := db.ExecContext(ctx, decrementStock, 1, string(t.Payload())) // want `UPDATE sets stock relative to itself`
		return err
	}
}

func count(nc *nats.Conn, db *sql.DB) {
	nc.Subscribe("views", func(m *nats.Msg) {
		_, _ = db.Exec("update pages set views=views+1 where path=$1", m.Subject) // want `UPDATE sets views`
	})
}

func consume(ctx context.Context, tx *sql.Tx, msg kafka.Message) error {
	_, err := tx.ExecContext(ctx, "UPDATE t SET log = t.log || $1 WHERE k = $2", msg.Value, msg.Key) // want `UPDATE sets log`
	return err
}

func (s *srv) paymentWebhook(w http.ResponseWriter, r *http.Request) {
	_, err := s.db.ExecContext(r.Context(), "UPDATE wallets SET credits = credits + 10 WHERE user_id = $1", r.FormValue("user")) // want `webhook handler`
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
	}
}

type srv struct{ db *sql.DB }

// An ent builder adding a number to a field is a relative update.
func score(ctx context.Context, u *TeamUpdateOne, msg kafka.Message) error {
	_, err := u.AddScore(len(msg.Value)).Save(ctx) // want `UPDATE sets ent TeamUpdateOne relative to itself`
	return err
}
