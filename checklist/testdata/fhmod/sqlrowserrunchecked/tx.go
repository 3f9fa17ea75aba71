package sqlrowserrunchecked

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
)

// at most info: the read runs, through a prepared statement, on the
// transaction that the function then writes on and commits; a broken read
// aborts it, and the UPDATE or the Commit fails with the error the caller
// sees.
func archiveStale(ctx context.Context, db *sql.DB, stmt *sql.Stmt) ([]int64, error) {
	conn, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer conn.Rollback()
	rows, err := conn.StmtContext(ctx, stmt).QueryContext(ctx, "stale")
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() { // want `rows.Next\(\) stops on a network or decode error.*info: read on a transaction`
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := logArchived(ctx, conn, ids); err != nil {
		return nil, err
	}
	if err := conn.Commit(); err != nil {
		return nil, err
	}
	return ids, nil
}

func logArchived(ctx context.Context, tx *sql.Tx, ids []int64) error {
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO log (order_id) VALUES ($1)`, id); err != nil {
			return err
		}
	}
	return nil
}

// at most info: a pgx transaction read, then written on.
func moveItems(ctx context.Context, tx pgx.Tx, to int64) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT id FROM items WHERE bin = 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() { // want `rows.Next\(\) stops on a network or decode error.*info: read on a transaction`
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if _, err := tx.Exec(ctx, `UPDATE items SET bin = $1 WHERE bin = 0`, to); err != nil {
		return nil, err
	}
	return ids, nil
}

// openOrders reads on a transaction the caller commits later, and hands
// the list back as complete: posted.
func openOrders(ctx context.Context, tx *sql.Tx) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM orders WHERE state = 'open'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() { // want `rows.Next\(\) stops on a network or decode error`
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// syncOrders reads outside a transaction, then writes: a cut-off read
// deletes what it did not see, and nothing fails. Posted.
func syncOrders(ctx context.Context, db *sql.DB) ([]int64, error) {
	rows, err := db.QueryContext(ctx, `SELECT id FROM orders WHERE state = 'done'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() { // want `rows.Next\(\) stops on a network or decode error`
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM outbox WHERE state = 'done'`); err != nil {
		return nil, err
	}
	return ids, nil
}
