package locknotreleased

// The cases below are left alone by design, and a real defect can hide in
// them. A function that locks and never unlocks is taken for a lock helper
// whose caller unlocks (lockFor below), though it may simply have forgotten;
// a mutex handed in by pointer and locked through it is judged like a field;
// and a lock released by a helper (c.unlock()) rather than by Unlock itself
// counts as not released on that path, so such code is reported.

// lockFor returns with the mutex held: its caller unlocks.
func (c *Counter) lockFor(k string) int {
	c.mu.Lock()
	return c.n[k]
}

// Reset unlocks through a helper on the early return: reported, though the
// helper releases it.
func (c *Counter) Reset(k string) {
	c.mu.Lock() // want `c.mu.Lock\(\) is released by hand, but the return on line 22 leaves it locked`
	if _, ok := c.n[k]; !ok {
		c.unlock()
		return
	}
	delete(c.n, k)
	c.mu.Unlock()
}

func (c *Counter) unlock() { c.mu.Unlock() }
