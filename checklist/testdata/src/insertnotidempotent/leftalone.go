package insertnotidempotent

// Cases the check leaves alone: each inserts without ON CONFLICT on a path
// that a redelivery does not repeat, or on a function that is no entry.

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"sync"

	"github.com/nats-io/nats.go"
	"github.com/riverqueue/river"
	"github.com/segmentio/kafka-go"
)

// container hands out one database handle; the first ask seeds it.
type container struct {
	once sync.Once
	db   *sql.DB
	raw  *sql.DB
}

// DB seeds default data inside a sync.Once: once per process, not per job.
func (c *container) DB(ctx context.Context) *sql.DB {
	c.once.Do(func() {
		_, _ = c.raw.ExecContext(ctx, "INSERT INTO settings (k, v) VALUES ('theme', 'light')")
	})
	return c.raw
}

// Lazy is a nil-check getter: the init branch runs on the first call only.
func (c *container) Lazy(ctx context.Context) *sql.DB {
	if c.db == nil {
		c.db = c.raw
		_, _ = c.db.ExecContext(ctx, "INSERT INTO roles (name) VALUES ('admin')")
	}
	return c.db
}

// runMigrations is start-up work wherever it is reached from.
func runMigrations(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, "INSERT INTO schema_migrations (version) VALUES (1)")
	return err
}

type AuditArgs struct{ Note string }

func (AuditArgs) Kind() string { return "audit" }

type AuditWorker struct{ c *container }

// Work asks the container for its handle: the seeding is not the job's.
func (w *AuditWorker) Work(ctx context.Context, job *river.Job[AuditArgs]) error {
	db := w.c.DB(ctx)
	_ = w.c.Lazy(ctx)
	if err := runMigrations(ctx, db); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, "UPDATE audit SET note = $1 WHERE id = 1", job.Args.Note)
	return err
}

var errNotFound = errors.New("not found")

type members struct{ db *sql.DB }

func (m *members) Exists(ctx context.Context, group, user string) (bool, error) {
	var n int
	err := m.db.QueryRowContext(ctx, "SELECT count(*) FROM members WHERE grp = $1 AND usr = $2", group, user).Scan(&n)
	return n > 0, err
}

func (m *members) add(ctx context.Context, group, user string) error {
	_, err := m.db.ExecContext(ctx, "INSERT INTO members (grp, usr) VALUES ($1, $2)", group, user)
	return err
}

// Join checks first and returns early when the user is already a member:
// a redelivery stops at the check.
func Join(ctx context.Context, m *members, msg kafka.Message) error {
	exists, err := m.Exists(ctx, string(msg.Key), string(msg.Value))
	if err != nil {
		return err
	}
	if exists {
		return nil // already a member
	}
	return m.add(ctx, string(msg.Key), string(msg.Value))
}

// onAvatar looks the row up and returns when it is already set.
func onAvatar(ctx context.Context, db *sql.DB, m *nats.Msg) error {
	var id int64
	err := db.QueryRowContext(ctx, "SELECT id FROM avatars WHERE user_id = $1", m.Subject).Scan(&id)
	if err == nil {
		return nil // already set
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	_, err = db.ExecContext(ctx, "INSERT INTO avatars (user_id, data) VALUES ($1, $2)", m.Subject, m.Data)
	return err
}

type Job struct{ Name string }

// processJobs drains an in-process channel: a Go channel never redelivers.
func processJobs(ctx context.Context, db *sql.DB, jobs <-chan Job) {
	for job := range jobs {
		_, _ = db.ExecContext(ctx, "INSERT INTO runs (name) VALUES ($1)", job.Name)
	}
}

type Webhook struct{ URL string }

type Task struct{ Title string }

type repo struct{ db *sql.DB }

// CreateWebhook is a repository method that stores a user's webhook
// setting: its name is no delivery.
func (r *repo) CreateWebhook(ctx context.Context, w *Webhook) error {
	_, err := r.db.ExecContext(ctx, "INSERT INTO webhooks (url) VALUES ($1)", w.URL)
	return err
}

// handleTask is a repository helper taking a decoded task, not a queue's.
func handleTask(ctx context.Context, db *sql.DB, task *Task) error {
	_, err := db.ExecContext(ctx, "INSERT INTO tasks (title) VALUES ($1)", task.Title)
	return err
}

type auth struct{ db *sql.DB }

// providerCallback finishes a browser sign-in: a request, not a delivery.
func (a *auth) providerCallback(w http.ResponseWriter, r *http.Request) {
	_, _ = a.db.ExecContext(r.Context(), "INSERT INTO sessions (user_id) VALUES ($1)", r.FormValue("state"))
}

// OAuthCallback is the same, recognised by its name.
func (a *auth) OAuthCallback(w http.ResponseWriter, r *http.Request) {
	_, _ = a.db.ExecContext(r.Context(), "INSERT INTO identities (sub) VALUES ($1)", r.FormValue("code"))
}

func authRoutes(mux *http.ServeMux, a *auth) {
	mux.HandleFunc("/auth/{provider}/callback", a.providerCallback)
	mux.HandleFunc("/oauth/callback", a.OAuthCallback)
}

var _ = errNotFound

// refundOnce locks the order row, then decides on its state: the insert is
// the decision of a locked read, not a blind repeat.
func refundOnce(ctx context.Context, db *sql.DB, m *nats.Msg) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var state string
	if err := tx.QueryRowContext(ctx, "SELECT state FROM orders WHERE id = $1 FOR UPDATE", string(m.Data)).Scan(&state); err != nil {
		return err
	}
	if state == "refunded" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO refunds (order_id) VALUES ($1)", string(m.Data)); err != nil {
		return err
	}
	return tx.Commit()
}

// flight runs one call per key at a time; its Do is no scheduler's.
type flight struct{}

func (flight) Do(key string, fn func() (any, error)) (any, error) { return fn() }

// warm fills a cache row through a singleflight-like Do from a request.
func warm(w http.ResponseWriter, r *http.Request, db *sql.DB) {
	var f flight
	_, _ = f.Do("k", func() (any, error) {
		return db.ExecContext(r.Context(), "INSERT INTO cache_rows (k) VALUES ('k')")
	})
}

// Not found yet (see PRECISION.md, "What limits recall"): a Go-side
// read-modify-write of a counter saved inside an optimistic-lock closure,
// writes behind a module's own stream reader registered by method value,
// and a delivery ID minted in a helper the handler calls.
