// Package gotp is a stub of github.com/xlzd/gotp: only what the fixtures
// call.
package gotp

import "time"

// TOTP generates and verifies time-based one-time passwords.
type TOTP struct{ secret string }

// NewDefaultTOTP returns a TOTP with 6 digits and a 30-second interval.
func NewDefaultTOTP(secret string) *TOTP { return &TOTP{secret: secret} }

// Verify checks otp against the code at timestamp.
func (t *TOTP) Verify(otp string, timestamp int64) bool {
	return otp != "" && t.secret != "" && timestamp > 0
}

// VerifyTime checks otp against the code at ts.
func (t *TOTP) VerifyTime(otp string, ts time.Time) bool { return t.Verify(otp, ts.Unix()) }
