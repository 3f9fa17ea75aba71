package txnorollback

import (
	"context"
	"database/sql"
)

// RowSink writes rows inside a transaction it is handed, and owns it from
// there: every implementation in the package rolls it back on failure.
type RowSink interface {
	WriteRows(ctx context.Context, tx *sql.Tx, rows []string) error
}

type copySink struct{}

func (copySink) WriteRows(ctx context.Context, tx *sql.Tx, rows []string) error {
	defer tx.Rollback()
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, "INSERT INTO t(v) VALUES ($1)", r); err != nil {
			return err
		}
	}
	return tx.Commit()
}

type batchSink struct{ size int }

func (s *batchSink) WriteRows(ctx context.Context, tx *sql.Tx, rows []string) error {
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, "INSERT INTO t(v) SELECT unnest($1::text[])", rows); err != nil {
		return err
	}
	return tx.Commit()
}

// Load hands the transaction to the sink, which rolls it back.
func Load(ctx context.Context, db *sql.DB, sink RowSink, rows []string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	return sink.WriteRows(ctx, tx, rows)
}

// Logger writes rows and leaves the transaction to its caller.
type Logger interface {
	Log(ctx context.Context, tx *sql.Tx, line string) error
}

type tableLogger struct{}

func (tableLogger) Log(ctx context.Context, tx *sql.Tx, line string) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO log(line) VALUES ($1)", line)
	return err
}

// Record hands the transaction to a logger that does not end it, and
// commits: a failed Log returns with the transaction open.
func Record(ctx context.Context, db *sql.DB, l Logger, line string) error {
	tx, err := db.BeginTx(ctx, nil) // want `transaction tx has no Rollback`
	if err != nil {
		return err
	}
	if err := l.Log(ctx, tx, line); err != nil {
		return err
	}
	return tx.Commit()
}
