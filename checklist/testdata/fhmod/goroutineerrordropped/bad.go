// Package goroutineerrordropped holds goroutines that lose errors, and
// goroutines that report them.
package goroutineerrordropped

import (
	"context"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"
	"k8s.io/apimachinery/pkg/util/wait"
)

// Syncer copies data in the background.
type Syncer struct{ every time.Duration }

func (s *Syncer) sync(ctx context.Context) error { return ctx.Err() }

func (s *Syncer) process(ctx context.Context, id int) error { return ctx.Err() }

// Metrics starts a server whose bind error vanishes.
func Metrics(srv *http.Server) {
	go srv.ListenAndServe() // want `this go statement drops the error srv.ListenAndServe returns`
}

// Start drops the error inside a closure.
func (s *Syncer) Start(ctx context.Context) {
	go func() {
		s.sync(ctx) // want `this goroutine drops the error of s.sync`
	}()
}

// Workers return on error without telling anyone.
func (s *Syncer) Workers(ctx context.Context, ids <-chan int) {
	for i := 0; i < 4; i++ {
		go func() {
			for id := range ids {
				if err := s.process(ctx, id); err != nil { // want `this goroutine returns on err without reporting it`
					return
				}
			}
		}()
	}
}

// Kick starts a method value through a variable.
func (s *Syncer) Kick(ctx context.Context) {
	run := s.sync
	go run(ctx) // want `this go statement drops the error run returns`
}

// Loop runs a closure that returns an error.
func (s *Syncer) Loop(ctx context.Context) {
	tick := func() error {
		t := time.NewTicker(s.every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-t.C:
				if err := s.sync(ctx); err != nil {
					return err
				}
			}
		}
	}
	go tick() // want `this go statement drops the error tick returns`
}

// The group's functions return their errors to Wait, and the goroutine
// drops what Wait hands back.
func (s *Syncer) RefreshQuietly(ctx context.Context, ids []int) {
	go func() {
		g, gctx := errgroup.WithContext(ctx)
		for _, id := range ids {
			g.Go(func() error { return s.process(gctx, id) })
		}
		if err := g.Wait(); err != nil { // want `this goroutine returns on err without reporting it`
			return
		}
	}()
}

// A poller whose condition can fail: that failure is lost.
func (s *Syncer) Probe(ctx context.Context, stop <-chan struct{}) {
	go wait.PollImmediateUntil(s.every, func() (bool, error) { // want `this go statement drops the error wait.PollImmediateUntil returns`
		if err := s.sync(ctx); err != nil {
			return false, err
		}
		return true, nil
	}, stop)
}

// setup sounds like a setter but does the work.
func (s *Syncer) setupMirror(ctx context.Context) error { return s.sync(ctx) }

func (s *Syncer) StartMirror(ctx context.Context) {
	go s.setupMirror(ctx) // want `this go statement drops the error s.setupMirror returns`
}
