package chanclosedtwice

import (
	"strconv"
	"sync"
	"sync/atomic"
)

type SafeBroker struct {
	mu   sync.Mutex
	subs map[string]chan []byte
}

// The channel leaves the map before it is closed.
func (b *SafeBroker) Unsubscribe(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if ch, ok := b.subs[id]; ok {
		delete(b.subs, id)
		close(ch)
	}
}

type SafeJob struct {
	once sync.Once
	done chan struct{}
}

// The field is reset under the same lock.
func (j *SafeJob) Finish(mu *sync.Mutex) {
	mu.Lock()
	ch := j.done
	j.done = nil
	mu.Unlock()
	if ch != nil {
		close(ch)
	}
}

// A sync.Once guards the close of the field.
func (j *SafeJob) Cancel() {
	j.once.Do(func() {
		ch := j.done
		close(ch)
	})
}

// A channel made here is closed here.
func produce() <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		ch <- 1
	}()
	return ch
}

// cycleMonitor hands out one channel per engine cycle: startNextCycle takes
// the current cycle's channel and newCycle installs a fresh one under a new
// id, so the closure closes each channel once.
type cycleMonitor struct {
	mu      sync.Mutex
	history [3]string
	cycles  map[string]chan struct{}
	next    int
}

func (c *cycleMonitor) newCycle() {
	delete(c.cycles, c.history[len(c.history)-1])
	copy(c.history[1:], c.history[:])
	c.next++
	c.history[0] = strconv.Itoa(c.next)
	c.cycles[c.history[0]] = make(chan struct{})
}

func (c *cycleMonitor) startNextCycle() func() {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := c.cycles[c.history[0]]
	c.newCycle()
	return func() { close(ch) }
}

// awaitOnce closes results in one deferred clean-up only.
func awaitOnce(srv interface{ Close() error }) {
	results := make(chan string)
	done := make(chan struct{})
	defer close(done)
	defer func() {
		_ = srv.Close()
		close(results)
	}()
}

// awaitMaybe closes results in a defer, and the clean-up closes it only
// behind a condition of its own, which the check does not judge.
func awaitMaybe(srv interface{ Close() error }, open bool) {
	results := make(chan string)
	defer close(results)
	defer func() {
		if !open {
			_ = srv.Close()
		}
	}()
}

// runSyncOnce closes done through one sync.Once from both goroutines.
func runSyncOnce(queue chan string, signals chan struct{}) {
	done := make(chan struct{})
	var once sync.Once
	stop := func() { once.Do(func() { close(done) }) }
	go func() {
		for range queue {
		}
		stop()
	}()
	select {
	case <-signals:
		stop()
	case <-done:
	}
}

// runSyncGuarded closes done only if it is still open.
func runSyncGuarded(queue chan string, signals chan struct{}, mu *sync.Mutex) {
	done := make(chan struct{})
	closeDone := func() {
		mu.Lock()
		defer mu.Unlock()
		select {
		case <-done:
		default:
			close(done)
		}
	}
	go func() {
		for range queue {
		}
		closeDone()
	}()
	<-signals
	closeDone()
}

// finish closes out in one of two exclusive branches of one goroutine.
func finish(out chan int, ok bool) {
	if ok {
		close(out)
		return
	}
	out <- -1
	close(out)
}

// startMonitor closes done from the monitor's goroutine when there is a
// monitor, and at once when there is none: exclusive arms of one if.
func startMonitor(run func()) chan struct{} {
	done := make(chan struct{})
	if run != nil {
		go func() {
			defer close(done)
			run()
		}()
	} else {
		close(done)
	}
	return done
}

// LogWatcher closes done when the second of its two readers finishes: an
// atomic counter lets exactly one of them close it.
type LogWatcher struct {
	finished atomic.Int32
	done     chan struct{}
}

// Watch starts both readers.
func (l *LogWatcher) Watch(out, errs <-chan string) {
	go func() {
		for range out {
		}
		if l.finished.Add(1) == 2 {
			close(l.done)
		}
	}()
	go func() {
		for range errs {
		}
		if l.finished.Add(1) == 2 {
			close(l.done)
		}
	}()
}

// watchState is one stream's watchdog.
type watchState struct {
	cancel  func()
	stopped chan struct{}
}

// startWatch makes a fresh state per call, so the channel its goroutine
// closes is this call's own.
func startWatch(run func(), cancel func()) *watchState {
	state := &watchState{cancel: cancel, stopped: make(chan struct{})}
	stoppedDone := state.stopped
	go func() {
		defer close(stoppedDone)
		run()
	}()
	return state
}

// relistOnce hands each round's channel to its goroutine as an argument:
// reassigning the variable does not change what an old goroutine closes.
func relistOnce(rounds <-chan struct{}, replay func()) {
	waitDone := make(chan struct{})
	close(waitDone)
	for range rounds {
		<-waitDone
		waitDone = make(chan struct{})
		go func(done chan struct{}) {
			replay()
			close(done)
		}(waitDone)
	}
}

// startOnce starts one goroutine that closes a variable nothing assigns
// again.
func startOnce(run func()) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		run()
		close(done)
	}()
	return done
}
