package lockacrossio

import (
	"context"
	"database/sql"
	"net/http"
	"sync"
)

// geoAPI answers requests with a lookup in a remote service.
type geoAPI struct {
	mu       sync.Mutex
	hc       *http.Client
	db       *sql.DB
	upstream string
	hits     int
}

// handleLookup holds the server-wide mutex across the upstream call:
// every request waits for the one in flight.
func (g *geoAPI) handleLookup(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.hits++
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, g.upstream+"?ip="+r.RemoteAddr, nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	resp, err := g.hc.Do(req) // want `an HTTP call while g.mu is held`
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	_ = resp.Body.Close()
}

// handleCount calls a method that holds the mutex across a query.
func (g *geoAPI) handleCount(w http.ResponseWriter, r *http.Request) {
	n, err := g.count(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	_, _ = w.Write([]byte{byte(n)})
}

// count is called directly by a handler: its lock is on the request path.
func (g *geoAPI) count(ctx context.Context) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	var n int
	err := g.db.QueryRowContext(ctx, "SELECT count(*) FROM lookups").Scan(&n) // want `a database call while g.mu is held`
	return n, err
}

// at most info: a mutex of the handler's own, shared with nobody else.
func (g *geoAPI) handleBatch(w http.ResponseWriter, r *http.Request) {
	var mu sync.Mutex
	mu.Lock()
	resp, err := g.hc.Get(g.upstream) // want `the mutex is the function's own`
	mu.Unlock()
	if err == nil {
		_ = resp.Body.Close()
	}
}

// handleSync holds the server-wide mutex across three calls: one finding
// for the critical section, at its first call.
func (g *geoAPI) handleSync(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, err := g.db.ExecContext(r.Context(), "DELETE FROM lookups"); err != nil { // want `a database call while g.mu is held.*one finding for the 3 calls made while g.mu is held`
		return
	}
	if _, err := g.db.ExecContext(r.Context(), "INSERT INTO lookups SELECT 1"); err != nil {
		return
	}
	resp, err := g.hc.Get(g.upstream)
	if err == nil {
		_ = resp.Body.Close()
	}
}
