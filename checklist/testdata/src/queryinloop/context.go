package queryinloop

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strings"
)

type profiles struct {
	hc  *http.Client
	api string
}

// lookup asks the profile service for one user.
func (p *profiles) lookup(ctx context.Context, id string) (map[string]any, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.api+"/users/"+id, nil)
	if err != nil {
		return nil, err
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out := map[string]any{}
	return out, json.NewDecoder(resp.Body).Decode(&out)
}

// One call to the profile service per member of a team, through a helper.
// Outside a request handler: at most info.
func (p *profiles) team(ctx context.Context, members []string) ([]map[string]any, error) {
	var out []map[string]any
	for _, m := range members {
		u, err := p.lookup(ctx, m) // want `an HTTP request \(through \(\*profiles\).lookup\) for every element`
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// The four kinds of account the product has: a constant list.
var kinds = []string{"free", "team", "business", "enterprise"}

func countsByKind(ctx context.Context, db *sql.DB) (map[string]int, error) {
	out := map[string]int{}
	for _, k := range kinds {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM accounts WHERE kind = $1", k).Scan(&n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, nil
}

// A fixed-size array of days.
func week(ctx context.Context, db *sql.DB, days [7]string) error {
	for _, d := range days {
		if _, err := db.QueryContext(ctx, "SELECT 1 FROM slots WHERE day = $1", d); err != nil {
			return err
		}
	}
	return nil
}

// at most info: an operator's rare bulk fix, inside one transaction.
func adminRecount(ctx context.Context, tx *sql.Tx, ids []int64) error {
	for _, id := range ids {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM items WHERE order_id = $1", id).Scan(&n); err != nil { // want `a database query for every element`
			return err
		}
	}
	return nil
}

// A migration walks every row once per deploy.
func migrateNames(ctx context.Context, db *sql.DB, ids []int64) error {
	for _, id := range ids {
		var name string
		if err := db.QueryRowContext(ctx, "SELECT name FROM users WHERE id = $1", id).Scan(&name); err != nil {
			return err
		}
	}
	return nil
}

// push posts one message to the chat service.
func (p *profiles) push(ctx context.Context, text string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.api+"/messages", strings.NewReader(text))
	if err != nil {
		return err
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// One message per new entry, through a helper: the messages are the work,
// and no batch replaces them.
func (p *profiles) announce(ctx context.Context, entries []string) error {
	for _, e := range entries {
		if err := p.push(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// seedData is what a start-up file loads.
type seedData struct{ Users []user }

var seed seedData

// InitFromFile runs once at start-up: an initialiser with no parameters.
func InitFromFile() {
	for _, u := range seed.Users {
		initUser(u)
	}
}

// initUser is only called by the initialiser.
func initUser(u user) {
	_ = seedDB.QueryRowContext(context.Background(), "SELECT 1 FROM users WHERE id = $1", u.ID).Err()
}

var seedDB *sql.DB

// InitUpload takes a request's data: not an initialiser, whatever its name.
// at most info: the list's origin is not in sight (a parameter, a package variable).
func InitUpload(ctx context.Context, ids []int64) {
	for _, id := range ids {
		_ = seedDB.QueryRowContext(ctx, "SELECT 1 FROM parts WHERE id = $1", id).Err() // want `a database query for every element`
	}
}

// Initiate is a word of its own.
// at most info: the list's origin is not in sight (a parameter, a package variable).
func Initiate() {
	for _, u := range seed.Users {
		_ = seedDB.QueryRowContext(context.Background(), "SELECT 1 FROM users WHERE id = $1", u.ID).Err() // want `a database query for every element`
	}
}

// A handler that asks the profile service once per member the client
// listed: every request multiplies the calls.
func (p *profiles) teamPage(w http.ResponseWriter, r *http.Request) {
	var members []string
	if err := json.NewDecoder(r.Body).Decode(&members); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for _, m := range members {
		if _, err := p.lookup(r.Context(), m); err != nil { // want `an HTTP request \(through \(\*profiles\).lookup\) for every element`
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
	}
}
