// Package fhbroken does not type-check: an import that does not exist, an
// undefined name and a type mismatch. The fails-halfway checks must not
// panic on it, and the ones that can work from syntax still report.
package fhbroken

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

var _ int = "not an int"

// Store uses a pool type that did not resolve.
type Store struct {
	pool *pgxpool.Pool
	db   *sql.DB
}

// Missing loses its tx: types are partly gone.
func (s *Store) Missing(ctx context.Context) error {
	tx, err := s.pool.BeginTx(ctx, undefinedOptions) // want `transaction tx has no Rollback`
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "DELETE FROM x"); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// Rows reads pgx rows without types.
func (s *Store) Rows(ctx context.Context) ([]int, error) {
	rows, err := s.pool.Query(ctx, "SELECT 1") // want `rows from this query is not closed on every path`
	if err != nil {
		return nil, err
	}
	var out []int
	for rows.Next() { // want `rows.Next\(\) stops on a network or decode error`
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// Fetch builds a request without ctx next to a type error.
func Fetch(ctx context.Context, u string) error {
	var n int = "x"
	_ = n
	req, err := http.NewRequest("GET", u, nil) // want `http.NewRequest sends the request without ctx`
	if err != nil {
		return err
	}
	_ = req
	return s.db.PingContext(context.Background()) // want `context.Background\(\) drops ctx`
}

// Save defers Close on a created file.
func Save(p string, b []byte) error {
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) drops the error of a file opened for writing`
	_, err = f.Write(b)
	os.Rename(p, p+".bak") // want `the error of this rename is discarded`
	return undefinedErr
}

// Retry retries a dial with no pause.
func Retry(addr string) {
	for attempt := 0; attempt < 3; attempt++ { // want `this loop retries a network dial with no pause`
		if _, err := net.Dial("tcp", addr); err == nil {
			return
		}
	}
	time.Sleep(undefinedDelay)
}

func Go() {
	go func() {
		if err := undefinedServer.ListenAndServe(); err != nil { // want `this goroutine returns on err from undefinedServer.ListenAndServe without reporting it`
			return
		}
	}()
}
