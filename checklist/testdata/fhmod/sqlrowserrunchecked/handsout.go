package sqlrowserrunchecked

import (
	"context"
	"database/sql"
	"log"
)

// Token is a refresh token of an account.
type Token struct {
	ID      string
	Account int64
}

// TokenStore keeps refresh tokens.
type TokenStore struct {
	db *sql.DB
}

// FindAll hands every token of an account to the code that revokes them: a
// read cut off halfway returns a partial list with a nil error, and the
// tokens it missed stay valid.
func (s *TokenStore) FindAll(ctx context.Context, account int64) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM refresh_tokens WHERE account_id = $1`, account)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Token
	for rows.Next() { // want `rows.Next\(\) stops on a network or decode error`
		t := Token{Account: account}
		if err := rows.Scan(&t.ID); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// Exists answers "no" with a nil error when the read breaks; a single-row
// read, so at most info.
func (s *TokenStore) Exists(ctx context.Context, id string) (bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT 1 FROM refresh_tokens WHERE id = $1`, id)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	return rows.Next(), nil // want `rows.Next\(\) stops on a network or decode error`
}

// purgeExpired lists what it is about to delete only for the log line; the
// DELETE's own error is what it returns: at most info.
func (s *TokenStore) purgeExpired(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM refresh_tokens WHERE expires_at < now()`)
	if err != nil {
		return err
	}
	var ids []string
	for rows.Next() { // want `rows.Next\(\) stops on a network or decode error`
		var id string
		if err := rows.Scan(&id); err != nil {
			break
		}
		ids = append(ids, id)
	}
	rows.Close()
	log.Printf("purging %d expired tokens", len(ids))
	_, err = s.db.ExecContext(ctx, `DELETE FROM refresh_tokens WHERE expires_at < now()`)
	return err
}

// insertID reads the id an INSERT returns; the Next's answer is dropped, so
// a broken read fails the Scan right after: at most info.
func (s *TokenStore) insertID(ctx context.Context, account int64) (int64, error) {
	rows, err := s.db.QueryContext(ctx, `INSERT INTO accounts (owner) VALUES ($1) RETURNING id`, account)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	rows.Next() // want `rows.Next\(\) stops on a network or decode error`
	var id int64
	err = rows.Scan(&id)
	return id, err
}
