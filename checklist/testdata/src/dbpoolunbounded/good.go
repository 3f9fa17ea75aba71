package dbpoolunbounded

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// OpenPool returns a configured pool.
func OpenPool(ctx context.Context, dsn string) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	db.SetConnMaxLifetime(30 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("ping database: %w", err)
	}
	return db, nil
}

// OpenRaw hands the pool to a caller who configures it.
func OpenRaw(dsn string) (*sql.DB, error) {
	return sql.Open("pgx", dsn)
}

// Holder keeps its pool in a field configured by Configure.
type Holder struct{ db *sql.DB }

// Connect stores the pool in the holder.
func (h *Holder) Connect(dsn string) error {
	var err error
	h.db, err = sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	h.db.SetMaxOpenConns(10)
	return nil
}

// Reader opens a second pool and configures it in a helper.
func Reader(dsn string) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	configurePool(db)
	return db, nil
}

func configurePool(db *sql.DB) { db.SetMaxOpenConns(5) }

// SQLite runs in the process: there is no server connection limit to exhaust.
func countLocal(ctx context.Context, path string) (int, error) {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n)
	return n, err
}

// waitForDB opens a pool only to ping the server once, as a start-up
// script does: calls never overlap, so it never holds a second connection.
func waitForDB(ctx context.Context, dsn string) error {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.PingContext(ctx)
}

// initDatabase opens a connection inside a retry closure, creates the
// database and closes it: setting the variable from the closure shares
// nothing.
func initDatabase(dsn string, retry func(func() error) error) error {
	var db *sql.DB
	err := retry(func() error {
		var err error
		db, err = sql.Open("pgx", dsn)
		return err
	})
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec("CREATE DATABASE IF NOT EXISTS app")
	return err
}

// createSchema opens a connection in one retried operation and creates the
// database in another, then closes it: the operations run one attempt
// after another, never at once.
func createSchema(dsn string, retry func(func() error) error) error {
	var db *sql.DB
	var err error
	var operation = func() error {
		db, err = sql.Open("pgx", dsn)
		return err
	}
	if err := retry(operation); err != nil {
		return err
	}
	defer db.Close()
	operation = func() error {
		_, err = db.Exec("CREATE DATABASE IF NOT EXISTS app")
		return err
	}
	return retry(operation)
}
