// Package mfa wraps the TOTP library for the rest of the service.
package mfa

import (
	"errors"
	"time"

	"github.com/pquerna/otp/totp"
)

// ErrInvalid is a wrong code.
var ErrInvalid = errors.New("invalid code")

// ValidCode reports whether code is the current TOTP code for secret; it
// remembers nothing, so the callers that grant on it are reported here.
func ValidCode(code, secret string) bool {
	ok, err := totp.ValidateCustom(code, secret, time.Now(), totp.ValidateOpts{Period: 30, Skew: 1}) // want `^.totp.ValidateCustom. \(called through .mfa.ValidCode.\) accepts the code .*; .Login. serves requests$`
	return err == nil && ok
}

// Check is ValidCode's twin for the sign-in service.
func Check(code, secret string) error {
	if !totp.Validate(code, secret) { // want `^.totp.Validate. \(called through .auth.\(\*Service\).MFALogin. → .mfa.Check.\) accepts the code .*; .LoginMFA. serves requests$`
		return ErrInvalid
	}
	return nil
}
