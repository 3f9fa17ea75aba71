// Package worker runs a blog's long jobs; its callers live in other
// packages.
package worker

import (
	"context"
	"database/sql"
	"log/slog"
)

// Server is a game server the panel installs.
type Server struct {
	db  *sql.DB
	log *slog.Logger
}

// Install runs the install steps and logs every failure itself before it
// returns it.
func (s *Server) Install(ctx context.Context) error { // want Install:"logs every error it returns"
	if _, err := s.db.ExecContext(ctx, `UPDATE servers SET state = 'installing'`); err != nil {
		s.log.Error("mark installing", "err", err)
		return err
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.log.Error("install", "err", err)
		return err
	}
	return nil
}

// DeleteEpisode deletes an episode's row and returns the error without a
// word.
func DeleteEpisode(ctx context.Context, db *sql.DB, id string) error {
	_, err := db.ExecContext(ctx, `UPDATE episodes SET state = 'deleted' WHERE id = $1`, id)
	return err
}
