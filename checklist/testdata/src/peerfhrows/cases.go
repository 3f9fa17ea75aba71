// Package peerfhrows pins sql-rows-not-closed and sql-rows-err-unchecked on
// the kinds of case sqlclosecheck's and rowserrcheck's tests cover.
package peerfhrows

import (
	"context"
	"database/sql"
)

// NeverClosed: sqlclosecheck and prodready both report it.
func NeverClosed(ctx context.Context, db *sql.DB) (string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM t") // want `rows from this query is not closed on every path`
	if err != nil {
		return "", err
	}
	var name string
	if rows.Next() { // want `rows.Next\(\) stops on a network or decode error`
		err = rows.Scan(&name)
	}
	return name, err
}

// Deferred: silent for both.
func Deferred(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM t")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ClosedWithoutDefer on every path: sqlclosecheck asks for defer;
// prodready follows the paths and stays silent.
func ClosedWithoutDefer(ctx context.Context, db *sql.DB) (int, error) {
	rows, err := db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return 0, err
	}
	return n, rows.Close()
}

// DrainedNoClose reads every row with no early exit: database/sql closes
// the rows when Next returns false. sqlclosecheck reports the missing
// Close; prodready does not, since nothing leaks.
func DrainedNoClose(ctx context.Context, db *sql.DB) (int, error) {
	rows, err := db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// EarlyReturn closes at the end but returns from inside the loop: prodready
// reports that path.
func EarlyReturn(ctx context.Context, db *sql.DB) (int64, error) {
	rows, err := db.QueryContext(ctx, "SELECT id FROM t")
	if err != nil {
		return 0, err
	}
	var sum int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, err // want `this return leaves rows from line 77 open`
		}
		sum += id
	}
	err = rows.Err()
	rows.Close()
	return sum, err
}

// Handed: rows passed to a function or returned are the receiver's job for
// both linters.
func Handed(ctx context.Context, db *sql.DB) (*sql.Rows, error) {
	rows, err := db.QueryContext(ctx, "SELECT id FROM t")
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// ClosureClose closes in a deferred closure: silent for both.
func ClosureClose(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "SELECT id FROM t")
	if err != nil {
		return err
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
	}
	return rows.Err()
}

// ErrNotChecked: rowserrcheck and prodready both report the loop.
func ErrNotChecked(ctx context.Context, db *sql.DB) ([]int64, error) {
	rows, err := db.QueryContext(ctx, "SELECT id FROM t")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() { // want `rows.Next\(\) stops on a network or decode error`
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// ErrDropped calls Err and ignores it: prodready reports the dropped result.
func ErrDropped(ctx context.Context, db *sql.DB) int {
	rows, err := db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return 0
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	rows.Err() // want `rows.Err\(\)'s result is dropped`
	return n
}

// QueryRow needs neither Close nor Err.
func QueryRow(ctx context.Context, db *sql.DB) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n)
	return n, err
}
