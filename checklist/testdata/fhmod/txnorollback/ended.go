package txnorollback

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
)

// Trx is an application's transaction type: the Must methods panic on error.
type Trx struct{ tx *sql.Tx }

// BeginTrx begins a Trx.
func BeginTrx(ctx context.Context, db *sql.DB) (*Trx, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &Trx{tx: tx}, nil
}

// Commit commits.
func (t *Trx) Commit() error { return t.tx.Commit() }

// Rollback rolls back.
func (t *Trx) Rollback() error { return t.tx.Rollback() }

// MustCommit commits or panics.
func (t *Trx) MustCommit() {
	if err := t.tx.Commit(); err != nil {
		panic(err)
	}
}

// MustRollback rolls back or panics.
func (t *Trx) MustRollback() {
	if err := t.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		panic(err)
	}
}

// Finish commits when *err is nil and rolls back otherwise.
func (t *Trx) Finish(err *error) {
	if *err != nil {
		_ = t.tx.Rollback()
		return
	}
	*err = t.tx.Commit()
}

// Get reads one value.
func (t *Trx) Get(ctx context.Context, dest any, query string, args ...any) error {
	return t.tx.QueryRowContext(ctx, query, args...).Scan(dest)
}

// Exec runs a statement.
func (t *Trx) Exec(ctx context.Context, query string, args ...any) error {
	_, err := t.tx.ExecContext(ctx, query, args...)
	return err
}

// Certificate reads in a transaction a deferred MustCommit ends on every
// path.
func Certificate(ctx context.Context, db *sql.DB, key string) ([]byte, error) {
	trx, err := BeginTrx(ctx, db)
	if err != nil {
		return nil, err
	}
	defer trx.MustCommit()
	var data []byte
	if err := trx.Get(ctx, &data, "SELECT data FROM certs WHERE key = $1", key); err != nil {
		return nil, err
	}
	return data, nil
}

// PutBlob ends its transaction in a deferred Finish that sees the error.
func PutBlob(ctx context.Context, db *sql.DB, key string, data []byte) (err error) {
	trx, err := BeginTrx(ctx, db)
	if err != nil {
		return err
	}
	defer trx.Finish(&err)
	if err = trx.Exec(ctx, "DELETE FROM blobs WHERE key = $1", key); err != nil {
		return err
	}
	return trx.Exec(ctx, "INSERT INTO blobs(key, data) VALUES ($1, $2)", key, data)
}

// DeleteBlob ends its transaction in a deferred closure.
func DeleteBlob(ctx context.Context, db *sql.DB, key string) (err error) {
	trx, err := BeginTrx(ctx, db)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			trx.MustRollback()
			return
		}
		trx.MustCommit()
	}()
	return trx.Exec(ctx, "DELETE FROM blobs WHERE key = $1", key)
}

type txKey struct{}

// BeginTX is a storage provider's transaction API: the transaction goes back
// to the caller inside the context, and the caller commits or rolls it back
// through the provider's Commit and Rollback.
func BeginTX(ctx context.Context, db *sql.DB) (context.Context, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return context.WithValue(ctx, txKey{}, tx), nil
}

// Transactional is middleware: it begins the request's transaction, hands it
// to the handler through the request context, and ends it after.
func Transactional(db *sql.DB, next func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		trx, err := BeginTrx(r.Context(), db)
		if err != nil {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		defer func() {
			if p := recover(); p != nil {
				trx.MustRollback()
				panic(p)
			}
		}()
		if err := next(w, r.WithContext(context.WithValue(r.Context(), txKey{}, trx))); err != nil {
			trx.MustRollback()
			http.Error(w, "failed", http.StatusInternalServerError)
			return
		}
		trx.MustCommit()
	}
}

// Tag defers only the prepared statement's Close: nothing ends the
// transaction when the statement fails.
func Tag(ctx context.Context, db *sql.DB, ids []int64, tag string) error {
	tx, err := db.BeginTx(ctx, nil) // want `transaction tx has no Rollback`
	if err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO tags(id, tag) VALUES ($1, $2)")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, id := range ids {
		if _, err := stmt.ExecContext(ctx, id, tag); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Retag hands the transaction to a helper whose result is only an error:
// the helper runs statements in it and ends nothing.
func Retag(ctx context.Context, db *sql.DB, id int64, tag string) error {
	tx, err := db.BeginTx(ctx, nil) // want `transaction tx has no Rollback`
	if err != nil {
		return err
	}
	if err := retag(ctx, tx, id, tag); err != nil {
		return err
	}
	return tx.Commit()
}

func retag(ctx context.Context, tx *sql.Tx, id int64, tag string) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM tags WHERE id = $1", id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO tags(id, tag) VALUES ($1, $2)", id, tag)
	return err
}

// wrapTrx wraps a transaction.
func wrapTrx(tx *sql.Tx) *Trx { return &Trx{tx: tx} }

// OpenTrx returns the transaction to its caller inside the wrapper a
// helper builds: the caller ends it.
func OpenTrx(ctx context.Context, db *sql.DB) (*Trx, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return wrapTrx(tx), nil
}

// deferRollback rolls back through the function it is given, logging a
// failure other than "already committed".
func deferRollback(rollback func() error) {
	if err := rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		_ = err
	}
}

// Untag defers a helper that is handed the transaction's Rollback method
// value: the transaction ends on every path.
func Untag(ctx context.Context, db *sql.DB, id int64) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer deferRollback(tx.Rollback)
	if _, err := tx.ExecContext(ctx, "DELETE FROM tags WHERE id = $1", id); err != nil {
		return err
	}
	return tx.Commit()
}
