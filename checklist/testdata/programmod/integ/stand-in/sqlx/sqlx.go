// Package sqlx stands in for jmoiron/sqlx.
package sqlx

import "database/sql"

// DB is a database handle.
type DB struct{}

// NamedExec runs a statement with named parameters.
func (db *DB) NamedExec(query string, arg any) (sql.Result, error) { return nil, nil }

// Get reads one row.
func (db *DB) Get(dest any, query string, args ...any) error { return nil }
