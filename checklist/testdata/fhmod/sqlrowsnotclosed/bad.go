// Package sqlrowsnotclosed holds rows left open on some path, and rows
// handled correctly.
package sqlrowsnotclosed

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// TeamIDs returns from inside the loop with no Close at all, but only when
// a Scan fails: the loop otherwise reads them to the end, which closes
// them, so it is at most info.
func TeamIDs(ctx context.Context, db *sql.DB, team string) ([]int64, error) {
	rows, err := db.QueryContext(ctx, "SELECT id FROM users WHERE team = $1", team) // want `rows from this query is not closed on every path .*only a failed Scan returns with them open`
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// TeamNames returns from inside the loop when a lookup of each row fails,
// which happens in production: the rows stay open.
func TeamNames(ctx context.Context, db *sql.DB, team string, name func(context.Context, int64) (string, error)) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT id FROM users WHERE team = $1", team) // want `rows from this query is not closed on every path \(no Close, and not read to the end\): its pooled connection stays checked out; add defer rows.Close\(\) after the error check$`
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		n, err := name(ctx, id)
		if err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// Owner reads a single row from pgx and never closes the rest.
func Owner(ctx context.Context, pool *pgxpool.Pool, repo string) (string, error) {
	rows, err := pool.Query(ctx, "SELECT login FROM owners WHERE repo = $1", repo) // want `rows from this query is not closed on every path`
	if err != nil {
		return "", err
	}
	if rows.Next() {
		var login string
		err := rows.Scan(&login)
		return login, err
	}
	return "", errors.New("no owner")
}

// Touch uses Query for an UPDATE and throws the rows away.
func Touch(ctx context.Context, db *sql.DB, id int64) error {
	_, err := db.QueryContext(ctx, "UPDATE sessions SET seen_at = now() WHERE id = $1", id) // want `the rows this query returns are thrown away`
	return err
}

// Repo wraps a pool.
type Repo struct{ db *sql.DB }

func (r *Repo) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return r.db.QueryContext(ctx, q, args...)
}

// Visit closes by hand at the end but returns early from a closure's loop.
func (r *Repo) Visit(ctx context.Context, visit func(int64) bool) error {
	walk := func() error {
		rows, err := r.query(ctx, "SELECT id FROM events ORDER BY id")
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			if !visit(id) {
				return nil // want `this return leaves rows from line 85 open`
			}
		}
		rows.Close()
		return rows.Err()
	}
	return walk()
}

// Count calls through a method value and never closes.
func Count(ctx context.Context, db *sql.DB) (int, error) {
	query := db.QueryContext
	rows, err := query(ctx, "SELECT count(*) FROM jobs") // want `rows from this query is not closed on every path`
	if err != nil {
		return 0, err
	}
	var n int
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, err
		}
	}
	return n, rows.Err()
}

// Fire runs a statement through pgx's Query and discards the rows.
func Fire(ctx context.Context, pool *pgxpool.Pool) {
	pool.Query(ctx, "NOTIFY jobs") // want `the rows this query returns are thrown away`
}

type span struct{}

func (span) Finish(error) {}

// SampledTables finishes a trace span between the query and its error
// check; the loop reads the rows to the end, and only a failed Scan
// returns with them open: at most info.
func SampledTables(ctx context.Context, db *sql.DB, sp span) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM tables") // want `rows from this query is not closed on every path .*only a failed Scan returns with them open`
	sp.Finish(err)
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, nil
}

// CountRetried queries inside a retry closure into a variable of its own
// and never closes the rows.
func CountRetried(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	var rows pgx.Rows
	err := retryCount(func() error {
		var qerr error
		rows, qerr = pool.Query(ctx, "SELECT id FROM users") // want `rows from this query is not closed on every path`
		return qerr
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		n++
		if n > 10 {
			return n, nil
		}
	}
	return n, nil
}

func retryCount(f func() error) error { return f() }
