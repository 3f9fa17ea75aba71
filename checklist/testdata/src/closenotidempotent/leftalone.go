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
