package lockacrossio

import (
	"context"
	"database/sql"
	"net/http"
	"sync"
)

type tokenSource struct {
	mu    sync.Mutex
	hc    *http.Client
	token string
}

// Deferred unlock: held for the whole request.
// at most info: no request handler of the package reaches it.
func (t *tokenSource) refresh(req *http.Request) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	resp, err := t.hc.Do(req) // want `an HTTP call while t.mu is held`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

type cache struct {
	sync.RWMutex
	db   *sql.DB
	vals map[string]string
}

// An embedded RWMutex, read-locked across a query.
// at most info: no request handler of the package reaches it.
func (c *cache) get(ctx context.Context, k string) (string, error) {
	c.RLock()
	v, ok := c.vals[k]
	if !ok {
		if err := c.db.QueryRowContext(ctx, "SELECT v FROM kv WHERE k = $1", k).Scan(&v); err != nil { // want `a database call while c is held`
			c.RUnlock()
			return "", err
		}
	}
	c.RUnlock()
	return v, nil
}

var (
	mu     sync.Mutex
	shared = &http.Client{}
)

// A package-level mutex around a client's request.
// at most info: no request handler of the package reaches it.
func ping(u string) error {
	mu.Lock()
	resp, err := shared.Get(u) // want `an HTTP call while mu is held`
	mu.Unlock()
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Unlocked in a deferred closure.
// at most info: no request handler of the package reaches it.
func (c *cache) store(ctx context.Context, k, v string) error {
	c.Lock()
	defer func() {
		c.Unlock()
	}()
	c.vals[k] = v
	_, err := c.db.ExecContext(ctx, "INSERT INTO kv (k, v) VALUES ($1, $2)", k, v) // want `a database call while c is held`
	return err
}
