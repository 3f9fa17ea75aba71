package totpcodereuse

import (
	"net/http"
	"time"

	"github.com/pquerna/otp/totp"
	"github.com/xlzd/gotp"
)

// Login checks the code and issues a session; the code works again until
// its window closes.
func (h *Handler) Login(w http.ResponseWriter, r *http.Request) {
	u, err := h.users.Find(r.Context(), r.FormValue("user"))
	if err != nil {
		http.Error(w, "unknown user", http.StatusUnauthorized)
		return
	}
	if !totp.Validate(r.FormValue("code"), u.TOTPSecret) { // want `totp.Validate. accepts the code and nothing records it as used`
		http.Error(w, "invalid code", http.StatusUnauthorized)
		return
	}
	u.LastLoginAt = time.Now() // a login time is not a record of the code
	_ = h.users.Save(r.Context(), u)
	tok, err := h.sessions.Create(r.Context(), u.ID)
	if err != nil {
		http.Error(w, "session", http.StatusInternalServerError)
		return
	}
	writeToken(w, tok)
}

// LoginGotp verifies with gotp and sets the session cookie.
func (h *Handler) LoginGotp(w http.ResponseWriter, r *http.Request) {
	u, err := h.users.Find(r.Context(), r.FormValue("user"))
	if err != nil {
		return
	}
	if gotp.NewDefaultTOTP(u.TOTPSecret).VerifyTime(r.FormValue("code"), time.Now()) { // want `gotp TOTP.VerifyTime. accepts the code`
		tok, _ := h.sessions.Create(r.Context(), u.ID)
		http.SetCookie(w, &http.Cookie{Name: "session", Value: tok})
	}
}

// LoginMFA hands the code to the MFA service and issues a session on its
// verdict: the finding is on the service's Validate line.
func (h *Handler) LoginMFA(w http.ResponseWriter, r *http.Request) {
	u, err := h.users.Find(r.Context(), r.FormValue("user"))
	if err != nil {
		return
	}
	if err := h.mfa.VerifyMFA(r.Context(), u, r.FormValue("code")); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	tok, _ := h.sessions.Create(r.Context(), u.ID)
	writeToken(w, tok)
}
