// Package contextbackgroundfix checks the suggested fix of
// context-background-in-scope.
package contextbackgroundfix

import (
	"context"
	"database/sql"
	"net/http"
)

// Save passes a fresh context to the database.
func Save(ctx context.Context, db *sql.DB, id string) error {
	_, err := db.ExecContext(context.Background(), "DELETE FROM t WHERE id = $1", id) // want `context.Background\(\) drops ctx`
	return err
}

// Ping answers a request with a fresh context.
func Ping(w http.ResponseWriter, r *http.Request, db *sql.DB) {
	if err := db.PingContext(context.TODO()); err != nil { // want `context.TODO\(\) drops r.Context\(\)`
		http.Error(w, "down", http.StatusServiceUnavailable)
	}
}
