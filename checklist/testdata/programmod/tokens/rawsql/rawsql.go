// Package rawsql keeps its SQL in one statement variable that each step sets
// again, the way some services write every query.
package rawsql

import (
	"database/sql"
	"errors"
	"log"
	"net/http"
)

// Service resets passwords.
type Service struct{ DB *sql.DB }

var errNoSuchResetToken = errors.New("no such reset token")

// Reset reads the reset token, sets the password, then deletes the token
// with the delete's error only logged and its count never read; a second use
// sets the same password again (info).
func (s *Service) Reset(resetHex, passwordHash string) (string, error) {
	statement := `SELECT hex, entity FROM resetHexes WHERE resetHex = $1;`
	row := s.DB.QueryRow(statement, resetHex)
	var hex, entity string
	if err := row.Scan(&hex, &entity); err != nil {
		return "", errNoSuchResetToken
	}
	statement = `UPDATE owners SET passwordHash = $1 WHERE ownerHex = $2;`
	if _, err := s.DB.Exec(statement, passwordHash, hex); err != nil {
		return "", err
	}
	statement = `DELETE FROM resetHexes WHERE resetHex = $1;`
	if _, err := s.DB.Exec(statement, resetHex); err != nil { // want `^\[info\] \x60Exec\x60 consumes the secret \(DELETE FROM resetHexes\) read at line \d+ without checking how many rows it changed.*both get \x60UPDATE owners SET passwordHash = \$1\x60`
		log.Printf("cannot remove resetHex: %v", err)
	}
	return entity, nil
}

// HandleReset serves POST /api/reset.
func (s *Service) HandleReset(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Reset(r.FormValue("resetHex"), r.FormValue("hash")); err != nil {
		http.Error(w, "invalid", http.StatusBadRequest)
	}
}

// ResetCounted deletes the token first and checks that this request did.
func (s *Service) ResetCounted(resetHex, passwordHash string) (string, error) {
	statement := `SELECT hex, entity FROM resetHexes WHERE resetHex = $1;`
	row := s.DB.QueryRow(statement, resetHex)
	var hex, entity string
	if err := row.Scan(&hex, &entity); err != nil {
		return "", errNoSuchResetToken
	}
	statement = `DELETE FROM resetHexes WHERE resetHex = $1;`
	res, err := s.DB.Exec(statement, resetHex)
	if err != nil {
		return "", err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return "", errNoSuchResetToken
	}
	statement = `UPDATE owners SET passwordHash = $1 WHERE ownerHex = $2;`
	if _, err := s.DB.Exec(statement, passwordHash, hex); err != nil {
		return "", err
	}
	return entity, nil
}

// HandleResetCounted serves POST /api/reset2.
func (s *Service) HandleResetCounted(w http.ResponseWriter, r *http.Request) {
	if _, err := s.ResetCounted(r.FormValue("resetHex"), r.FormValue("hash")); err != nil {
		http.Error(w, "invalid", http.StatusBadRequest)
	}
}

// Accept reads an invite, marks it used through a prepared statement whose
// affected rows it never reads, then signs the user up.
func (s *Service) Accept(invite string) error {
	var id int
	if err := s.DB.QueryRow(`SELECT id FROM invite_tokens WHERE token = $1 AND NOT deleted`, invite).Scan(&id); err != nil {
		return errNoSuchResetToken
	}
	stmt, err := s.DB.Prepare(`UPDATE invite_tokens SET deleted = true WHERE id = $1`)
	if err != nil {
		return err
	}
	if _, err := stmt.Exec(id); err != nil { // want `^\x60Exec\x60 consumes the secret \(UPDATE invite_tokens\) read at line \d+ without checking how many rows it changed`
		return err
	}
	return s.createAccountToken(invite)
}

func (s *Service) createAccountToken(invite string) error {
	_, err := s.DB.Exec(`INSERT INTO account_requests (invite) VALUES ($1)`, invite)
	return err
}

// HandleAccept serves POST /api/invite.
func (s *Service) HandleAccept(w http.ResponseWriter, r *http.Request) {
	if err := s.Accept(r.FormValue("invite")); err != nil {
		http.Error(w, "invalid", http.StatusBadRequest)
	}
}

// Rotate swaps a cached bearer token for a session: an auth token is a
// credential kept and sent again, not a single-use secret (info).
func (s *Service) Rotate(authToken string) error {
	var user string
	if err := s.DB.QueryRow(`SELECT user_id FROM auth_tokens WHERE token = $1`, authToken).Scan(&user); err != nil {
		return err
	}
	if err := s.issueSession(user); err != nil {
		return err
	}
	_, err := s.DB.Exec(`DELETE FROM auth_tokens WHERE token = $1`, authToken) // want `^\[info\] \x60Exec\x60 consumes the secret \(DELETE FROM auth_tokens\)`
	return err
}

func (s *Service) issueSession(user string) error {
	_, err := s.DB.Exec(`INSERT INTO sessions (user_id) VALUES ($1)`, user)
	return err
}

// HandleRotate serves POST /api/rotate.
func (s *Service) HandleRotate(w http.ResponseWriter, r *http.Request) {
	if err := s.Rotate(r.FormValue("token")); err != nil {
		http.Error(w, "invalid", http.StatusBadRequest)
	}
}
