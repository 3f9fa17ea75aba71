// Package locknotreleased holds locks released by hand on some paths only.
package locknotreleased

import (
	"context"
	"errors"
	"sync"
)

type backend interface {
	Subscribe(ctx context.Context, ch string) error
}

// Session tracks a client's subscriptions.
type Session struct {
	mu      sync.Mutex
	subs    map[string]bool
	backend backend
}

// Subscribe returns on the backend's failure with the session locked.
func (s *Session) Subscribe(ctx context.Context, ch string) error {
	s.mu.Lock() // want `s.mu.Lock\(\) is released by hand, but the return on line 25 leaves it locked`
	if err := s.backend.Subscribe(ctx, ch); err != nil {
		return err
	}
	s.subs[ch] = true
	s.mu.Unlock()
	return nil
}

// Registry reads under a read lock.
type Registry struct {
	sync.RWMutex
	hosts map[string]int
}

var errUnknown = errors.New("unknown host")

// Port forgets the read lock when the host is unknown.
func (r *Registry) Port(host string) (int, error) {
	r.RLock() // want `r.RLock\(\) is released by hand, but the return on line 45 leaves it locked`
	p, ok := r.hosts[host]
	if !ok {
		return 0, errUnknown
	}
	r.RUnlock()
	return p, nil
}
