// Package txnorollback holds transactions that leak on some path, and
// transactions handled correctly.
package txnorollback

import (
	"context"
	dbsql "database/sql"
	"errors"
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Transfer never rolls back: any failed statement leaves the tx open.
func Transfer(ctx context.Context, db *dbsql.DB, from, to string, cents int64) error {
	tx, err := db.BeginTx(ctx, nil) // want `transaction tx has no Rollback`
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance - $1 WHERE id = $2", cents, from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance + $1 WHERE id = $2", cents, to); err != nil {
		return err
	}
	return tx.Commit()
}

// Archive rolls back on one error path but forgets the second one.
func Archive(ctx context.Context, pool *pgxpool.Pool, id int64) error {
	tx, err := pool.Begin(ctx) // want `transaction tx has no deferred Rollback, and the return on line 42 leaves it open`
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "INSERT INTO archive SELECT * FROM orders WHERE id = $1", id); err != nil {
		_ = tx.Rollback(ctx)
		return err
	}
	tag, err := tx.Exec(ctx, "DELETE FROM orders WHERE id = $1", id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		_ = tx.Rollback(ctx)
		return errors.New("order vanished")
	}
	return tx.Commit(ctx)
}

// Store wraps a pool; begin is a method value.
type Store struct{ db *dbsql.DB }

// Handler begins inside a closure, through a method value, and drops Commit's error.
func (s *Store) Handler() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		begin := s.db.BeginTx
		tx, err := begin(r.Context(), nil) // want `transaction tx has no Rollback`
		if err != nil {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		if _, err := tx.ExecContext(r.Context(), "DELETE FROM carts WHERE user_id = $1", r.FormValue("u")); err != nil {
			http.Error(w, "failed", http.StatusInternalServerError)
			return
		}
		tx.Commit() // want `Commit's error is dropped`
	}
}

// beginTx is a wrapper; the caller owns what it returns.
func (s *Store) beginTx(ctx context.Context) (*dbsql.Tx, error) {
	return s.db.BeginTx(ctx, &dbsql.TxOptions{Isolation: dbsql.LevelSerializable})
}

// Rename goes through the wrapper and defers Commit: that ends the
// transaction on every path, but drops Commit's error.
func (s *Store) Rename(ctx context.Context, id int64, name string) error {
	tx, err := s.beginTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Commit() // want `Commit's error is dropped`
	_, err = tx.ExecContext(ctx, "UPDATE items SET name = $1 WHERE id = $2", name, id)
	return err
}

// Nested falls off the end of a function with a savepoint still open.
func Nested(ctx context.Context, outer pgx.Tx, ids []int64) {
	sp, err := outer.Begin(ctx) // want `transaction sp has no deferred Rollback, and the return on line 101 leaves it open`
	if err != nil {
		return
	}
	for _, id := range ids {
		if _, err := sp.Exec(ctx, "DELETE FROM tags WHERE id = $1", id); err != nil {
			_ = sp.Rollback(ctx)
			return
		}
	}
	if len(ids) > 100 {
		return
	}
	_ = sp.Commit(ctx) // want `Commit's error is dropped`
}

// loadAndMark reads the job and marks it taken: a write hides in the helper.
func loadAndMark(ctx context.Context, tx *dbsql.Tx, id int64) (string, error) {
	var name string
	if err := tx.QueryRowContext(ctx, "SELECT name FROM jobs WHERE id = $1", id).Scan(&name); err != nil {
		return "", err
	}
	_, err := tx.ExecContext(ctx, "UPDATE jobs SET taken = true WHERE id = $1", id)
	return name, err
}

// Take commits a write made by a helper and drops the Commit's error.
func (s *Store) Take(ctx context.Context, id int64) (string, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	name, err := loadAndMark(ctx, tx, id)
	if err != nil {
		return "", err
	}
	tx.Commit() // want `Commit's error is dropped`
	return name, nil
}

// retryOnce runs fn a second time if it fails.
func retryOnce(fn func() error) error {
	if err := fn(); err != nil {
		return fn()
	}
	return nil
}

// Purge begins inside a retry closure, and nobody rolls the transaction back.
func Purge(ctx context.Context, db *dbsql.DB) error {
	var tx *dbsql.Tx
	if err := retryOnce(func() error {
		var err error
		tx, err = db.BeginTx(ctx, nil) // want `transaction tx has no Rollback`
		return err
	}); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM sessions"); err != nil {
		return err
	}
	return tx.Commit()
}

// Warm begins a transaction to "warm the pool" and throws it away: it holds a
// connection until the server's idle timeout.
func Warm(ctx context.Context, db *dbsql.DB) error {
	_, err := db.BeginTx(ctx, nil) // want `transaction begun and thrown away`
	return err
}
