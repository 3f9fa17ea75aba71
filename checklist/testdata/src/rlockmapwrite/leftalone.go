package rlockmapwrite

import (
	"sync"
	"time"
)

// Upgrade lets go of the read lock before it writes: the usual shape.
func (c *PriceCache) Upgrade(id string) Price {
	c.mu.RLock()
	p, ok := c.prices[id]
	c.mu.RUnlock()
	if ok {
		return p
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.prices[id]; ok {
		return p
	}
	p = c.load(id)
	c.prices[id] = p
	return p
}

// EarlyUpgrade lets go of the read lock inside the miss branch.
func (c *PriceCache) EarlyUpgrade(id string) Price {
	c.mu.RLock()
	p, ok := c.prices[id]
	if !ok {
		c.mu.RUnlock()
		c.mu.Lock()
		c.prices[id] = c.load(id)
		c.mu.Unlock()
		return c.prices[id]
	}
	c.mu.RUnlock()
	return p
}

// Snapshot builds a fresh map under the read lock; the map is its own.
func (c *PriceCache) Snapshot() map[string]Price {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string]Price, len(c.prices))
	for k, v := range c.prices {
		out[k] = v
	}
	return out
}

// Entry has its own lock for its own map.
type Entry struct {
	mu     sync.Mutex
	counts map[string]int
}

// Table guards the set of entries; each entry guards itself.
type Table struct {
	mu      sync.RWMutex
	entries map[string]*Entry
}

// Bump writes an entry's map under the entry's own lock.
func (t *Table) Bump(key, field string) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	e := t.entries[key]
	if e == nil {
		return
	}
	e.mu.Lock()
	e.counts[field]++
	e.mu.Unlock()
}

// Stats writes through a map's values, not the map.
type Stats struct {
	mu   sync.RWMutex
	byID map[string]*Counter
}

// Counter is updated atomically through a pointer.
type Counter struct{ N int64 }

// Add changes a counter the map points to.
func (s *Stats) Add(id string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if c := s.byID[id]; c != nil {
		c.N++
	}
}

// Dual writes under a second, write-only mutex of the same object.
type Dual struct {
	mu      sync.RWMutex
	writeMu sync.Mutex
	seen    map[string]bool
}

// Mark serialises its writes on writeMu.
func (d *Dual) Mark(id string) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	d.seen[id] = true
}

// Later starts a goroutine that takes the write lock itself.
func (c *PriceCache) Later(id string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	go func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.prices[id] = Price{Fetched: time.Now()}
	}()
}

// TouchLocking calls a helper that locks for itself.
func (c *PriceCache) TouchLocking(id string) {
	c.mu.RLock()
	ok := c.prices[id].Amount > 0
	c.mu.RUnlock()
	if ok {
		c.count(id)
	}
}

func (c *PriceCache) count(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hits[id]++
}

// Writer holds the write lock: not a read-locked region.
func (c *PriceCache) Put(id string, p Price) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.prices[id] = p
}
