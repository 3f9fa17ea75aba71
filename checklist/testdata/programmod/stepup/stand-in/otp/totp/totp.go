// Package totp is a stub of github.com/pquerna/otp/totp: only what the
// fixtures call.
package totp

import "time"

// ValidateOpts are the options of ValidateCustom.
type ValidateOpts struct {
	Period uint
	Skew   uint
}

// Validate checks a passcode against the secret at the current time.
func Validate(passcode string, secret string) bool { return passcode != "" && secret != "" }

// ValidateCustom checks a passcode against the secret at t.
func ValidateCustom(passcode string, secret string, t time.Time, opts ValidateOpts) (bool, error) {
	return passcode != "" && secret != "" && !t.IsZero(), nil
}
