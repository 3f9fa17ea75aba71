package locknotreleased

import (
	"errors"
	"sync"
)

// Counter is released by defer.
type Counter struct {
	mu sync.Mutex
	n  map[string]int
}

// Inc defers the Unlock.
func (c *Counter) Inc(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[k]++
	return c.n[k]
}

// Get unlocks before every return.
func (c *Counter) Get(k string) (int, bool) {
	c.mu.Lock()
	v, ok := c.n[k]
	if !ok {
		c.mu.Unlock()
		return 0, false
	}
	c.mu.Unlock()
	return v, true
}

// Cached reads under the read lock, then takes the write lock to fill.
func (r *Registry) Cached(host string, fill func() int) int {
	r.RLock()
	if p, ok := r.hosts[host]; ok {
		r.RUnlock()
		return p
	}
	r.RUnlock()
	r.Lock()
	defer r.Unlock()
	p := fill()
	r.hosts[host] = p
	return p
}

// Drain unlocks inside the loop on each way out of it.
func (c *Counter) Drain(keys []string) int {
	total := 0
	for _, k := range keys {
		c.mu.Lock()
		v, ok := c.n[k]
		if !ok {
			c.mu.Unlock()
			continue
		}
		delete(c.n, k)
		c.mu.Unlock()
		total += v
	}
	return total
}

// Must panics with the lock held: a panic is not a return.
func (c *Counter) Must(k string) int {
	c.mu.Lock()
	v, ok := c.n[k]
	if !ok {
		panic("missing " + k)
	}
	c.mu.Unlock()
	return v
}

var errClosed = errors.New("closed")

// acquire returns with c.mu held on success, for its caller to unlock; it
// unlocks on its failure itself.
func (c *Counter) acquire(closed bool) (map[string]int, error) {
	c.mu.Lock()
	if closed {
		c.mu.Unlock()
		return nil, errClosed
	}
	return c.n, nil
}

// connLocks hands out per-connection locks.
type connLocks struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// acquire returns the connection's lock held; the caller must unlock it.
// It unlocks by hand only when the lock went stale while it waited.
func (c *connLocks) acquire(name string) (*sync.Mutex, bool) {
	for {
		c.mu.Lock()
		l, ok := c.locks[name]
		c.mu.Unlock()
		if !ok {
			return nil, false
		}
		l.Lock()
		c.mu.Lock()
		current := c.locks[name] == l
		c.mu.Unlock()
		if current {
			return l, true
		}
		l.Unlock()
	}
}

// podCache refreshes a pod under a lock its caller holds.
type podCache struct {
	mu  sync.Mutex
	pod *string
}

// refresh is called with c.mu held: it lets the lock go around the slow
// list and takes it back for the caller, which unlocks it.
func (c *podCache) refresh(list func() (string, error)) (string, error) {
	if c.pod != nil {
		return *c.pod, nil
	}
	c.mu.Unlock()
	p, err := list()
	c.mu.Lock()
	if err != nil {
		return "", err
	}
	c.pod = &p
	return p, nil
}
