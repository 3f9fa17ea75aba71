package sqlrowserrunchecked

import (
	"context"
	"database/sql"
	"log"
)

// Event is one line of a dashboard's event list.
type Event struct {
	Kind string
	At   int64
}

// recentEvents shows what it can: a row that fails to scan is skipped, so a
// cut-off result is the same best-effort choice; at most info.
func recentEvents(ctx context.Context, db *sql.DB) ([]Event, error) {
	rows, err := db.QueryContext(ctx, `SELECT kind, at FROM events ORDER BY at DESC LIMIT 50`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() { // want `rows.Next\(\) stops on a network or decode error`
		var e Event
		if err := rows.Scan(&e.Kind, &e.At); err != nil {
			log.Printf("skipping event: %v", err)
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

// statuses drops its Scan errors on purpose: at most info.
func statuses(ctx context.Context, db *sql.DB) []string {
	rows, err := db.QueryContext(ctx, `SELECT status FROM checks`)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var out []string
	for rows.Next() { // want `rows.Next\(\) stops on a network or decode error`
		var s string
		_ = rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

// balances returns on a Scan error: the reads matter, so a cut-off result
// does too.
func balances(ctx context.Context, db *sql.DB) (map[string]int64, error) {
	rows, err := db.QueryContext(ctx, `SELECT account, balance FROM balances`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() { // want `rows.Next\(\) stops on a network or decode error`
		var a string
		var b int64
		if err := rows.Scan(&a, &b); err != nil {
			return nil, err
		}
		out[a] = b
	}
	return out, nil
}
