// Package gorm stands in for gorm.io/gorm: every call returns the session,
// which carries the error in its Error field.
package gorm

import (
	"context"
	"database/sql"
)

// DB is a session or a transaction.
type DB struct {
	Error error
}

// Begin starts a transaction; a failure is in the result's Error.
func (db *DB) Begin(opts ...*sql.TxOptions) *DB { return &DB{} }

// Commit commits the transaction.
func (db *DB) Commit() *DB { return db }

// Rollback rolls the transaction back.
func (db *DB) Rollback() *DB { return db }

// Create inserts value.
func (db *DB) Create(value any) *DB { return db }

// Delete deletes value.
func (db *DB) Delete(value any, conds ...any) *DB { return db }

// Where narrows a query.
func (db *DB) Where(query any, args ...any) *DB { return db }

// Find loads rows into dest.
func (db *DB) Find(dest any, conds ...any) *DB { return db }

// WithContext returns the session with ctx.
func (db *DB) WithContext(ctx context.Context) *DB { return db }

// Model names the table.
func (db *DB) Model(value any) *DB { return db }

// UpdateColumn updates one column.
func (db *DB) UpdateColumn(column string, value any) *DB { return db }
