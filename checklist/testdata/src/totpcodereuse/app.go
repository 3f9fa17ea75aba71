// Package totpcodereuse signs users in with a password and a TOTP code.
package totpcodereuse

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"time"
)

// User is an account with a second factor.
type User struct {
	ID           string
	TOTPSecret   string
	LastTOTPStep int64
	LastLoginAt  time.Time
}

// Users stores accounts.
type Users struct{ db *sql.DB }

// Find loads a user.
func (u *Users) Find(ctx context.Context, id string) (*User, error) {
	row := u.db.QueryRowContext(ctx, "SELECT id, totp_secret FROM users WHERE id = $1", id)
	var usr User
	return &usr, row.Scan(&usr.ID, &usr.TOTPSecret)
}

// Save writes a user back.
func (u *Users) Save(ctx context.Context, usr *User) error {
	_, err := u.db.ExecContext(ctx, "UPDATE users SET last_login_at = $1 WHERE id = $2", usr.LastLoginAt, usr.ID)
	return err
}

// EnableTOTP turns the second factor on.
func (u *Users) EnableTOTP(ctx context.Context, id string) error {
	_, err := u.db.ExecContext(ctx, "UPDATE users SET mfa_enabled = true WHERE id = $1", id)
	return err
}

// Sessions issues sessions.
type Sessions struct{}

// Create starts a session and returns its token.
func (Sessions) Create(ctx context.Context, userID string) (string, error) { return userID, ctx.Err() }

// Cache is a shared key-value store.
type Cache struct{}

// SetNX sets key if it is absent and reports whether it did.
func (Cache) SetNX(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	return key != "" && ttl > 0, ctx.Err()
}

// Handler serves the sign-in routes.
type Handler struct {
	users    *Users
	sessions Sessions
	cache    Cache
	mfa      *MFAService
	db       *sql.DB
}

// ErrInvalidCode is a wrong or used code.
var ErrInvalidCode = errors.New("invalid code")

// writeToken answers with a session token.
func writeToken(w http.ResponseWriter, tok string) {
	http.SetCookie(w, &http.Cookie{Name: "session", Value: tok})
}
