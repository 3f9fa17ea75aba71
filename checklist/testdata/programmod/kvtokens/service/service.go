// Package service verifies e-mail addresses and changes passwords.
package service

import (
	"context"
	"errors"

	"example.com/kvtokens/cache"
)

// ErrBadCode says a code is wrong, expired or used.
var ErrBadCode = errors.New("invalid or used code")

// Service holds the account logic.
type Service struct {
	Codes    *cache.Codes
	Profiles *cache.Profiles
}

// activate marks the account of email verified.
func (s *Service) activate(ctx context.Context, email string) error { return nil }

// setPassword stores a user's new password hash.
func (s *Service) setPassword(ctx context.Context, userID, hash string) error { return nil }

// VerifyEmail compares the code, activates the account, then deletes the
// code without reading whether this request deleted it.
func (s *Service) VerifyEmail(ctx context.Context, email, code string) error {
	stored, err := s.Codes.VerificationCode(ctx, email)
	if err != nil {
		return err
	}
	if stored != code {
		return ErrBadCode
	}
	if err := s.activate(ctx, email); err != nil {
		return err
	}
	return s.Codes.DeleteVerificationCode(ctx, email) // want `^\x60DeleteVerificationCode\x60 deletes the secret \(DEL verifyKey\(email\)\) read at line \d+ without checking how many keys it removed, and nothing reads and deletes it in one step; .*both get \x60activate\x60.*GETDEL`
}

// VerifyEmailCounted deletes the code first and goes on only if this
// request removed it.
func (s *Service) VerifyEmailCounted(ctx context.Context, email, code string) error {
	stored, err := s.Codes.VerificationCode(ctx, email)
	if err != nil || stored != code {
		return ErrBadCode
	}
	if ok, err := s.Codes.RemoveVerificationCode(ctx, email); err != nil || !ok {
		return ErrBadCode
	}
	return s.activate(ctx, email)
}

// VerifyEmailTaken reads and deletes the code in one step.
func (s *Service) VerifyEmailTaken(ctx context.Context, email, code string) error {
	stored, err := s.Codes.TakeVerificationCode(ctx, email)
	if err != nil || stored != code {
		return ErrBadCode
	}
	return s.activate(ctx, email)
}

// VerifyEmailClaimed claims the code with a used marker before it
// activates; only the request that set the marker goes on.
func (s *Service) VerifyEmailClaimed(ctx context.Context, email, code string) error {
	stored, err := s.Codes.VerificationCode(ctx, email)
	if err != nil || stored != code {
		return ErrBadCode
	}
	first, err := s.Codes.MarkCodeUsed(ctx, email, code)
	if err != nil {
		return err
	}
	if !first {
		return ErrBadCode
	}
	if err := s.activate(ctx, email); err != nil {
		return err
	}
	return s.Codes.DeleteVerificationCode(ctx, email)
}

// ChangePassword reads the cached profile, sets the password and drops
// the cache: a profile is no single-use secret.
func (s *Service) ChangePassword(ctx context.Context, userID, hash string) error {
	if _, err := s.Profiles.Profile(ctx, userID); err != nil {
		return err
	}
	if err := s.setPassword(ctx, userID, hash); err != nil {
		return err
	}
	return s.Profiles.InvalidateProfile(ctx, userID)
}
