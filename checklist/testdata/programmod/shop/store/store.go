// Package store is the service's repository over database/sql.
package store

import (
	"context"
	"database/sql"
)

// Store writes the service's rows.
type Store struct{ db *sql.DB }

// New returns a Store over db.
func New(db *sql.DB) *Store { return &Store{db: db} }

// RecordRefund inserts a refund row; it has no key of its own.
func (s *Store) RecordRefund(ctx context.Context, chargeID string, amount int64) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO refunds (charge_id, amount) VALUES ($1, $2)", chargeID, amount) // want `INSERT without ON CONFLICT \(or another guard\) into refunds, reached from the webhook handler \(/webhooks/stripe\) .\(\*Handler\)\.Stripe. \(shop/main\.go:\d+\) via .\(\*Service\)\.Refund. → .\(\*Service\)\.record. → .\(\*Store\)\.RecordRefund.; a redelivery inserts a second row`
	return err
}

// RecordRefundOnce is keyed on the provider's event ID.
func (s *Store) RecordRefundOnce(ctx context.Context, eventID, chargeID string, amount int64) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO refunds (event_id, charge_id, amount) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO UPDATE SET amount = EXCLUDED.amount",
		eventID, chargeID, amount)
	return err
}

// AddCredit adds to a balance.
func (s *Store) AddCredit(ctx context.Context, account string, n int64) error {
	_, err := s.db.ExecContext(ctx, "UPDATE accounts SET balance = balance + $1 WHERE id = $2", n, account) // want `UPDATE sets balance relative to itself, reached from the queue handler .func literal. \(consumer/consumer\.go:\d+\) via .apply. → .\(\*Store\)\.AddCredit.`
	return err
}

// AddBonus adds to a bonus; only a consumer that dedupes calls it.
func (s *Store) AddBonus(ctx context.Context, account string, n int64) error {
	_, err := s.db.ExecContext(ctx, "UPDATE accounts SET bonus = bonus + $1 WHERE id = $2", n, account)
	return err
}

// AccrueInterest adds a day's interest.
func (s *Store) AccrueInterest(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, "UPDATE accounts SET balance = balance + balance / 3650") // want `UPDATE sets balance relative to itself, reached from the scheduled job .func literal. \(jobs/jobs\.go:\d+\) via .\(\*Store\)\.AccrueInterest.`
	return err
}

// MarkProcessed records a message ID; it reports false when it was there.
func (s *Store) MarkProcessed(ctx context.Context, id string) (bool, error) {
	res, err := s.db.ExecContext(ctx, "INSERT INTO processed_messages (id) VALUES ($1) ON CONFLICT DO NOTHING", id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// CreateUser inserts a user; only a request handler calls it.
func (s *Store) CreateUser(ctx context.Context, email string) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO users (email) VALUES ($1)", email)
	return err
}

// LogStartup records a boot; only main calls it.
func (s *Store) LogStartup(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO boots (at) VALUES (now())")
	return err
}
