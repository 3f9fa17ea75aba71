// Package gorm stands in for gorm.io/gorm: only what the checks resolve.
package gorm

// DB is a gorm handle.
type DB struct {
	Error        error
	RowsAffected int64
}

// First reads the first row into dest.
func (db *DB) First(dest any, conds ...any) *DB { return db }

// Where adds a condition.
func (db *DB) Where(query any, args ...any) *DB { return db }

// Delete deletes value.
func (db *DB) Delete(value any, conds ...any) *DB { return db }

// Clauses adds clauses.
func (db *DB) Clauses(conds ...any) *DB { return db }

// Model names the model of the next update.
func (db *DB) Model(value any) *DB { return db }

// Update sets one column.
func (db *DB) Update(column string, value any) *DB { return db }
