package sqlrowsnotclosed

import (
	"context"
	"database/sql"
	"errors"
)

// Scanner is the result set an ORM's raw-query API hands back.
type Scanner interface {
	Next() bool
	Scan(dest ...any) error
	Close() error
	Err() error
}

// Session is the ORM's session, seen through the method the service uses.
type Session interface {
	Raw(ctx context.Context, query string, args ...any) (Scanner, error)
}

// errNoAccount says a lookup found nothing.
var errNoAccount = errors.New("no such account")

// Balance reads one row through the ORM's scanner and never closes it: the
// one row read leaves the result set, and its connection, open.
func Balance(ctx context.Context, s Session, id int64) (int64, error) {
	rows, err := s.Raw(ctx, "SELECT balance FROM accounts WHERE id = ?", id) // want `rows from this query is not closed on every path`
	if err != nil {
		return 0, err
	}
	if !rows.Next() {
		return 0, errNoAccount
	}
	var b int64
	if err := rows.Scan(&b); err != nil {
		return 0, err
	}
	return b, nil
}

// AccountOwner reads one row the same way and closes it.
func AccountOwner(ctx context.Context, s Session, id int64) (string, error) {
	rows, err := s.Raw(ctx, "SELECT owner FROM accounts WHERE id = ?", id)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	if !rows.Next() {
		return "", errors.Join(errNoAccount, rows.Err())
	}
	var o string
	err = rows.Scan(&o)
	return o, err
}

// SeenAt runs an UPDATE … RETURNING through QueryRow and never reads the
// row: the connection is never given back.
func SeenAt(ctx context.Context, db *sql.DB, id int64) error {
	db.QueryRowContext(ctx, "UPDATE sessions SET seen = now() WHERE id = $1 RETURNING id", id)             // want `the row this QueryRow returns is thrown away`
	row := db.QueryRowContext(ctx, "UPDATE sessions SET hits = hits + 1 WHERE id = $1 RETURNING hits", id) // want `row from this QueryRow is never scanned`
	_ = row.Err()
	return nil
}

// Hits reads its row: scanning releases the connection.
func Hits(ctx context.Context, db *sql.DB, id int64) (int64, error) {
	var n int64
	err := db.QueryRowContext(ctx, "SELECT hits FROM sessions WHERE id = $1", id).Scan(&n)
	return n, err
}

// rowFor hands the row to its caller, who scans it.
func rowFor(ctx context.Context, db *sql.DB, id int64) *sql.Row {
	return db.QueryRowContext(ctx, "SELECT owner FROM sessions WHERE id = $1", id)
}
