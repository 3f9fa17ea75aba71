// Package store keeps tasks, payments and members, in SQL or in memory.
package store

import (
	"context"
	"database/sql"

	"github.com/go-gorp/gorp/v3"
	"github.com/jmoiron/sqlx"
	"xorm.io/xorm"
)

// Task is one run of a template.
type Task struct {
	ID, ProjectID int
	Env           string
}

// Store is implemented by SQLStore and MemStore: the service cannot see
// which one main wires.
type Store interface {
	CreateTask(t Task) (Task, error)
	CreateTemplate(t Task) error
}

// SQLStore keeps everything in SQL.
type SQLStore struct {
	Map *gorp.DbMap
	X   *xorm.Engine
	DB  *sqlx.DB
	SQL *sql.DB
}

// CreateTask inserts the task with gorp.
func (s *SQLStore) CreateTask(t Task) (Task, error) {
	err := s.Map.Insert(&t) // want "^INSERT without ON CONFLICT .*reached from the webhook handler \\(/api/integrations/\\{alias\\}\\) `\\(\\*API\\).ReceiveIntegration` \\(api/api.go:\\d+\\) via `\\(\\*Pool\\).AddTask` → `\\(\\*SQLStore\\).CreateTask`"
	return t, err
}

// CreateTemplate is called from an ordinary request only.
func (s *SQLStore) CreateTemplate(t Task) error { return s.Map.Insert(&t) }

// MemStore keeps tasks in memory.
type MemStore struct{ tasks []Task }

// CreateTask appends the task.
func (m *MemStore) CreateTask(t Task) (Task, error) {
	m.tasks = append(m.tasks, t)
	return t, nil
}

// CreateTemplate does nothing in memory.
func (m *MemStore) CreateTemplate(Task) error { return nil }

// Payment is a provider's notification of a payment.
type Payment struct {
	OrderID, Ref string
	Amount       int
}

// RecordPayment inserts one row per notification.
func (s *SQLStore) RecordPayment(p Payment) error {
	_, err := s.DB.NamedExec(`INSERT INTO payments (order_id, ref, amount) VALUES (:order_id, :ref, :amount)`, p) // want "^INSERT without ON CONFLICT .* into payments, reached from the webhook handler \\(/api/webhook/payment\\) `\\(\\*PaymentController\\).Notify`"
	return err
}

// CreateOrder is a user's order, placed once per form post.
func (s *SQLStore) CreateOrder(p Payment) error {
	_, err := s.DB.NamedExec(`INSERT INTO orders (order_id, amount) VALUES (:order_id, :amount)`, p)
	return err
}

// CountEvent bumps the tenant's event tally.
func (s *SQLStore) CountEvent(tenant string) error {
	_, err := s.X.Where("tenant = ?", tenant).Incr("events_received").Update(&struct{}{}) // want "^\\[info\\] UPDATE sets events_received relative to itself, reached from the webhook handler `\\(\\*Server\\).V1WebhookReceive`.*no delivery id"
	return err
}

// CreateTenant inserts a tenant.
func (s *SQLStore) CreateTenant(name string) error {
	_, err := s.SQL.Exec(`INSERT INTO tenants (name) VALUES ($1)`, name)
	return err
}

// RecordEvent inserts a GitHub event.
func (s *SQLStore) RecordEvent(kind string) error {
	_, err := s.SQL.Exec(`INSERT INTO events (kind) VALUES ($1)`, kind) // want "^INSERT without ON CONFLICT .* into events, reached from the webhook handler `\\(\\*Server\\).GithubWebhook`"
	return err
}

// ClaimDelivery records a delivery ID; false when it was seen before.
func (s *SQLStore) ClaimDelivery(id string) (bool, error) {
	res, err := s.SQL.Exec(`INSERT INTO processed_deliveries (id) VALUES ($1) ON CONFLICT DO NOTHING`, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// CreatePipelineRun starts a pipeline run.
func (s *SQLStore) CreatePipelineRun(ref string) error {
	_, err := s.SQL.Exec(`INSERT INTO pipeline_runs (ref) VALUES ($1)`, ref)
	return err
}

// AddMember adds a user to a team once: a member already there returns.
func (s *SQLStore) AddMember(team, user int) error {
	exists, err := s.X.Where("team = ? AND uid = ?", team, user).Exist()
	if err != nil {
		return err
	}
	if exists {
		return nil
	}
	if _, err := s.SQL.Exec(`INSERT INTO team_user (team, uid) VALUES ($1, $2)`, team, user); err != nil {
		return err
	}
	_, err = s.X.ID(team).Incr("num_members").Update(&struct{}{})
	return err
}

// Refund refunds an order under a row lock; the state check decides.
func (s *SQLStore) Refund(ctx context.Context, order string) error {
	tx, err := s.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var state string
	if err := tx.QueryRowContext(ctx, `SELECT state FROM orders WHERE id = $1 FOR UPDATE`, order).Scan(&state); err != nil {
		return err
	}
	if state == "refunded" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO refunds (order_id) VALUES ($1)`, order); err != nil {
		return err
	}
	return tx.Commit()
}

// SaveMessage inserts a message's row.
func (s *SQLStore) SaveMessage(body []byte) error {
	_, err := s.SQL.Exec(`INSERT INTO inbox_copy (body) VALUES ($1)`, body) // want "^\\[info\\] INSERT without ON CONFLICT .* into inbox_copy, reached from the job or message handler `handleMessage`"
	return err
}

// Cache fills a cache row.
func (s *SQLStore) Cache(key string) error {
	_, err := s.SQL.Exec(`INSERT INTO cache_rows (k) VALUES ($1)`, key)
	return err
}

// SaveIntegration stores an integration's settings.
func (s *SQLStore) SaveIntegration(name string) error {
	_, err := s.SQL.Exec(`INSERT INTO integrations (name) VALUES ($1)`, name)
	return err
}

// SaveDeviceGrant stores the tokens a browser's device approval issued.
func (s *SQLStore) SaveDeviceGrant(code string) error {
	_, err := s.SQL.Exec(`INSERT INTO device_grants (code) VALUES ($1)`, code)
	return err
}

// RecordRefund records a refund notice.
func (s *SQLStore) RecordRefund(id string) error {
	_, err := s.SQL.Exec(`INSERT INTO refunds (refund_id) VALUES ($1)`, id) // want "^INSERT without ON CONFLICT .* into refunds, reached from the webhook handler `\\(\\*API\\).handleRefundCallback`"
	return err
}

// SaveSession stores a signed-in browser session.
func (s *SQLStore) SaveSession(code string) error {
	_, err := s.SQL.Exec(`INSERT INTO sessions (code) VALUES ($1)`, code)
	return err
}

// RecordPaymentNotice records a payment notification.
func (s *SQLStore) RecordPaymentNotice(id string) error {
	_, err := s.SQL.Exec(`INSERT INTO payment_notices (payment_id) VALUES ($1)`, id) // want "^\\[info\\] INSERT without ON CONFLICT .* into payment_notices, reached from the webhook handler \\(/payments/callback\\) `\\(\\*API\\).PaymentNotice`"
	return err
}

// RecordAudit writes the event and its counter in one transaction: a
// delivery that fails leaves nothing behind for the retry to repeat.
func (s *SQLStore) RecordAudit(event string) error {
	tx, err := s.SQL.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO audit (event) VALUES ($1)`, event); err != nil { // want "^\\[info\\] INSERT without ON CONFLICT .* into audit, reached from the webhook handler `\\(\\*API\\).handleAuditHook`.*runs in a transaction"
		return err
	}
	return tx.Commit()
}
