// Package entity verifies passcodes in an entity method, hands the verdict
// up through a user method, and grants in the session's login, all in one
// package.
package entity

import (
	"errors"
	"net/http"
	"time"

	"github.com/pquerna/otp/totp"
)

// Passcode is a user's second factor.
type Passcode struct {
	Secret     string
	VerifiedAt *time.Time
}

// Valid checks a code; it marks the passcode verified the first time only.
func (m *Passcode) Valid(code string) (bool, error) {
	ok, err := totp.ValidateCustom(code, m.Secret, time.Now(), totp.ValidateOpts{Period: 30, Skew: 1}) // want `^.totp.ValidateCustom. accepts the code .*; .Login. serves requests$`
	if err != nil {
		return false, err
	}
	if ok && m.VerifiedAt == nil {
		now := time.Now()
		m.VerifiedAt = &now
	}
	return ok, nil
}

// User has a passcode.
type User struct {
	Name     string
	passcode *Passcode
}

// VerifyPasscode hands the passcode's verdict on.
func (u *User) VerifyPasscode(code string) (bool, error) {
	if u.passcode == nil {
		return false, errors.New("no passcode")
	}
	return u.passcode.Valid(code)
}

// Session is a signed-in session.
type Session struct{ user *User }

// Login grants the session two calls above the verification.
func (s *Session) Login(w http.ResponseWriter, r *http.Request) {
	if valid, err := s.user.VerifyPasscode(r.FormValue("code")); err != nil || !valid {
		http.Error(w, "invalid code", http.StatusUnauthorized)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "session", Value: s.user.Name})
}

// Routes serves the login.
func Routes(s *Session) { http.HandleFunc("/login", s.Login) }
