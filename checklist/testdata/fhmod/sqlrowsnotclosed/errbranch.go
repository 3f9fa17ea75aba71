package sqlrowsnotclosed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"sqlrowsnotclosed/sqlx"
)

// Key is a stored encryption key.
type Key struct {
	ID    int64
	Value []byte
}

// Provider keeps its pool in a field, as storage providers do.
type Provider struct {
	db   *sqlx.DB
	pool *pgxpool.Pool
}

// Keys queries in the if's init statement: the return in the query's own
// error branch has no rows to close (they are nil there), and every other
// path closes them by hand.
func (p *Provider) Keys(ctx context.Context) (keys []Key, err error) {
	var rows *sqlx.Rows
	if rows, err = p.db.QueryxContext(ctx, "SELECT id, value FROM keys"); err != nil {
		return nil, fmt.Errorf("query keys: %w", err)
	}
	for rows.Next() {
		var k Key
		if err = rows.StructScan(&k); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("scan key: %w", err)
		}
		keys = append(keys, k)
	}
	_ = rows.Close()
	return keys, nil
}

// KeyIDs does the same through pgx.
func (p *Provider) KeyIDs(ctx context.Context) (ids []int64, err error) {
	rowsx, err := p.pool.Query(ctx, "SELECT id FROM keys")
	if err != nil {
		return nil, err
	}
	for rowsx.Next() {
		var id int64
		if err = rowsx.Scan(&id); err != nil {
			rowsx.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rowsx.Close()
	return ids, rowsx.Err()
}

// Rotate queries in the if's init too, but its scan-error return (which
// reuses the same err variable) leaves the rows open; only a failed Scan
// does, so it is at most info.
func (p *Provider) Rotate(ctx context.Context) (n int, err error) {
	var rows *sqlx.Rows
	if rows, err = p.db.QueryxContext(ctx, "SELECT id, value FROM keys"); err != nil {
		return 0, fmt.Errorf("query keys: %w", err)
	}
	for rows.Next() {
		var k Key
		if err = rows.StructScan(&k); err != nil {
			return n, fmt.Errorf("scan key: %w", err) // want `this return leaves rows from line 69 open.*only a failed Scan`
		}
		n++
	}
	_ = rows.Close()
	return n, nil
}

// Expired checks the error with a clause that also holds when the query
// succeeded: that branch may hold open rows, so it still counts.
func (p *Provider) Expired(ctx context.Context, limit int) (ids []int64, err error) {
	var rows *sqlx.Rows
	if rows, err = p.db.QueryxContext(ctx, "SELECT id FROM keys WHERE expired"); err != nil || limit == 0 {
		return nil, err // want `this return leaves rows from line 87 open`
	}
	for rows.Next() {
		var id int64
		if err = rows.Scan(&id); err != nil {
			_ = rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	_ = rows.Close()
	return ids, nil
}

// archive tests the query's error twice, after a deferred log of the
// outcome: first for no rows, then for any error. Neither branch holds
// rows, and every other path closes them by hand.
func (p *Provider) archive(ctx context.Context) (err error) {
	rows, err := p.db.QueryxContext(ctx, "SELECT id, value FROM keys WHERE archived = false")
	defer func() {
		if err != nil {
			fmt.Println("archive:", err)
		}
	}()
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("query keys to archive: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var k Key
		if err := rows.Scan(&k.ID, &k.Value); err != nil {
			continue
		}
		ids = append(ids, k.ID)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := rows.Close(); err != nil {
		return err
	}
	_ = ids
	return nil
}

// archiveLeaky is archive with a return after the checks that leaves the
// rows open: still reported.
func (p *Provider) archiveLeaky(ctx context.Context, limit int) error {
	rows, err := p.db.QueryxContext(ctx, "SELECT id, value FROM keys WHERE archived = false")
	defer fmt.Println("archive done")
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if limit == 0 {
		return nil // want `this return leaves rows from line \d+ open`
	}
	for rows.Next() {
	}
	return rows.Close()
}

// Names runs one of two queries on the branches of an if; the error check
// after the if tests whichever ran, and holds no rows. Every other path
// closes them by hand.
func Names(ctx context.Context, db *sql.DB, kind string) ([]string, error) {
	var rows *sql.Rows
	var err error
	if kind == "" {
		rows, err = db.QueryContext(ctx, "SELECT name FROM ops")
	} else {
		rows, err = db.QueryContext(ctx, "SELECT name FROM ops WHERE kind = $1", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("query names: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			_ = rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	err = rows.Err()
	_ = rows.Close()
	return names, err
}

// NamesEarly returns after the error check with the rows of either query
// open.
func NamesEarly(ctx context.Context, db *sql.DB, kind string, skip bool) ([]string, error) {
	var rows *sql.Rows
	var err error
	if kind == "" {
		rows, err = db.QueryContext(ctx, "SELECT name FROM ops")
	} else {
		rows, err = db.QueryContext(ctx, "SELECT name FROM ops WHERE kind = $1", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("query names: %w", err)
	}
	if skip {
		return nil, nil // want `this return leaves rows from line \d+ open` `this return leaves rows from line \d+ open`
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			_ = rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	err = rows.Err()
	_ = rows.Close()
	return names, err
}
