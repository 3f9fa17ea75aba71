package lockacrossio

import (
	"context"
	"database/sql"
	"net"
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

// A single connection cannot be used concurrently: the mutex exists to
// serialise it, so holding it across the call is the design.
type listener struct {
	mu   sync.Mutex
	conn *sql.Conn
}

func (l *listener) listen(ctx context.Context, topic string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.conn.ExecContext(ctx, "LISTEN "+topic)
	return err
}

// A lazy dial under the lock, so that only one connection is made.
type lazyConn struct {
	mu   sync.Mutex
	addr string
	c    net.Conn
}

func (l *lazyConn) get() (net.Conn, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.c != nil {
		return l.c, nil
	}
	c, err := net.Dial("tcp", l.addr)
	if err != nil {
		return nil, err
	}
	l.c = c
	return c, nil
}
