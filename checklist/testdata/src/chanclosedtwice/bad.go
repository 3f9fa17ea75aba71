package chanclosedtwice

import "sync"

type Broker struct {
	mu   sync.Mutex
	subs map[string]chan []byte
}

// Unsubscribe closes the channel but leaves it in the map: at most info,
// since a second call for the same key is not in sight.
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

// Finish reads the field into a local and closes it, leaving the field set
// (at most info).
func (j *Job) Finish() {
	ch := j.done
	close(ch) // want `closes ch, taken from the field j.done that still holds it`
}

var waiters = map[int]chan struct{}{}

// Wake closes a waiter found in a package-level map (at most info).
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

// finish: at most info.
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
// a late interrupt closes it twice (at most info: whether both run is not
// in sight).
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

// relist restarts a background relist on each round, and the goroutine
// closes the variable, not the channel it started with: a round that
// times out waiting leaves an old goroutine that closes the next round's
// channel, which that round's goroutine closes again.
func relist(rounds <-chan struct{}, replay func()) {
	waitDone := make(chan struct{})
	close(waitDone)
	for range rounds {
		<-waitDone
		waitDone = make(chan struct{})
		go func() {
			replay()
			close(waitDone) // want `this goroutine closes the variable waitDone, which the function points at a new channel \(line \d+\)`
		}()
	}
}
