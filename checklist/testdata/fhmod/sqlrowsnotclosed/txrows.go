package sqlrowsnotclosed

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"

	"sqlrowsnotclosed/sqlx"
)

// ResultIDs reads rows of the caller's transaction and returns on a Scan
// error without closing them: database/sql closes a transaction's rows when
// it commits or rolls back, so the connection is held only until then:
// at most info.
func ResultIDs(ctx context.Context, tx *sql.Tx, endpoint int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id FROM results WHERE endpoint = $1", endpoint) // want `rows from this query is not closed on every path .*transaction`
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// KeysIn does the same in a sqlx transaction, closing by hand on all but
// one path; at most info.
func KeysIn(ctx context.Context, tx *sqlx.Tx) ([]Key, error) {
	rows, err := tx.QueryxContext(ctx, "SELECT id, value FROM keys")
	if err != nil {
		return nil, err
	}
	var keys []Key
	for rows.Next() {
		var k Key
		if err := rows.StructScan(&k); err != nil {
			return nil, err // want `this return leaves rows from line 36 open .*transaction`
		}
		keys = append(keys, k)
	}
	_ = rows.Close()
	return keys, nil
}

// TagsIn reads rows of a pgx transaction: pgx does not close them when the
// transaction ends (its connection stays busy and Commit fails), so the
// finding keeps its severity.
func TagsIn(ctx context.Context, tx pgx.Tx) ([]string, error) {
	rows, err := tx.Query(ctx, "SELECT name FROM tags") // want `rows from this query is not closed on every path`
	if err != nil {
		return nil, err
	}
	var tags []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		if t == "" {
			return nil, errors.New("blank row")
		}
		tags = append(tags, t)
	}
	return tags, rows.Err()
}

// MarkSeen runs an UPDATE through the transaction's Query and throws the
// rows away: nothing reads or closes them before the transaction's next
// statement, which finds the connection still busy with them.
func MarkSeen(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.QueryContext(ctx, "UPDATE sessions SET seen = now() WHERE id = $1", id); err != nil { // want `the rows this query returns are thrown away`
		return err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM pending WHERE session = $1", id)
	return err
}

// Tx is the module's own transaction, as a data layer wraps *sql.Tx behind
// an interface.
type Tx interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	Commit() error
	Rollback() error
}

// AdoptInputs reads rows of the caller's wrapped transaction and returns on
// a Scan error without closing them; the transaction's end closes them:
// at most info.
func AdoptInputs(ctx context.Context, tx Tx, build int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, "SELECT input_id FROM build_inputs WHERE build_id = $1", build) // want `rows from this query is not closed on every path .*transaction`
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Querier has no Commit or Rollback: a pool behind an interface, still
// posted.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// InputsOnPool is AdoptInputs on a pool: the Scan error's return keeps the
// connection checked out.
func InputsOnPool(ctx context.Context, q Querier, build int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, "SELECT input_id FROM build_inputs WHERE build_id = $1", build) // want `rows from this query is not closed on every path .*its pooled connection`
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		if id == 0 {
			return nil, errors.New("blank row")
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// insertBuilder stands for a query builder (squirrel) run on a handle.
type insertBuilder struct{ runner any }

// RunWith sets the handle the query runs on.
func (b insertBuilder) RunWith(r any) insertBuilder { b.runner = r; return b }

// Query runs the statement.
func (b insertBuilder) Query() (*sql.Rows, error) { return nil, nil }

// CopyInputs runs a builder's INSERT ... RETURNING on the caller's wrapped
// transaction and returns on a Scan error; the transaction's end closes
// the rows: at most info.
func CopyInputs(tx Tx, b insertBuilder) ([]int64, error) {
	rows, err := b.RunWith(tx).Query() // want `rows from this query is not closed on every path .*transaction`
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// CopyInputsOnPool runs the same builder on a pool: posted.
func CopyInputsOnPool(q Querier, b insertBuilder) ([]int64, error) {
	rows, err := b.RunWith(q).Query() // want `rows from this query is not closed on every path .*its pooled connection`
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		if id == 0 {
			return nil, errors.New("blank row")
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// LastRev queries a statement prepared on its own read-only transaction,
// rolled back on every return: the rows are the transaction's, closed with
// it; at most info.
func LastRev(ctx context.Context, db *sql.DB, uid int64) (string, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, "SELECT rev FROM blocks WHERE uid = ? ORDER BY rev DESC LIMIT 1")
	if err != nil {
		return "", err
	}
	rows, err := stmt.QueryContext(ctx, uid) // want `rows from this query is not closed on every path .*transaction`
	if err != nil {
		return "", err
	}
	var rev string
	if rows.Next() {
		if err := rows.Scan(&rev); err != nil {
			return "", err
		}
	}
	return rev, nil
}

// LastRevPooled prepares on the pool: its rows hold a pooled connection
// until closed; posted.
func LastRevPooled(ctx context.Context, db *sql.DB, uid int64) (string, error) {
	stmt, err := db.PrepareContext(ctx, "SELECT rev FROM blocks WHERE uid = ? ORDER BY rev DESC LIMIT 1")
	if err != nil {
		return "", err
	}
	defer stmt.Close()
	rows, err := stmt.QueryContext(ctx, uid) // want `rows from this query is not closed on every path .*pooled connection`
	if err != nil {
		return "", err
	}
	var rev string
	if rows.Next() {
		if err := rows.Scan(&rev); err != nil {
			return "", err
		}
	}
	return rev, nil
}
