// Package dgoogauth is a stub of github.com/dgryski/dgoogauth: only what the
// fixtures use.
package dgoogauth

// OTPConfig is a user's one-time password configuration. Authenticate
// changes it; it must be saved for DisallowReuse to work.
type OTPConfig struct {
	Secret        string
	WindowSize    int
	HotpCounter   int
	DisallowReuse []int
	ScratchCodes  []int
	UTC           bool
}

// Authenticate checks a one-time password against the configuration.
func (c *OTPConfig) Authenticate(password string) (bool, error) {
	return password != "" && c.Secret != "", nil
}
