package chanclosedtwice

import "sync"

type Broker struct {
	mu   sync.Mutex
	subs map[string]chan []byte
}

// Unsubscribe closes the channel but leaves it in the map.
func (b *Broker) Unsubscribe(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if ch, ok := b.subs[id]; ok {
		close(ch) // want `closes ch, taken from the map b.subs that still holds it`
	}
}

type Job struct {
	done chan struct{}
}

// Finish reads the field into a local and closes it, leaving the field set.
func (j *Job) Finish() {
	ch := j.done
	close(ch) // want `closes ch, taken from the field j.done that still holds it`
}

var waiters = map[int]chan struct{}{}

// Wake closes a waiter found in a package-level map.
func Wake(id int) {
	w := waiters[id]
	close(w) // want `taken from the map waiters`
}

// jobs takes a job's channel and calls a helper that only logs: the
// channel stays in the map, and a second finish closes it again.
type jobs struct {
	done map[string]chan struct{}
	seen map[string]int
}

func (j *jobs) note(id string) { j.seen[id]++ }

func (j *jobs) finish(id string) {
	ch := j.done[id]
	j.note(id)
	close(ch) // want `closes ch, taken from the map j.done that still holds it`
}

// awaitToken closes results in a defer and again in the clean-up defer: the
// second close panics on every return.
func awaitToken(srv interface{ Close() error }) {
	results := make(chan string)
	defer close(results)
	defer func() {
		_ = srv.Close()
		close(results) // want `results is closed by two deferred calls in this function \(the first at line \d+\)`
	}()
}

// runSync closes done when the queue runs dry and again on an interrupt:
// a late interrupt closes it twice.
func runSync(queue chan string, signals chan struct{}) {
	done := make(chan struct{})
	go func() {
		for range queue {
		}
		close(done)
	}()
	select {
	case <-signals:
		close(done) // want `closes done, which another goroutine of this function closes too`
	case <-done:
	}
}
