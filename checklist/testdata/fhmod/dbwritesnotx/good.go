package dbwritesnotx

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Move writes twice inside one transaction.
func Move(ctx context.Context, db *sql.DB, from, to string, cents int64) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance - $1 WHERE id = $2", cents, from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance + $1 WHERE id = $2", cents, to); err != nil {
		return err
	}
	return tx.Commit()
}

// Upsert updates or inserts, never both.
func Upsert(ctx context.Context, db *sql.DB, id int64, exists bool, name string) error {
	var err error
	if exists {
		_, err = db.ExecContext(ctx, "UPDATE items SET name = $2 WHERE id = $1", id, name)
	} else {
		_, err = db.ExecContext(ctx, "INSERT INTO items(id, name) VALUES ($1, $2)", id, name)
	}
	return err
}

// Apply runs one write per action.
func Apply(ctx context.Context, pool *pgxpool.Pool, action string, id int64) error {
	var err error
	switch action {
	case "archive":
		_, err = pool.Exec(ctx, "UPDATE docs SET archived = true WHERE id = $1", id)
	case "delete":
		_, err = pool.Exec(ctx, "DELETE FROM docs WHERE id = $1", id)
	default:
		err = fmt.Errorf("unknown action %q", action)
	}
	return err
}

// Touch returns after the update, so the insert runs only otherwise.
func Touch(ctx context.Context, db *sql.DB, id int64, known bool) error {
	if known {
		_, err := db.ExecContext(ctx, "UPDATE seen SET at = now() WHERE id = $1", id)
		return err
	}
	_, err := db.ExecContext(ctx, "INSERT INTO seen(id, at) VALUES ($1, now())", id)
	return err
}

// Migrate runs DDL, which is not a data write.
func Migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS items (id bigint PRIMARY KEY)"); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, "CREATE INDEX IF NOT EXISTS items_id ON items (id)")
	return err
}

// PgxTx writes twice in a pgx transaction owned by pgx.
func PgxTx(ctx context.Context, pool *pgxpool.Pool, id int64) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO orders(id) VALUES ($1)", id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "INSERT INTO outbox(kind) VALUES ('order.created')")
		return err
	})
}

// Dynamic builds its SQL at run time: nothing to classify.
func Dynamic(ctx context.Context, db *sql.DB, tables []string) error {
	for _, t := range tables {
		q := "ANALYZE " + strings.ToLower(t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
