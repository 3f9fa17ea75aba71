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
