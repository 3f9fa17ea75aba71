package lockacrossio

import (
	"context"
	"net/http"
	"sync"
)

// Copy under the lock, call without it, store under it.
func (t *tokenSource) refreshed(ctx context.Context, url string) error {
	t.mu.Lock()
	old := t.token
	t.mu.Unlock()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+old)
	resp, err := t.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()

	t.mu.Lock()
	t.token = resp.Header.Get("X-Token")
	t.mu.Unlock()
	return nil
}

// The goroutine started under the lock runs outside it.
func (c *cache) warm(ctx context.Context, keys []string) {
	c.Lock()
	defer c.Unlock()
	for _, k := range keys {
		c.vals[k] = ""
	}
	go func() {
		_, _ = c.db.ExecContext(ctx, "SELECT 1")
	}()
}

// A closure built under the lock runs later.
type lazy struct {
	mu   sync.Mutex
	hc   *http.Client
	load func(*http.Request) (*http.Response, error)
}

func (l *lazy) init() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.load = func(r *http.Request) (*http.Response, error) { return l.hc.Do(r) }
}

// Pure in-memory work under the lock.
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) inc(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[k]++
	return c.n[k]
}
