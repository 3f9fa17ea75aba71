package sqlrowserrunchecked

import (
	"context"
	"database/sql"
	"fmt"
)

// Total counts a page's rows for its pager. One aggregate row: a driver
// reports a failure before it with the query itself, so at most info.
func Total(ctx context.Context, db *sql.DB, table, where string) (uint64, error) {
	q := fmt.Sprintf(`SELECT COUNT(*) FROM %s %s;`, table, where)
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var total uint64
	for rows.Next() { // want `rows.Next\(\) stops on a network or decode error`
		if err := rows.Scan(&total); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// CountsByStatus is a list, one row per status: a cut-off read drops
// statuses from the dashboard's totals; posted.
func CountsByStatus(ctx context.Context, db *sql.DB) (map[string]int, error) {
	rows, err := db.QueryContext(ctx, `SELECT status, COUNT(*) FROM jobs GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() { // want `rows.Next\(\) stops on a network or decode error`
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, nil
}
