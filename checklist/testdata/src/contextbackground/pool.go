package contextbackground

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// store opens its pool on first use.
type store struct {
	pool *pgxpool.Pool
	dsn  string
}

// poolFor makes the pool with a fresh context: pgxpool keeps it for the
// pool's background connections, which outlive the request that opens it.
func (s *store) poolFor(ctx context.Context) (*pgxpool.Pool, error) {
	if s.pool != nil {
		return s.pool, nil
	}
	p, err := pgxpool.New(context.Background(), s.dsn)
	if err != nil {
		return nil, err
	}
	s.pool = p
	return p, nil
}

// poolWithin bounds the pool's creation with a timeout on a fresh context.
func (s *store) poolWithin(ctx context.Context) (*pgxpool.Pool, error) {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return pgxpool.New(c, s.dsn)
}

// ping drops the caller's ctx on a call that is not a pool's construction.
func (s *store) ping(ctx context.Context) error {
	return s.pool.Ping(context.Background()) // want `context.Background\(\) drops ctx`
}

// healthy hands the caller's ctx to the pool: the fresh context in ping is
// a slip beside it.
func (s *store) healthy(ctx context.Context) error {
	return s.pool.Ping(ctx)
}
