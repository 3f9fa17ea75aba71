package embedded // want package:"drivers: sqlite=yes network=no"

// embedded keeps its data in a SQLite file beside the binary.

import (
	"database/sql"
	"net/http"
	"sync"

	_ "github.com/mattn/go-sqlite3"
)

type notes struct {
	mu sync.Mutex
	db *sql.DB
}

// at most info: the lock serialises writers to the local SQLite file on
// purpose; no network peer can stall it.
func (n *notes) handleSave(w http.ResponseWriter, r *http.Request) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, err := n.db.ExecContext(r.Context(), "INSERT INTO notes(body) VALUES (?)", r.FormValue("body")); err != nil { // want `a database call while n.mu is held.*info only: the database is a local SQLite file`
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// An HTTP call under the same lock stays posted: SQLite says nothing of
// the network.
func (n *notes) handleForward(w http.ResponseWriter, r *http.Request) {
	n.mu.Lock()
	defer n.mu.Unlock()
	resp, err := http.DefaultClient.Get("https://backup.example.com/notes") // want `an HTTP call while n.mu is held`
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	_ = resp.Body.Close()
}
