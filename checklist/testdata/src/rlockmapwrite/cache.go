package rlockmapwrite

import (
	"sync"
	"time"
)

// Price is a quote cached per product.
type Price struct {
	Amount  int64
	Fetched time.Time
}

// PriceCache keeps the last quote of each product.
type PriceCache struct {
	mu     sync.RWMutex
	prices map[string]Price
	hits   map[string]int
	load   func(string) Price
}

// Get fills the cache on a miss while it holds only the read lock.
func (c *PriceCache) Get(id string) Price {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.prices[id]
	if !ok {
		p = c.load(id)
		c.prices[id] = p // want `only the read lock c.mu.RLock\(\) is held here, so two goroutines can write the map c.prices`
	}
	c.hits[id]++ // want `write the map c.hits`
	return p
}

// Expire drops a stale quote it found under the read lock.
func (c *PriceCache) Expire(id string, maxAge time.Duration) bool {
	c.mu.RLock()
	p, ok := c.prices[id]
	if ok && time.Since(p.Fetched) > maxAge {
		delete(c.prices, id) // want `write the map c.prices`
	}
	c.mu.RUnlock()
	return ok
}

// Touch calls a helper that expects the write lock.
func (c *PriceCache) Touch(id string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if _, ok := c.prices[id]; ok {
		c.countLocked(id) // want `countLocked writes the map c.hits`
	}
}

func (c *PriceCache) countLocked(id string) {
	c.hits[id]++
}

// Registry embeds its mutex.
type Registry struct {
	sync.RWMutex
	byName map[string]string
}

// Resolve records an alias while only read-locked.
func (r *Registry) Resolve(name string) string {
	r.RLock()
	defer r.RUnlock()
	if v, ok := r.byName[name]; ok {
		return v
	}
	r.byName[name] = name // want `write the map r.byName`
	return name
}

var (
	sessionsMu sync.RWMutex
	sessions   = map[string]time.Time{}
)

// Seen refreshes a session's last-seen time under the package's read lock.
func Seen(id string) {
	sessionsMu.RLock()
	defer sessionsMu.RUnlock()
	if _, ok := sessions[id]; ok {
		sessions[id] = time.Now() // want `write the map sessions`
	}
}
