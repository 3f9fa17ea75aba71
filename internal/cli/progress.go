package cli

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress shows, on a terminal's stderr, what a long load or check is
// doing: nothing for the first two seconds, then one line rewritten in place
// ("loading packages… 5s", "37 packages loaded; checking… 9s"), cleared
// when the work ends. It is built only for a terminal without --quiet;
// elsewhere the caller keeps a nil *progress, whose methods do nothing.
type progress struct {
	w     io.Writer
	start time.Time
	delay time.Duration
	every time.Duration
	now   func() time.Time

	mu     sync.Mutex
	loaded int
	done   bool
	shown  bool
	stop   chan struct{}
	exited chan struct{}
}

// newProgress returns a running progress line for env, or nil when stderr
// is no terminal or quiet is set.
func newProgress(env *Env, quiet bool) *progress {
	if quiet || !env.StderrIsTerminal {
		return nil
	}
	p := &progress{w: env.Stderr, delay: 2 * time.Second, every: time.Second, now: time.Now}
	p.run()
	return p
}

func (p *progress) run() {
	p.start = p.now()
	p.stop = make(chan struct{})
	p.exited = make(chan struct{})
	go func() {
		defer close(p.exited)
		t := time.NewTicker(p.every)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.tick()
			}
		}
	}()
}

// Loaded records that n more packages finished loading (type-checking
// starts then).
func (p *progress) Loaded(n int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.loaded += n
	p.mu.Unlock()
}

// tick redraws the line once the delay has passed.
func (p *progress) tick() {
	p.mu.Lock()
	defer p.mu.Unlock()
	elapsed := p.now().Sub(p.start)
	if p.done || elapsed < p.delay {
		return
	}
	msg := "loading packages…"
	if p.loaded > 0 {
		msg = fmt.Sprintf("%d package(s) loaded; checking…", p.loaded)
	}
	fmt.Fprintf(p.w, "\r\033[Kprodready: %s %s", msg, elapsed.Truncate(time.Second))
	p.shown = true
}

// Done stops the line and clears it, so the report starts on a clean line.
func (p *progress) Done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	if p.done {
		p.mu.Unlock()
		return
	}
	p.done = true
	shown := p.shown
	p.mu.Unlock()
	close(p.stop)
	<-p.exited
	if shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
