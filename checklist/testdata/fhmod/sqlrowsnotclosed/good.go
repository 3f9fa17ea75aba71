package sqlrowsnotclosed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// User is a row.
type User struct {
	ID   int64
	Name string
}

// Users defers Close right after the error check.
func Users(ctx context.Context, db *sql.DB) ([]User, error) {
	rows, err := db.QueryContext(ctx, "SELECT id, name FROM users")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Name); err != nil {
			return nil, fmt.Errorf("scan user: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Collect hands the rows to pgx, which closes them.
func Collect(ctx context.Context, pool *pgxpool.Pool) ([]User, error) {
	rows, err := pool.Query(ctx, "SELECT id, name FROM users")
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[User])
}

// Drain reads every row with no early exit: Next returning false closes them.
func Drain(ctx context.Context, db *sql.DB) (map[string]int, error) {
	rows, err := db.QueryContext(ctx, "SELECT kind, count(*) FROM jobs GROUP BY kind")
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for rows.Next() {
		var kind string
		var n int
		if rows.Scan(&kind, &n) == nil {
			counts[kind] = n
		}
	}
	return counts, rows.Err()
}

// Stream returns the rows to its caller, who closes them.
func Stream(ctx context.Context, db *sql.DB, since int64) (*sql.Rows, error) {
	rows, err := db.QueryContext(ctx, "SELECT id FROM events WHERE id > $1", since)
	if err != nil {
		return nil, fmt.Errorf("stream events: %w", err)
	}
	return rows, nil
}

// First closes by hand on every path.
func First(ctx context.Context, db *sql.DB) (User, error) {
	rows, err := db.QueryContext(ctx, "SELECT id, name FROM users ORDER BY id LIMIT 1")
	if err != nil {
		return User{}, err
	}
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return User{}, err
		}
		return User{}, errors.New("no users")
	}
	var u User
	err = rows.Scan(&u.ID, &u.Name)
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return u, err
}

// Exec uses Exec, not Query, for a write.
func Exec(ctx context.Context, db *sql.DB, id int64) error {
	_, err := db.ExecContext(ctx, "DELETE FROM sessions WHERE id = $1", id)
	return err
}

// OneRow uses QueryRow, which needs no Close.
func OneRow(ctx context.Context, pool *pgxpool.Pool, id int64) (string, error) {
	var name string
	err := pool.QueryRow(ctx, "SELECT name FROM users WHERE id = $1", id).Scan(&name)
	return name, err
}

// logOnError runs a close and logs its error.
func logOnError(ctx context.Context, f func() error) {
	if err := f(); err != nil {
		_ = ctx
	}
}

// Changes closes the rows through a deferred helper handed rows.Close, and
// closes them early too: every return is covered by the defer.
func Changes(ctx context.Context, db *sql.DB, since int64) ([]int64, error) {
	rows, err := db.QueryContext(ctx, "SELECT id FROM changes WHERE id > $1", since)
	if err != nil {
		return nil, err
	}
	defer logOnError(ctx, rows.Close)
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	return ids, rows.Err()
}

// retryQuery runs f again while it fails.
func retryQuery(ctx context.Context, f func() error) error {
	var err error
	for range 3 {
		if err = f(); err == nil {
			return nil
		}
	}
	return err
}

// UsersRetried queries inside a retry closure into a variable of its own,
// and closes the rows there once the retries are done.
func UsersRetried(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	var rows pgx.Rows
	err := retryQuery(ctx, func() error {
		var qerr error
		rows, qerr = pool.Query(ctx, "SELECT id FROM users")
		return qerr
	})
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}
