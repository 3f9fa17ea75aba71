// Package auth resets passwords and exchanges authorization codes.
package auth

import (
	"context"
	"errors"
	"net/http"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"example.com/tokens/repo"
)

// AuthorizationCode is an OAuth authorization code.
type AuthorizationCode struct {
	Code   string
	UserID int64
}

// Service serves the auth endpoints.
type Service struct {
	Repo *repo.Repo
	DB   *gorm.DB
}

// ResetPassword reads the token, sets the password, then deletes the token
// without checking that this request deleted it; a second use sets the same
// user's password again (info).
func (s *Service) ResetPassword(ctx context.Context, tok, hash string) error {
	t, err := s.Repo.GetResetToken(ctx, tok)
	if err != nil {
		return err
	}
	if err := s.Repo.SetPassword(ctx, t.UserID, hash); err != nil {
		return err
	}
	return s.Repo.DeleteResetToken(ctx, tok) // want `^\[info\] \x60DeleteResetToken\x60 consumes the secret \(DELETE FROM password_resets\) read at line \d+ without checking how many rows it changed, and nothing locks the row, reached from the request handler \x60\(\*Service\)\.HandleReset\x60 .*both get \x60SetPassword\x60.*\(info: what a second use gets`
}

// ResetPasswordConsumed consumes the token first and checks it did.
func (s *Service) ResetPasswordConsumed(ctx context.Context, tok, hash string) error {
	t, err := s.Repo.GetResetToken(ctx, tok)
	if err != nil {
		return err
	}
	if err := s.Repo.ConsumeResetToken(ctx, tok); err != nil {
		return err
	}
	return s.Repo.SetPassword(ctx, t.UserID, hash)
}

// HandleReset serves POST /reset.
func (s *Service) HandleReset(w http.ResponseWriter, r *http.Request) {
	if err := s.ResetPassword(r.Context(), r.FormValue("token"), r.FormValue("hash")); err != nil {
		http.Error(w, "invalid", http.StatusBadRequest)
	}
}

// issueTokens mints an access token for a user.
func issueTokens(userID int64) (string, error) { return "t", nil }

// Exchange trades an authorization code for tokens and deletes the code
// with gorm, never reading RowsAffected.
func (s *Service) Exchange(code string) (string, error) {
	var ac AuthorizationCode
	if err := s.DB.First(&ac, "code = ?", code).Error; err != nil {
		return "", err
	}
	tok, err := issueTokens(ac.UserID)
	if err != nil {
		return "", err
	}
	s.DB.Delete(&ac) // want `^\x60Delete\x60 consumes the secret \(AuthorizationCode\) read at line \d+ .* both get \x60issueTokens\x60`
	return tok, nil
}

// ExchangeCounted deletes the code first and checks one row went.
func (s *Service) ExchangeCounted(code string) (string, error) {
	var ac AuthorizationCode
	if err := s.DB.First(&ac, "code = ?", code).Error; err != nil {
		return "", err
	}
	if res := s.DB.Delete(&ac); res.Error != nil || res.RowsAffected != 1 {
		return "", errors.New("code already used")
	}
	return issueTokens(ac.UserID)
}

// ExchangeLocked reads the code under a row lock.
func (s *Service) ExchangeLocked(code string) (string, error) {
	var ac AuthorizationCode
	if err := s.DB.Clauses(clause.Locking{Strength: "UPDATE"}).First(&ac, "code = ?", code).Error; err != nil {
		return "", err
	}
	tok, err := issueTokens(ac.UserID)
	if err != nil {
		return "", err
	}
	s.DB.Delete(&ac)
	return tok, nil
}

// ExchangeExpired deletes an expired code and refuses it: the delete is
// on a branch that grants nothing.
func (s *Service) ExchangeExpired(code string, expired bool) (string, error) {
	var ac AuthorizationCode
	if err := s.DB.First(&ac, "code = ?", code).Error; err != nil {
		return "", err
	}
	if expired {
		s.DB.Delete(&ac)
		return "", errors.New("expired")
	}
	return issueTokens(ac.UserID)
}

// LoginWithToken signs in with a stored token; only the word token names
// it, so that it is single-use is not in evidence.
// at most info
func (s *Service) LoginWithToken(ctx context.Context, tok string) (string, error) {
	t, err := s.Repo.GetAPIToken(ctx, tok)
	if err != nil {
		return "", err
	}
	session, err := issueTokens(t.UserID)
	if err != nil {
		return "", err
	}
	_ = s.Repo.DeleteToken(ctx, tok) // want `^\[info\] \x60DeleteToken\x60 consumes the secret \(DELETE FROM tokens\)`
	return session, nil
}

// RecoveryCode is a two-factor recovery code.
type RecoveryCode struct {
	UserID int64
	Code   string
	Used   bool
}

// UseRecoveryCode checks that the code exists unused, then marks it used
// without reading how many rows changed; its callers take a nil error as
// the code being theirs and sign the user in.
func (s *Service) UseRecoveryCode(userID int64, code string) error {
	var rc RecoveryCode
	if err := s.DB.First(&rc, "user_id = ? AND code = ? AND used = ?", userID, code, false).Error; err != nil {
		return err
	}
	return s.DB.Model(&rc).Update("used", true).Error // want `^\x60Update\x60 consumes the secret \(RecoveryCode\) read at line \d+ .* both get a nil error from \x60\(\*Service\)\.UseRecoveryCode\x60, which its callers take as the secret being theirs`
}

// UseRecoveryCodeCounted marks the code used only while it is unused and
// checks that this call did.
func (s *Service) UseRecoveryCodeCounted(userID int64, code string) error {
	var rc RecoveryCode
	if err := s.DB.First(&rc, "user_id = ? AND code = ? AND used = ?", userID, code, false).Error; err != nil {
		return err
	}
	if res := s.DB.Model(&rc).Where("used = ?", false).Update("used", true); res.Error != nil || res.RowsAffected != 1 {
		return errors.New("recovery code already used")
	}
	return nil
}

// ShowRecoveryCode reads the code and marks it seen: its name does not say
// it consumes the code, and it grants nothing.
func (s *Service) ShowRecoveryCode(userID int64, code string) error {
	var rc RecoveryCode
	if err := s.DB.First(&rc, "user_id = ? AND code = ?", userID, code).Error; err != nil {
		return err
	}
	return s.DB.Model(&rc).Update("shown", true).Error
}
