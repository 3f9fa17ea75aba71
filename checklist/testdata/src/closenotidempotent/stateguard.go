package closenotidempotent

// Service runs a checker loop until its channel is closed.
type Service struct {
	running chan bool
}

// IsRunning reads the channel: a closed one is not running.
func (s *Service) IsRunning() bool {
	if s.running == nil {
		return false
	}
	select {
	case <-s.running:
		return false
	default:
		return true
	}
}

// at most info: Close is guarded by IsRunning, which reads the channel in a
// select with a default; a second Close in sequence does not close again.
func (s *Service) Close() {
	if s.IsRunning() {
		close(s.running) // want `Close closes the channel field running with no guard against a second call.*\(info: the close sits behind s.IsRunning\(\)`
	}
}

// restart closes the service before starting it again, and on the way out.
func restart(s *Service) {
	defer s.Close()
	s.Close()
}

type state int

const (
	idle state = iota
	running
	exited
)

// Watcher moves a state machine held in a one-slot channel.
type Watcher struct {
	state  chan state
	exitCh chan struct{}
}

// at most info: the first Stop moves Idle to Exited, so a second Stop
// takes the default branch and never reaches the close again.
func (w *Watcher) Stop() {
	st := <-w.state
	switch st {
	case idle:
		w.state <- exited
		close(w.exitCh) // want `Stop closes the channel field exitCh.*\(info: the close sits behind switch st`
		return
	default:
		w.state <- st
	}
}

// stopTwice stops the watcher from two owners.
func stopTwice(w *Watcher) {
	defer w.Stop()
	w.Stop()
}
