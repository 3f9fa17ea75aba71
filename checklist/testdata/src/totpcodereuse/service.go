package totpcodereuse

import (
	"context"
	"time"

	"github.com/pquerna/otp/totp"
)

// MFAService checks second factors.
type MFAService struct{}

// VerifyMFA reports whether code is the user's current TOTP code; its
// callers grant on a nil error.
func (s *MFAService) VerifyMFA(ctx context.Context, u *User, code string) error {
	ok, err := totp.ValidateCustom(code, u.TOTPSecret, time.Now(), totp.ValidateOpts{Period: 30, Skew: 1}) // want `totp.ValidateCustom. accepts the code`
	if err != nil {
		return err
	}
	if !ok {
		return ErrInvalidCode
	}
	return ctx.Err()
}

// CheckCode is a helper other packages call: it is judged where they
// grant, through its fact.
func CheckCode(secret, code string) bool { // want CheckCode:"verifies a TOTP code with totp.Validate"
	return totp.Validate(code, secret)
}

// Service signs in callers of other packages.
type Service struct {
	users    *Users
	sessions Sessions
}

// LoginWithCode issues a session itself, but no request handler of the
// package reaches it: its callers in other packages are judged through its
// fact.
func (s *Service) LoginWithCode(ctx context.Context, id, code string) (string, error) { // want LoginWithCode:"grants on a TOTP code checked with totp.Validate"
	u, err := s.users.Find(ctx, id)
	if err != nil {
		return "", err
	}
	if !totp.Validate(code, u.TOTPSecret) {
		return "", ErrInvalidCode
	}
	return s.sessions.Create(ctx, u.ID)
}

// Serve answers a line protocol's sign-ins, one request after another.
func (s *Service) Serve(ctx context.Context, logins <-chan [2]string) {
	for l := range logins {
		s.signIn(ctx, l[0], l[1])
	}
}

// signIn grants a session where no request handler is seen: at most info.
func (s *Service) signIn(ctx context.Context, id, code string) {
	u, err := s.users.Find(ctx, id)
	if err != nil {
		return
	}
	if totp.Validate(code, u.TOTPSecret) { // want `totp.Validate. accepts the code .*info: no request handler`
		_, _ = s.sessions.Create(ctx, u.ID)
	}
}
