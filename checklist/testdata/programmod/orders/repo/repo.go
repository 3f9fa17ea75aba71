// Package repo stores orders.
package repo

import (
	"context"
	"database/sql"
)

// Repo writes orders.
type Repo struct{ DB *sql.DB }

// Insert writes an order row on the pool.
func (r *Repo) Insert(ctx context.Context, id string) error {
	_, err := r.DB.ExecContext(ctx, "INSERT INTO orders (id) VALUES ($1)", id)
	return err
}

// MarkShipped sets an order's state.
func (r *Repo) MarkShipped(ctx context.Context, id string) error {
	_, err := r.DB.ExecContext(ctx, "UPDATE orders SET state = 'shipped' WHERE id = $1", id) // want `a database write \(UPDATE orders\) after an outbound POST on the path of the request handler .\(\*API\)\.ShipOrder. \(api/api\.go:\d+\) via .\(\*Repo\)\.MarkShipped.`
	return err
}

// InsertWithOutbox writes the order and its event in one transaction.
func (r *Repo) InsertWithOutbox(ctx context.Context, id string) error {
	tx, err := r.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, "INSERT INTO orders (id) VALUES ($1)", id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO outbox (topic, payload) VALUES ('orders.created', $1)", id); err != nil {
		return err
	}
	return tx.Commit()
}

// MarkConfirmed records that an order's code was confirmed.
func (r *Repo) MarkConfirmed(ctx context.Context, id string) error {
	_, err := r.DB.ExecContext(ctx, "UPDATE orders SET confirmed = true WHERE id = $1", id)
	return err
}

// MarkSent records that an order's notice went out.
func (r *Repo) MarkSent(ctx context.Context, id string) error {
	_, err := r.DB.ExecContext(ctx, "UPDATE orders SET notice_sent = true WHERE id = $1", id) // want `a database write \(UPDATE orders\) records an outbound POST only after it is sent, in the poll loop of .Relay.`
	return err
}

// Claim takes an order's notice for sending before it goes out.
func (r *Repo) Claim(ctx context.Context, id string) error {
	_, err := r.DB.ExecContext(ctx, "UPDATE orders SET notice_sent = true WHERE id = $1 AND NOT notice_sent", id)
	return err
}

// MarkCancelled cancels an order.
func (r *Repo) MarkCancelled(ctx context.Context, id string) error {
	_, err := r.DB.ExecContext(ctx, "UPDATE orders SET state = 'cancelled' WHERE id = $1", id) // want `^\[info\] a database write \(UPDATE orders\) after an outbound POST on the path of the request handler .\(\*API\)\.Reschedule.`
	return err
}

// SaveLoginCode stores the one-time code a user signs in with.
func (r *Repo) SaveLoginCode(ctx context.Context, email, code string) error {
	_, err := r.DB.ExecContext(ctx, "INSERT INTO login_codes (email, code) VALUES ($1, $2) ON CONFLICT (email) DO UPDATE SET code = $2", email, code)
	return err
}

// SaveResetHex stores a password-reset token, named for its encoding.
func (r *Repo) SaveResetHex(ctx context.Context, email, hex string) error {
	_, err := r.DB.ExecContext(ctx, "INSERT INTO reset_hexes (email, hex) VALUES ($1, $2)", email, hex)
	return err
}
