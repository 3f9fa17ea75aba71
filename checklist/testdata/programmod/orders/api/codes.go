package api

import (
	"net/http"
	"net/smtp"
)

// RequestLoginCode stores a one-time code, then mails it: if the mail is
// lost, the code expires unused and the user asks for another, so the pair
// needs no outbox (info).
func (a *API) RequestLoginCode(w http.ResponseWriter, r *http.Request) {
	email := r.FormValue("email")
	if err := a.Repo.SaveLoginCode(r.Context(), email, "123456"); err != nil {
		http.Error(w, "failed", http.StatusInternalServerError)
		return
	}
	_ = smtp.SendMail("mail.example:25", nil, "noreply@example.com", []string{email}, []byte("your code: 123456")) // want `^\[info\] an e-mail or SMS \(SendMail\) after a database write .*\(info: the path stores a one-time code or token \(INSERT INTO login_codes\) that this message delivers`
}

// Register writes the account, then mails a welcome: a lost mail after the
// row commits is the dual write the check reports.
func (a *API) Register(w http.ResponseWriter, r *http.Request) {
	email := r.FormValue("email")
	if err := a.Repo.Insert(r.Context(), email); err != nil {
		http.Error(w, "failed", http.StatusInternalServerError)
		return
	}
	_ = smtp.SendMail("mail.example:25", nil, "noreply@example.com", []string{email}, []byte("welcome")) // want `^an e-mail or SMS \(SendMail\) after a database write \(INSERT INTO orders\) on the path of the request handler .\(\*API\)\.Register. \(api/codes\.go:\d+\), with no transaction or outbox; if one fails after the other commits, the two disagree\. Write the event to an outbox in the same transaction, or make the second write retryable$`
}

// RequestReset stores a reset token named as a hex, then mails it: a lost
// mail leaves an unused token (info).
func (a *API) RequestReset(w http.ResponseWriter, r *http.Request) {
	email := r.FormValue("email")
	if err := a.Repo.SaveResetHex(r.Context(), email, "a1b2c3"); err != nil {
		http.Error(w, "failed", http.StatusInternalServerError)
		return
	}
	_ = smtp.SendMail("mail.example:25", nil, "noreply@example.com", []string{email}, []byte("reset: a1b2c3")) // want `^\[info\] an e-mail or SMS \(SendMail\) after a database write .*\(info: the path stores a one-time code or token \(INSERT INTO reset_hexes\)`
}

// SignUp writes the account and its confirmation code, then mails the code:
// a lost mail leaves an account nobody can confirm, which is the dual write.
func (a *API) SignUp(w http.ResponseWriter, r *http.Request) {
	email := r.FormValue("email")
	if err := a.Repo.Insert(r.Context(), email); err != nil {
		http.Error(w, "failed", http.StatusInternalServerError)
		return
	}
	if err := a.Repo.SaveLoginCode(r.Context(), email, "654321"); err != nil {
		http.Error(w, "failed", http.StatusInternalServerError)
		return
	}
	_ = smtp.SendMail("mail.example:25", nil, "noreply@example.com", []string{email}, []byte("confirm: 654321")) // want `^an e-mail or SMS \(SendMail\) after a database write \(INSERT INTO orders\) on the path of the request handler .\(\*API\)\.SignUp.`
}
