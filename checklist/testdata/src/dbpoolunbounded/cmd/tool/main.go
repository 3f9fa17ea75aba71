// Command tool runs one report and exits: no server, one query at a time.
package main

import (
	"database/sql"
	"os"
)

type store struct{ db *sql.DB }

func newStore(db *sql.DB) *store { return &store{db: db} }

func openDB(dsn string) (*sql.DB, error) {
	return sql.Open("pgx", dsn)
}

func main() {
	db, err := openDB(os.Getenv("DATABASE_URL"))
	if err != nil {
		os.Exit(1)
	}
	_ = newStore(db)
}
