package totpcodereuse

import (
	"testing"

	"github.com/pquerna/otp/totp"
)

// TestCode verifies in a test: silent.
func TestCode(t *testing.T) {
	var s Sessions
	if totp.Validate("123456", "SECRET") {
		tok, _ := s.Create(t.Context(), "u1")
		t.Log(tok)
	}
}
