package chanclosedtwice

// The case below closes a channel that stays in its map but is not
// reported: the lookup happens in a getter, and the check only follows a
// channel read directly from a map index or a field in the same function.

type Registry struct{ m map[string]chan struct{} }

func (r *Registry) get(id string) chan struct{} { return r.m[id] }

func (r *Registry) Drop(id string) {
	ch := r.get(id)
	close(ch)
}

// Pool's take calls a helper that stores into the holder map, but under
// another key: the channel taken stays in the map and a second release
// closes it again. Any store into the map by a callee counts as a fresh
// channel for the next cycle.
type Pool struct{ waiters map[string]chan struct{} }

func (p *Pool) touch(id string) { p.waiters[id+"-seen"] = nil }

func (p *Pool) Release(id string) {
	ch := p.waiters[id]
	p.touch(id)
	close(ch)
}
