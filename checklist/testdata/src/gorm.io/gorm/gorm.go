// Package gorm stands in for gorm.io/gorm (GORM v2): only what the checks resolve.
package gorm

// DB is a GORM v2 handle.
type DB struct{ Error error }

// Set stores a setting for callbacks and plugins.
func (db *DB) Set(key string, value any) *DB { return db }

// Where adds a condition.
func (db *DB) Where(query any, args ...any) *DB { return db }

// First reads the first row into dest.
func (db *DB) First(dest any, conds ...any) *DB { return db }

// Clauses adds clauses.
func (db *DB) Clauses(conds ...any) *DB { return db }
