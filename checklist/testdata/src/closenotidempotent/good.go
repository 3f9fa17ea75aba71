package closenotidempotent

import (
	"os"
	"sync"
	"sync/atomic"
)

type OnceServer struct {
	quit      chan struct{}
	closeOnce sync.Once
}

// A sync.Once guards the close.
func (s *OnceServer) Close() error {
	s.closeOnce.Do(func() { close(s.quit) })
	return nil
}

type FlagServer struct {
	mu     sync.Mutex
	closed bool
	quit   chan struct{}
}

// A closed flag checked under the lock.
func (s *FlagServer) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	close(s.quit)
	return nil
}

type NilRecorder struct{ f *os.File }

// A nil check before closing.
func (r *NilRecorder) Stop() error {
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}

type SelectStopper struct{ done chan struct{} }

// A select that sees the channel already closed.
func (s *SelectStopper) Stop() {
	select {
	case <-s.done:
		return
	default:
		close(s.done)
	}
}

type AtomicStopper struct {
	stopped atomic.Bool
	done    chan struct{}
}

// An atomic swap lets only the first call through.
func (s *AtomicStopper) Stop() {
	if s.stopped.Swap(true) {
		return
	}
	close(s.done)
}

type Plain struct{ f *os.File }

// Closing a file field without nil'ing it returns an error the second time,
// it does not panic.
func (p *Plain) Close() error { return p.f.Close() }

// A function that is not Close, Stop or Shutdown is not assumed to run twice.
func (s *OnceServer) finish() { close(s.quit) }
