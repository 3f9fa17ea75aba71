package dbpoolunbounded

import (
	"context"
	"database/sql"
	dbsql "database/sql"
	"database/sql/driver"
)

type store struct{ db *sql.DB }

func NewStore(db *sql.DB) *store { return &store{db: db} }

// Handlers share the pool: every concurrent request may open a connection.
func serve(ctx context.Context, dsn string, handle func(func(context.Context) error)) error {
	db, err := sql.Open("pgx", dsn) // want `no SetMaxOpenConns`
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxIdleConns(5)
	handle(func(ctx context.Context) error {
		_, err := db.ExecContext(ctx, "UPDATE hits SET n = n + 1")
		return err
	})
	return nil
}

func withStore(dsn string) (*store, error) {
	conn, err := dbsql.Open("postgres", dsn) // want `no SetMaxOpenConns`
	if err != nil {
		return nil, err
	}
	return NewStore(conn), nil
}

func viaConnector(c driver.Connector) *store {
	db := sql.OpenDB(c) // want `no SetMaxOpenConns`
	s := NewStore(db)
	return s
}

// Workers share the pool from goroutines.
func declared(ctx context.Context, dsn string, jobs <-chan int64) error {
	var db, err = sql.Open("mysql", dsn) // want `no SetMaxOpenConns`
	if err != nil {
		return err
	}
	for i := 0; i < 8; i++ {
		go func() {
			for id := range jobs {
				_, _ = db.ExecContext(ctx, "UPDATE jobs SET done = true WHERE id = ?", id)
			}
		}()
	}
	return nil
}
