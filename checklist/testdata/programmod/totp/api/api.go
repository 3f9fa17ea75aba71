// Package api serves the sign-in routes.
package api

import (
	"context"
	"database/sql"
	"net/http"
	"time"

	"example.com/totp/auth"
	"example.com/totp/mfa"
)

// Server holds what the handlers use.
type Server struct {
	db   *sql.DB
	auth *auth.Service
}

// LoginMFA hands the code to the sign-in service, which grants on it.
func (s *Server) LoginMFA(w http.ResponseWriter, r *http.Request) {
	tok, err := s.auth.MFALogin(r.Context(), r.FormValue("user"), r.FormValue("code"), r.FormValue("secret"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "session", Value: tok})
}

// newSession starts a session and returns its token.
func (s *Server) newSession(ctx context.Context, user string) (string, error) {
	return user, ctx.Err()
}

// Login grants a session on the helper's verdict and records nothing.
func (s *Server) Login(w http.ResponseWriter, r *http.Request) {
	if !mfa.ValidCode(r.FormValue("code"), r.FormValue("secret")) {
		http.Error(w, "invalid code", http.StatusUnauthorized)
		return
	}
	tok, _ := s.newSession(r.Context(), r.FormValue("user"))
	http.SetCookie(w, &http.Cookie{Name: "session", Value: tok})
}

// LoginOnce writes the accepted step down and refuses it the second time.
func (s *Server) LoginOnce(w http.ResponseWriter, r *http.Request) {
	if !mfa.ValidCode(r.FormValue("code"), r.FormValue("secret")) {
		return
	}
	res, err := s.db.ExecContext(r.Context(), "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1", time.Now().Unix()/30, r.FormValue("user"))
	if err != nil {
		return
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return
	}
	tok, _ := s.newSession(r.Context(), r.FormValue("user"))
	http.SetCookie(w, &http.Cookie{Name: "session", Value: tok})
}
