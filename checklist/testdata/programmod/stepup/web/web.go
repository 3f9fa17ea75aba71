// Package web serves the sign-in and the account settings.
package web

import (
	"net/http"

	"github.com/pquerna/otp/totp"
)

// Server holds the handlers.
type Server struct {
	Secret func(user string) string
}

// issueSession starts a session and returns its token.
func (s *Server) issueSession(user string) string { return user }

// Login is the sign-in's second step: reached before anyone is logged in.
func (s *Server) Login(w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("user")
	if !totp.Validate(r.FormValue("code"), s.Secret(user)) { // Login's check
		http.Error(w, "invalid code", http.StatusUnauthorized)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "session", Value: s.issueSession(user)})
}

// RotateSession asks a logged-in user for a current code again before it
// issues a fresh session token (a step-up): a replay takes that session.
func (s *Server) RotateSession(w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("user")
	if !totp.Validate(r.FormValue("code"), s.Secret(user)) { // RotateSession's check
		http.Error(w, "invalid code", http.StatusUnauthorized)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "session", Value: s.issueSession(user)})
}

// RequireLogin lets only signed-in users through.
func RequireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie("session"); err != nil {
			http.Error(w, "sign in first", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
