package contextbackground

import (
	"context"
	"database/sql"
	"errors"
)

// Session is a remote session created in two steps.
type Session struct {
	db *sql.DB
	id string
}

func (s *Session) confirm(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, "UPDATE sessions SET confirmed = true WHERE id = $1", s.id)
	return err
}

// Open undoes the remote session when confirming it fails, with a fresh
// context: ctx may be what failed: at most info.
func (s *Session) Open(ctx context.Context) error {
	err := s.confirm(ctx)
	if err != nil {
		_, _ = s.db.ExecContext(context.Background(), "DELETE FROM sessions WHERE id = $1", s.id) // want `context.Background\(\) drops ctx.*clean-up on a failure path`
		return err
	}
	return nil
}

// Refresh drops ctx on the success path: posted.
func (s *Session) Refresh(ctx context.Context) error {
	if err := s.confirm(ctx); err != nil {
		return errors.Join(err, errors.New("refresh"))
	}
	_, err := s.db.ExecContext(context.Background(), "UPDATE sessions SET seen = now() WHERE id = $1", s.id) // want `context.Background\(\) drops ctx`
	return err
}
