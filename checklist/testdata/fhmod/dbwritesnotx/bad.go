// Package dbwritesnotx holds functions that write twice outside a
// transaction, and functions that write safely.
package dbwritesnotx

import (
	"context"
	"database/sql"
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Transfer debits and credits on the pool.
func Transfer(ctx context.Context, db *sql.DB, from, to string, cents int64) error {
	if _, err := db.ExecContext(ctx, "UPDATE accounts SET balance = balance - $1 WHERE id = $2", cents, from); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, "UPDATE accounts SET balance = balance + $1 WHERE id = $2", cents, to) // want `second database write on the pool db outside a transaction \(the first is on line 15\)`
	return err
}

// Line is an order line.
type Line struct {
	SKU string
	Qty int
}

const insertLine = `
	-- one row per line
	INSERT INTO order_lines(order_id, sku, qty) VALUES ($1, $2, $3)`

// PlaceOrder writes the order, then its lines in a loop.
func PlaceOrder(ctx context.Context, pool *pgxpool.Pool, id int64, lines []Line) error {
	if _, err := pool.Exec(ctx, "INSERT INTO orders(id) VALUES ($1)", id); err != nil {
		return err
	}
	for _, l := range lines {
		if _, err := pool.Exec(ctx, insertLine, id, l.SKU, l.Qty); err != nil { // want `second database write on the pool pool outside a transaction`
			return err
		}
	}
	return nil
}

// Server registers users.
type Server struct{ db *sql.DB }

// Register writes the user and its outbox event from a handler closure.
func (s *Server) Register() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		email := r.FormValue("email")
		if _, err := s.db.ExecContext(r.Context(), "INSERT INTO users(email) VALUES ($1)", email); err != nil {
			http.Error(w, "failed", http.StatusInternalServerError)
			return
		}
		if _, err := s.db.ExecContext(r.Context(), "insert into outbox(kind, body) values ('user.created', $1)", email); err != nil { // want `second database write on the pool s.db outside a transaction`
			http.Error(w, "failed", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusCreated)
	}
}

// Expire deletes through a CTE and then updates, on one connection.
func Expire(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, `/* expire */ WITH old AS (SELECT id FROM sessions WHERE seen < now() - interval '1 day') DELETE FROM sessions WHERE id IN (SELECT id FROM old)`); err != nil {
		return err
	}
	_, err := conn.ExecContext(ctx, "UPDATE stats SET sessions = (SELECT count(*) FROM sessions)") // want `second database write on the pool conn outside a transaction`
	return err
}

// Rename calls Exec through the pool without context.
func Rename(db *sql.DB, id int64, name string) error {
	if _, err := db.Exec("UPDATE items SET name = $1 WHERE id = $2", name, id); err != nil {
		return err
	}
	_, err := db.Exec("DELETE FROM item_cache WHERE id = $1", id) // want `second database write on the pool db outside a transaction`
	return err
}
