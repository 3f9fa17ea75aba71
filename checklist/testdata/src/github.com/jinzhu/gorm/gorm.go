// Package gorm stands in for github.com/jinzhu/gorm (GORM v1).
package gorm

// DB is a GORM v1 handle.
type DB struct{ Error error }

// Set stores a setting; v1 reads gorm:query_option.
func (db *DB) Set(name string, value any) *DB { return db }

// Where adds a condition.
func (db *DB) Where(query any, args ...any) *DB { return db }

// First reads the first row into dest.
func (db *DB) First(out any, where ...any) *DB { return db }
