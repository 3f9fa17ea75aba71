package sqlrowserrunchecked

import (
	"context"
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

// Balance takes a Next that is false for "no row": a dropped connection is
// answered as "no such account", an error still: at most info.
func Balance(ctx context.Context, s Session, id int64) (int64, error) {
	rows, err := s.Raw(ctx, "SELECT balance FROM accounts WHERE id = ?", id)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	if !rows.Next() { // want `rows.Next\(\) stops on a network or decode error`
		return 0, errNoAccount
	}
	var b int64
	err = rows.Scan(&b)
	return b, err
}

// Owner checks Err before saying "not found".
func Owner(ctx context.Context, s Session, id int64) (string, error) {
	rows, err := s.Raw(ctx, "SELECT owner FROM accounts WHERE id = ?", id)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return "", err
		}
		return "", errNoAccount
	}
	var o string
	err = rows.Scan(&o)
	return o, err
}
