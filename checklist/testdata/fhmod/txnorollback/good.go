package txnorollback

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Debit is the textbook shape: deferred Rollback, checked Commit.
func Debit(ctx context.Context, db *sql.DB, id string, cents int64) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	res, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1", cents, id)
	if err != nil {
		return fmt.Errorf("debit: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("debit %s: insufficient funds", id)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Enqueue uses pgx with a deferred closure that rolls back.
func Enqueue(ctx context.Context, pool *pgxpool.Pool, kind string, payload []byte) (id int64, err error) {
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if err = tx.QueryRow(ctx, "INSERT INTO jobs(kind, payload) VALUES ($1, $2) RETURNING id", kind, payload).Scan(&id); err != nil {
		return 0, err
	}
	err = tx.Commit(ctx)
	return id, err
}

// Explicit rolls back on every error path by hand.
func Explicit(ctx context.Context, db *sql.DB, a, b string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM links WHERE a = $1", a); err != nil {
		_ = tx.Rollback()
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO links(a, b) VALUES ($1, $2)", a, b); err != nil {
		if rbErr := tx.Rollback(); rbErr != nil {
			return fmt.Errorf("%w (rollback: %v)", err, rbErr)
		}
		return err
	}
	return tx.Commit()
}

// WithTx owns the transaction for a callback, finishing it in one helper.
func WithTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	return finishTx(tx, fn(tx))
}

func finishTx(tx *sql.Tx, err error) error {
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// UnitOfWork keeps its transaction in a field; Close rolls it back.
type UnitOfWork struct{ tx *sql.Tx }

// Start hands the transaction to the unit of work.
func Start(ctx context.Context, db *sql.DB) (*UnitOfWork, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &UnitOfWork{tx: tx}, nil
}

// Open returns the transaction to its caller.
func Open(ctx context.Context, pool *pgxpool.Pool) (pgx.Tx, error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return tx, nil
}

// Callback lets pgx own the transaction.
func Callback(ctx context.Context, pool *pgxpool.Pool, id int64) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "UPDATE jobs SET state = 'done' WHERE id = $1", id)
		return err
	})
}

// Deferred helper rolls back unless committed.
func Deferred(ctx context.Context, db *sql.DB) (err error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer rollbackUnlessCommitted(tx, &err)
	var n int
	if err = tx.QueryRowContext(ctx, "SELECT count(*) FROM jobs").Scan(&n); err != nil {
		return err
	}
	return tx.Commit()
}

func rollbackUnlessCommitted(tx *sql.Tx, err *error) {
	if *err != nil {
		_ = tx.Rollback()
	}
}

// Fatal exits without returning on the failing path.
func Fatal(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "SELECT 1"); err != nil {
		_ = tx.Rollback()
		panic(err)
	}
	return tx.Commit()
}

// Straight reaches Commit on every path: a failed statement makes Commit
// fail and end the transaction, so nothing is left open.
func Straight(ctx context.Context, db *sql.DB, id int64) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE jobs SET seen = true WHERE id = $1", id)
	if cerr := tx.Commit(); cerr != nil {
		return cerr
	}
	return err
}

// pageRow reads one row of a page inside the caller's snapshot.
func pageRow(ctx context.Context, tx *sql.Tx, id int64) (string, error) {
	var title string
	err := tx.QueryRowContext(ctx, "SELECT title FROM entries WHERE id = $1", id).Scan(&title)
	return title, err
}

// Neighbours reads two rows in one snapshot. The transaction only reads, so
// a failed Commit loses nothing: the rows were read already.
func Neighbours(ctx context.Context, db *sql.DB, prev, next int64) (string, string, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return "", "", err
	}
	p, err := pageRow(ctx, tx, prev)
	if err != nil {
		tx.Rollback()
		return "", "", err
	}
	n, err := pageRow(ctx, tx, next)
	if err != nil {
		tx.Rollback()
		return "", "", err
	}
	tx.Commit()
	return p, n, nil
}

// retryBusy runs fn again while the database reports it is busy.
func retryBusy(fn func() error) error {
	var err error
	for range 3 {
		if err = fn(); err == nil {
			return nil
		}
	}
	return err
}

// WriteTuples begins inside the retry closure; the function that owns the
// variable defers the Rollback.
func WriteTuples(ctx context.Context, db *sql.DB, id int64) error {
	var txn *sql.Tx
	err := retryBusy(func() error {
		var err error
		txn, err = db.BeginTx(ctx, nil)
		return err
	})
	if err != nil {
		return err
	}
	defer func() { _ = txn.Rollback() }()
	if _, err := txn.ExecContext(ctx, "DELETE FROM tuples WHERE id = $1", id); err != nil {
		return err
	}
	return txn.Commit()
}

// WriteBatches wraps each batch in a savepoint so that a bad batch can be
// dropped; the outer transaction's deferred Rollback ends every savepoint on
// the error paths.
func WriteBatches(ctx context.Context, pool *pgxpool.Pool, batches [][]int64) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	for _, batch := range batches {
		sp, err := tx.Begin(ctx)
		if err != nil {
			return err
		}
		if _, err := sp.Exec(ctx, "INSERT INTO points(v) SELECT unnest($1::bigint[])", batch); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// Touch drops the Begin error, not the transaction: it keeps the tx and
// rolls it back (a blank on the error is not a thrown-away Begin).
func Touch(ctx context.Context, db *sql.DB, id int64) error {
	tx, _ := db.BeginTx(ctx, nil)
	if tx == nil {
		return fmt.Errorf("touch %d: no transaction", id)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "UPDATE items SET seen = now() WHERE id = $1", id); err != nil {
		return err
	}
	return tx.Commit()
}
