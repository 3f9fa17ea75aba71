package sqlrowserrunchecked

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Item is a row.
type Item struct {
	ID    int64
	Title string
}

// Items checks Err after the loop.
func Items(ctx context.Context, db *sql.DB) ([]Item, error) {
	rows, err := db.QueryContext(ctx, "SELECT id, title FROM items")
	if err != nil {
		return nil, fmt.Errorf("query items: %w", err)
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.ID, &it.Title); err != nil {
			return nil, fmt.Errorf("scan item: %w", err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read items: %w", err)
	}
	return out, nil
}

// Returned returns Err as the function's error.
func Returned(ctx context.Context, pool *pgxpool.Pool) (n int, err error) {
	rows, err := pool.Query(ctx, "SELECT 1 FROM items")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// Collected hands the rows to pgx, which checks Err.
func Collected(ctx context.Context, pool *pgxpool.Pool) ([]int64, error) {
	rows, err := pool.Query(ctx, "SELECT id FROM items")
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// Scanned hands the rows to a helper that iterates and checks them.
func Scanned(ctx context.Context, db *sql.DB) ([]Item, error) {
	rows, err := db.QueryContext(ctx, "SELECT id, title FROM items")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanItems(rows)
}

func scanItems(rows *sql.Rows) ([]Item, error) {
	var out []Item
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.ID, &it.Title); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// Switch checks Err inside the loop's exit branch.
func Switch(ctx context.Context, db *sql.DB) (int64, error) {
	rows, err := db.QueryContext(ctx, "SELECT id FROM items LIMIT 1")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for {
		if !rows.Next() {
			if err := rows.Err(); err != nil {
				return 0, err
			}
			return 0, sql.ErrNoRows
		}
		var id int64
		return id, rows.Scan(&id)
	}
}
