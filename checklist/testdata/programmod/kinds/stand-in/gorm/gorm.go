// Package gorm stands in for gorm.io/gorm: only what the model resolves.
package gorm

// DB is a gorm handle.
type DB struct{}

// Create inserts value.
func (db *DB) Create(value any) *DB { return db }

// Save inserts or updates value.
func (db *DB) Save(value any) *DB { return db }

// Model picks the model.
func (db *DB) Model(value any) *DB { return db }

// Update sets a column.
func (db *DB) Update(column string, value any) *DB { return db }

// Clauses adds clauses.
func (db *DB) Clauses(conds ...any) *DB { return db }

// Expr is a SQL expression.
type Expr_ struct{ SQL string }

// Expr builds an expression.
func Expr(sql string, args ...any) Expr_ { return Expr_{SQL: sql} }
