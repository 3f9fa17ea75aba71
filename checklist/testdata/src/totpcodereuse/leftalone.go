package totpcodereuse

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/dgryski/dgoogauth"
	"github.com/pquerna/otp/totp"
)

// LoginOnce stores the accepted time step and refuses it the second time.
func (h *Handler) LoginOnce(w http.ResponseWriter, r *http.Request) {
	u, err := h.users.Find(r.Context(), r.FormValue("user"))
	if err != nil {
		return
	}
	step := time.Now().Unix() / 30
	if step <= u.LastTOTPStep || !totp.Validate(r.FormValue("code"), u.TOTPSecret) {
		http.Error(w, "invalid code", http.StatusUnauthorized)
		return
	}
	u.LastTOTPStep = step
	_ = h.users.Save(r.Context(), u)
	tok, _ := h.sessions.Create(r.Context(), u.ID)
	writeToken(w, tok)
}

// LoginCached keeps the used code in a shared cache until it expires.
func (h *Handler) LoginCached(w http.ResponseWriter, r *http.Request) {
	u, err := h.users.Find(r.Context(), r.FormValue("user"))
	if err != nil {
		return
	}
	code := r.FormValue("code")
	if !totp.Validate(code, u.TOTPSecret) {
		return
	}
	if first, err := h.cache.SetNX(r.Context(), "totp:"+u.ID+":"+code, 90*time.Second); err != nil || !first {
		return
	}
	tok, _ := h.sessions.Create(r.Context(), u.ID)
	writeToken(w, tok)
}

// LoginStored records the step through a helper whose INSERT the program
// model sees: used_totp_steps.
func (h *Handler) LoginStored(w http.ResponseWriter, r *http.Request) {
	u, err := h.users.Find(r.Context(), r.FormValue("user"))
	if err != nil {
		return
	}
	if !totp.Validate(r.FormValue("code"), u.TOTPSecret) {
		return
	}
	if err := h.finish(r.Context(), u); err != nil {
		return
	}
	tok, _ := h.sessions.Create(r.Context(), u.ID)
	writeToken(w, tok)
}

// finish refuses a step used before: the insert fails on the unique key.
func (h *Handler) finish(ctx context.Context, u *User) error {
	_, err := h.db.ExecContext(ctx, "INSERT INTO used_totp_steps (user_id, step) VALUES ($1, $2)", u.ID, time.Now().Unix()/30)
	return err
}

// LoginGoogauth restores and saves dgoogauth's DisallowReuse list, which
// makes Authenticate refuse a code used before.
func (h *Handler) LoginGoogauth(w http.ResponseWriter, r *http.Request, used []int) {
	u, err := h.users.Find(r.Context(), r.FormValue("user"))
	if err != nil {
		return
	}
	cfg := &dgoogauth.OTPConfig{Secret: u.TOTPSecret, WindowSize: 3, DisallowReuse: used}
	ok, err := cfg.Authenticate(r.FormValue("code"))
	if err != nil || !ok {
		return
	}
	tok, _ := h.sessions.Create(r.Context(), u.ID)
	writeToken(w, tok)
}

// Enroll confirms a new device: a replay grants nothing.
func (h *Handler) Enroll(w http.ResponseWriter, r *http.Request) {
	u, err := h.users.Find(r.Context(), r.FormValue("user"))
	if err != nil {
		return
	}
	if !totp.Validate(r.FormValue("code"), u.TOTPSecret) {
		http.Error(w, "invalid code", http.StatusBadRequest)
		return
	}
	_ = h.users.EnableTOTP(r.Context(), u.ID)
}

// Probe only answers whether the code is right; nothing branches on it.
func (h *Handler) Probe(w http.ResponseWriter, r *http.Request) {
	_ = json.NewEncoder(w).Encode(map[string]bool{"valid": totp.Validate(r.FormValue("code"), r.FormValue("secret"))})
}

// LoginRecorded takes the verdict of a helper and records the code itself.
func (h *Handler) LoginRecorded(w http.ResponseWriter, r *http.Request) {
	u, err := h.users.Find(r.Context(), r.FormValue("user"))
	if err != nil {
		return
	}
	code := r.FormValue("code")
	if !validCode(u, code) {
		return
	}
	if _, err := h.db.ExecContext(r.Context(), "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1", time.Now().Unix()/30, u.ID); err != nil {
		return
	}
	tok, _ := h.sessions.Create(r.Context(), u.ID)
	writeToken(w, tok)
}

// validCode is the package's check; its one caller records the step.
func validCode(u *User, code string) bool {
	return totp.Validate(code, u.TOTPSecret)
}
