package closenotidempotent

import (
	"net"
	"os"
)

type Server struct {
	quit chan struct{}
	ln   net.Listener
}

// Close closes a channel field: a second Close panics.
func (s *Server) Close() error {
	close(s.quit) // want `Close closes the channel field quit with no guard against a second call`
	return s.ln.Close()
}

type Recorder struct {
	f *os.File
}

// Stop closes the file and forgets it: a second Stop calls Close on nil.
func (r *Recorder) Stop() error {
	err := r.f.Close() // want `Stop closes f and sets it to nil`
	r.f = nil
	return err
}

type Pool struct {
	done chan bool
}

// Shutdown with a value receiver still closes the shared channel; only a
// hand-off to a supervisor makes a second call plausible, so at most info.
func (p Pool) Shutdown() {
	close(p.done) // want `Shutdown closes the channel field done.*info: a second call is plausible only because`
}

// serve closes the server on its way out and again when told to stop.
func serve(s *Server, stop <-chan struct{}) {
	defer s.Close()
	<-stop
	_ = s.Close()
}

// record stops the recorder from two owners.
func record(r *Recorder, failed bool) {
	if failed {
		_ = r.Stop()
	}
	_ = r.Stop()
}

// shutdowner is what a supervisor shuts down.
type shutdowner interface{ Shutdown() }

func supervise(s shutdowner) { s.Shutdown() }

// start hands the pool to the supervisor, which shuts it down.
func start(p Pool) { supervise(p) }
