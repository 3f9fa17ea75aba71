package dbwritesnotx

import (
	"context"
	"database/sql"
)

// RenameOnConn: a manual BEGIN on a dedicated connection is a transaction: the writes
// after it commit or roll back together.
func RenameOnConn(ctx context.Context, db *sql.DB, from, to string) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "UPDATE users SET name = $1 WHERE name = $2", to, from); err != nil {
		_, _ = conn.ExecContext(ctx, "ROLLBACK")
		return err
	}
	if _, err := conn.ExecContext(ctx, "UPDATE audit SET subject = $1 WHERE subject = $2", to, from); err != nil {
		_, _ = conn.ExecContext(ctx, "ROLLBACK")
		return err
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}

// The BEGIN is on another connection than the writes: still two commits.
func RenameOnPool(ctx context.Context, db *sql.DB, conn *sql.Conn, from, to string) error {
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, "UPDATE users SET name = $1 WHERE name = $2", to, from); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, "UPDATE audit SET subject = $1 WHERE subject = $2", to, from) // want `second database write on the pool db outside a transaction`
	return err
}

// seed fills an empty database at start-up; only init calls it.
func seed(db *sql.DB) {
	_, _ = db.Exec("INSERT INTO plans(name) VALUES ('free')")
	_, _ = db.Exec("INSERT INTO plans(name) VALUES ('team')")
}

var startupDB *sql.DB

func init() {
	if startupDB != nil {
		seed(startupDB)
	}
}
