// Command cli creates the first administrator from the command line.
package main

import (
	"context"
	"database/sql"
	"os"
)

// main runs once, at an operator's hand: at most info.
func main() {
	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		os.Exit(1)
	}
	ctx := context.Background()
	n, err := countUsers(ctx, db)
	if err != nil {
		os.Exit(1)
	}
	if n == 0 {
		if err := createAdmin(ctx, db, "admin"); err != nil { // want "`createAdmin` creates after the check"
			os.Exit(1)
		}
	}
}

func countUsers(ctx context.Context, db *sql.DB) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n)
	return n, err
}

func createAdmin(ctx context.Context, db *sql.DB, name string) error {
	_, err := db.ExecContext(ctx, "INSERT INTO users (name, role) VALUES ($1, 'admin')", name)
	return err
}
