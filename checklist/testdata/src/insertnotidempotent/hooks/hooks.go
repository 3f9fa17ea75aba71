// Package hooks receives payment webhooks.
package hooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io"
	"net/http"
)

type server struct {
	db     *sql.DB
	secret []byte
}

// handlePaymentWebhook checks the provider's signature, then records the
// payment: a signed sender redelivers until it gets a 2xx.
func (s *server) handlePaymentWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		return
	}
	mac := hmac.New(sha256.New, s.secret)
	mac.Write(body)
	if !hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(r.Header.Get("X-Pay-Sig"))) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if err := s.record(r, string(body)); err != nil {
		http.Error(w, "try again", http.StatusServiceUnavailable)
	}
}

// record stores the payment.
func (s *server) record(r *http.Request, body string) error {
	_, err := s.db.ExecContext(r.Context(), "INSERT INTO payments (body) VALUES ($1)", body) // want `INSERT without ON CONFLICT.*webhook handler`
	return err
}

// at most info: a route named for a hook that reads no delivery id and
// checks no signature; whether anything redelivers to it is not in sight.
func (s *server) handleBuildHook(w http.ResponseWriter, r *http.Request) {
	_, err := s.db.ExecContext(r.Context(), "INSERT INTO builds (ref) VALUES ($1)", r.FormValue("ref")) // want `no delivery id and checks no signature`
	if err != nil {
		http.Error(w, "try again", http.StatusServiceUnavailable)
	}
}
