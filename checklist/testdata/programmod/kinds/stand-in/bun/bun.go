// Package bun stands in for github.com/uptrace/bun.
package bun

import "context"

// DB is a bun handle.
type DB struct{}

// InsertQuery builds an INSERT.
type InsertQuery struct{}

// NewInsert starts an INSERT.
func (db *DB) NewInsert() *InsertQuery { return &InsertQuery{} }

// Model sets the model.
func (q *InsertQuery) Model(m any) *InsertQuery { return q }

// On adds an ON clause.
func (q *InsertQuery) On(s string) *InsertQuery { return q }

// Exec runs the query.
func (q *InsertQuery) Exec(ctx context.Context) (any, error) { return nil, nil }
