// Package googauth signs in with dgoogauth and never keeps DisallowReuse.
package googauth

import (
	"net/http"

	"github.com/dgryski/dgoogauth"
)

// issueSession starts a session.
func issueSession(w http.ResponseWriter, user string) {
	http.SetCookie(w, &http.Cookie{Name: "session", Value: user})
}

// Login accepts the code through a fresh config every time, so dgoogauth
// has nothing to refuse a replay with.
func Login(w http.ResponseWriter, r *http.Request) {
	cfg := &dgoogauth.OTPConfig{Secret: r.FormValue("secret"), WindowSize: 3}
	ok, err := cfg.Authenticate(r.FormValue("code")) // want `dgoogauth OTPConfig.Authenticate. accepts the code`
	if err != nil || !ok {
		http.Error(w, "invalid code", http.StatusUnauthorized)
		return
	}
	issueSession(w, r.FormValue("user"))
}
