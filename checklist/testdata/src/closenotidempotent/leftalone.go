package closenotidempotent

// The case below panics on a second call but is not reported: the close
// happens in a helper the Close method calls, and the check reads only the
// method's own body. Following the call would need the program model's
// summaries of channel closes per field, which do not name the field yet.

type Indirect struct{ quit chan struct{} }

func (s *Indirect) Close() error {
	s.stop()
	return nil
}

func (s *Indirect) stop() { close(s.quit) }

// Ticker's Stop closes its channel with no guard, but the one place that
// uses it stops it once, on its way out: nothing in sight runs it twice.
type Ticker struct{ done chan struct{} }

func (t *Ticker) Stop() { close(t.done) }

func tick(t *Ticker) {
	defer t.Stop()
}

// Gate's Close is capped at info, though its guard checks nothing: any
// method of the receiver called in the condition counts as a state check,
// and the check does not read what the method does.
type Gate struct{ quit chan struct{} }

func (g *Gate) ready() bool { return true }

// at most info: ready() is taken for a state check.
func (g *Gate) Close() {
	if g.ready() {
		close(g.quit) // want `Close closes the channel field quit.*\(info: the close sits behind g.ready\(\)`
	}
}

func closeGate(g *Gate) {
	defer g.Close()
	g.Close()
}
