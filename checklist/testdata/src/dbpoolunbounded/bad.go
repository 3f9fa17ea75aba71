package dbpoolunbounded

import (
	"context"
	"database/sql"
	dbsql "database/sql"
	"database/sql/driver"
)

type store struct{ db *sql.DB }

func NewStore(db *sql.DB) *store { return &store{db: db} }

func run(ctx context.Context, dsn string) error {
	db, err := sql.Open("pgx", dsn) // want `no SetMaxOpenConns`
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxIdleConns(5)
	return db.PingContext(ctx)
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

func declared(ctx context.Context, dsn string) error {
	var db, err = sql.Open("mysql", dsn) // want `no SetMaxOpenConns`
	if err != nil {
		return err
	}
	return db.PingContext(ctx)
}
