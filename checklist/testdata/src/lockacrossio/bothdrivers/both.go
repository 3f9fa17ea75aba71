package bothdrivers // want package:"drivers: sqlite=yes network=yes"

// bothdrivers supports SQLite and PostgreSQL: the database may be
// a server across the network, so the finding stays posted.

import (
	"database/sql"
	"net/http"
	"sync"

	_ "github.com/mattn/go-sqlite3"
)

type store struct {
	mu sync.Mutex
	db *sql.DB
}

func open(driver, dsn string) (*store, error) {
	if driver == "postgres" {
		db, err := sql.Open("postgres", dsn)
		return &store{db: db}, err
	}
	db, err := sql.Open("sqlite3", dsn)
	return &store{db: db}, err
}

func (s *store) handleDelete(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.db.ExecContext(r.Context(), "DELETE FROM items WHERE id = $1", r.FormValue("id")); err != nil { // want `a database call while s.mu is held: every other`
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}
