package entity

import (
	"errors"
	"net/http"
	"time"

	"github.com/pquerna/otp/totp"
)

// Key is a second factor whose verifier one level up records the step.
type Key struct{ Secret string }

// Check checks a code and hands the verdict on.
func (k *Key) Check(code string) (bool, error) {
	return totp.ValidateCustom(code, k.Secret, time.Now(), totp.ValidateOpts{Period: 30, Skew: 1})
}

// Account holds a key and the last step it accepted.
type Account struct {
	key          *Key
	LastUsedStep int64
}

// Verify hands the verdict on and records the accepted step.
func (a *Account) Verify(code string) (bool, error) {
	ok, err := a.key.Check(code)
	if err != nil || !ok {
		return false, err
	}
	step := time.Now().Unix() / 30
	if step <= a.LastUsedStep {
		return false, errors.New("code used")
	}
	a.LastUsedStep = step
	return true, nil
}

// SignIn grants on a verdict whose chain records the step: silent.
func SignIn(a *Account, w http.ResponseWriter, r *http.Request) {
	if ok, err := a.Verify(r.FormValue("code")); err != nil || !ok {
		http.Error(w, "invalid code", http.StatusUnauthorized)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "session", Value: "ok"})
}

// AccountRoutes serves the sign-in.
func AccountRoutes(a *Account) {
	http.HandleFunc("/signin", func(w http.ResponseWriter, r *http.Request) { SignIn(a, w, r) })
}
