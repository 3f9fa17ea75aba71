// embeddedapi serves a database another package of the module
// opens with a SQLite driver.
package embeddedapi

import (
	"database/sql"
	"net/http"
	"sync"

	"lockacrossio/embeddedstore"
)

type api struct {
	mu sync.Mutex
	db *sql.DB
}

func newAPI(path string) (*api, error) {
	db, err := embeddedstore.Open(path)
	if err != nil {
		return nil, err
	}
	return &api{db: db}, nil
}

// at most info: the module opens the database with a SQLite driver.
func (a *api) handleCount(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var n int
	if err := a.db.QueryRowContext(r.Context(), "SELECT count(*) FROM items").Scan(&n); err != nil { // want `a database call while a.mu is held.*local SQLite file`
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}
