package totpcodereuse

import (
	"strings"

	"github.com/pquerna/otp/totp"
)

// bindResult is what a directory server answers a bind with.
type bindResult int

const (
	bindSuccess bindResult = iota
	bindInvalidCredentials
)

// directory answers binds for its users.
type directory struct{ users map[string]*User }

// bind accepts the password with a TOTP code appended and answers
// success, recording nothing: at most info (no request handler is seen).
func (d *directory) bind(name, pw string) bindResult {
	u := d.users[name]
	if u == nil || len(pw) < 6 {
		return bindInvalidCredentials
	}
	code := pw[len(pw)-6:]
	validOTP := totp.Validate(code, u.TOTPSecret) // want `totp.Validate. accepts the code .*info: no request handler`
	if validOTP && strings.HasPrefix(pw, "x") {
		return bindSuccess
	}
	return bindInvalidCredentials
}

// probe answers whether a code is valid, and grants nothing.
func (d *directory) probe(name, code string) bindResult {
	if u := d.users[name]; u != nil && totp.Validate(code, u.TOTPSecret) {
		return bindInvalidCredentials
	}
	return bindInvalidCredentials
}
