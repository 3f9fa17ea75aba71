// Package pgxpool is a stand-in for github.com/jackc/pgx/v5/pgxpool with the
// API the analyzer tests use.
package pgxpool

import "context"

// Pool is a connection pool.
type Pool struct{}

// Config configures a pool.
type Config struct{}

// New makes a pool from a connection string.
func New(ctx context.Context, connString string) (*Pool, error) { return &Pool{}, nil }

// NewWithConfig makes a pool from a config.
func NewWithConfig(ctx context.Context, config *Config) (*Pool, error) { return &Pool{}, nil }

// Ping checks a connection.
func (p *Pool) Ping(ctx context.Context) error { return nil }
