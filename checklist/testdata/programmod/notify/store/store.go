// Package store keeps notifications.
package store

import (
	"context"
	"database/sql"
)

// Notification is one message to send.
type Notification struct {
	ID    int64
	URL   string
	Email string
	Body  string
}

// Store reads and writes notifications.
type Store struct{ DB *sql.DB }

// ListPending returns the notifications not sent yet.
func (s *Store) ListPending(ctx context.Context) ([]Notification, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT id, url, body FROM notifications WHERE sent_at IS NULL")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		if err := rows.Scan(&n.ID, &n.URL, &n.Body); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// List returns the notifications of the hour.
func (s *Store) List(ctx context.Context) ([]Notification, error) {
	return s.ListPending(ctx)
}

// MarkSent records that a notification went out.
func (s *Store) MarkSent(ctx context.Context, id int64) error {
	_, err := s.DB.ExecContext(ctx, "UPDATE notifications SET sent_at = now() WHERE id = $1", id)
	return err
}

// Claim takes a notification for sending before it goes out.
func (s *Store) Claim(ctx context.Context, id int64) error {
	_, err := s.DB.ExecContext(ctx, "UPDATE notifications SET state = 'sending' WHERE id = $1 AND state = 'pending'", id)
	return err
}

// TouchUser records when a user was last seen.
func (s *Store) TouchUser(ctx context.Context, id int64) error {
	_, err := s.DB.ExecContext(ctx, "UPDATE users SET last_seen = now() WHERE id = $1", id)
	return err
}
