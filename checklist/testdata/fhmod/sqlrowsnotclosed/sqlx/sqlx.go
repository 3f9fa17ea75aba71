// Package sqlx stands in for github.com/jmoiron/sqlx: its DB, Tx and Rows
// wrap database/sql's and add the x-suffixed methods.
package sqlx

import (
	"context"
	"database/sql"
)

// DB wraps a pool.
type DB struct{ *sql.DB }

// Tx wraps a transaction.
type Tx struct{ *sql.Tx }

// Rows wraps a result set and scans into structs.
type Rows struct{ *sql.Rows }

// StructScan scans the current row into dest.
func (r *Rows) StructScan(dest any) error { return r.Scan(dest) }

// QueryxContext runs a query on the pool.
func (db *DB) QueryxContext(ctx context.Context, query string, args ...any) (*Rows, error) {
	r, err := db.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return &Rows{r}, nil
}

// BeginTxx begins a transaction.
func (db *DB) BeginTxx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	tx, err := db.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &Tx{tx}, nil
}

// QueryxContext runs a query inside the transaction.
func (tx *Tx) QueryxContext(ctx context.Context, query string, args ...any) (*Rows, error) {
	r, err := tx.Tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return &Rows{r}, nil
}
