// Package sqlrowserrunchecked holds result loops that never check Err, and
// loops that do.
package sqlrowserrunchecked

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Names never checks Err: a dropped connection looks like the end of the list.
func Names(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() { // want `rows.Next\(\) stops on a network or decode error`
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, nil
}

// Lookup answers "not found" when the read failed: a single-row read whose
// false branch returns an error, at most info.
func Lookup(ctx context.Context, pool *pgxpool.Pool, email string) (int64, error) {
	rs, err := pool.Query(ctx, "SELECT id FROM users WHERE email = $1", email)
	if err != nil {
		return 0, err
	}
	defer rs.Close()
	if !rs.Next() { // want `rs.Next\(\) stops on a network or decode error`
		return 0, errors.New("not found")
	}
	var id int64
	return id, rs.Scan(&id)
}

// Sum calls Err but drops its result.
func Sum(ctx context.Context, conn *pgx.Conn) (int64, error) {
	rows, err := conn.Query(ctx, "SELECT amount FROM payments")
	if err != nil {
		return 0, err
	}
	var total int64
	for rows.Next() {
		var a int64
		if err := rows.Scan(&a); err != nil {
			rows.Close()
			return 0, err
		}
		total += a
	}
	rows.Close()
	rows.Err() // want `rows.Err\(\)'s result is dropped`
	return total, nil
}

// Each iterates inside a closure, through a method value, without Err.
func Each(ctx context.Context, db *sql.DB, fn func(int64)) func() error {
	q := db.QueryContext
	return func() error {
		rows, err := q(ctx, "SELECT id FROM queue")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() { // want `rows.Next\(\) stops on a network or decode error`
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			fn(id)
		}
		return nil
	}
}

// Tags discards Err explicitly.
func Tags(ctx context.Context, tx *sql.Tx) []string {
	rows, err := tx.QueryContext(ctx, "SELECT tag FROM tags")
	if err != nil {
		return nil
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		_ = rows.Scan(&t)
		out = append(out, t)
	}
	_ = rows.Err() // want `rows.Err\(\)'s result is dropped`
	return out
}

// First returns nil, nil when the read fails: the err it returns on a false
// Next is the Query's, nil by then. A single-row read, so at most info.
func First(ctx context.Context, pool *pgxpool.Pool) (*int64, error) {
	rows, err := pool.Query(ctx, "SELECT id FROM users LIMIT 1")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() { // want `rows.Next\(\) stops on a network or decode error`
		return nil, err
	}
	var id int64
	return &id, rows.Scan(&id)
}
