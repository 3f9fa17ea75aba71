// Command api serves requests with the pool it opens at start-up.
package main

import (
	"database/sql"
	"net/http"
	"os"
	"time"
)

type store struct{ db *sql.DB }

func newStore(db *sql.DB) *store { return &store{db: db} }

func (s *store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = s.db.PingContext(r.Context())
}

// openDB returns the pool; main hands it to the store the server uses.
func openDB(dsn string) (*sql.DB, error) {
	return sql.Open("pgx", dsn) // want `no SetMaxOpenConns, and the process serves requests with it`
}

// createDatabase opens a connection of its own, retried until the server
// answers, to create the database, and closes it: no request uses it.
func createDatabase(dsn string) error {
	var db *sql.DB
	var err error
	for range 3 {
		if err = retry(func() error {
			db, err = sql.Open("pgx", dsn)
			return err
		}); err == nil {
			break
		}
	}
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec("CREATE DATABASE IF NOT EXISTS app")
	return err
}

func retry(f func() error) error { return f() }

func main() {
	if err := createDatabase(os.Getenv("ADMIN_URL")); err != nil {
		os.Exit(1)
	}
	db, err := openDB(os.Getenv("DATABASE_URL"))
	if err != nil {
		os.Exit(1)
	}
	srv := &http.Server{Addr: ":8080", Handler: newStore(db), ReadHeaderTimeout: 5 * time.Second}
	_ = srv.ListenAndServe()
}
