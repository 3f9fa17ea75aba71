// Package repo stores password-reset tokens.
package repo

import (
	"context"
	"database/sql"
	"errors"
)

// ErrUsed says a token was consumed already.
var ErrUsed = errors.New("token already used")

// ResetToken is a password-reset token.
type ResetToken struct {
	UserID int64
	Token  string
}

// Repo reads and writes reset tokens.
type Repo struct{ DB *sql.DB }

// GetResetToken reads a reset token.
func (r *Repo) GetResetToken(ctx context.Context, tok string) (*ResetToken, error) {
	var t ResetToken
	err := r.DB.QueryRowContext(ctx, "SELECT user_id, token FROM password_resets WHERE token = $1", tok).Scan(&t.UserID, &t.Token)
	return &t, err
}

// DeleteResetToken removes a reset token.
func (r *Repo) DeleteResetToken(ctx context.Context, tok string) error {
	_, err := r.DB.ExecContext(ctx, "DELETE FROM password_resets WHERE token = $1", tok)
	return err
}

// ConsumeResetToken removes a reset token and says whether this call did.
func (r *Repo) ConsumeResetToken(ctx context.Context, tok string) error {
	res, err := r.DB.ExecContext(ctx, "DELETE FROM password_resets WHERE token = $1", tok)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return ErrUsed
	}
	return nil
}

// SetPassword stores a user's new password hash.
func (r *Repo) SetPassword(ctx context.Context, userID int64, hash string) error {
	_, err := r.DB.ExecContext(ctx, "UPDATE users SET password_hash = $1 WHERE id = $2", hash, userID)
	return err
}

// GetAPIToken reads an API token.
func (r *Repo) GetAPIToken(ctx context.Context, tok string) (*ResetToken, error) {
	var t ResetToken
	err := r.DB.QueryRowContext(ctx, "SELECT user_id, token FROM tokens WHERE token = $1", tok).Scan(&t.UserID, &t.Token)
	return &t, err
}

// DeleteToken removes a token.
func (r *Repo) DeleteToken(ctx context.Context, tok string) error {
	_, err := r.DB.ExecContext(ctx, "DELETE FROM tokens WHERE token = $1", tok)
	return err
}
