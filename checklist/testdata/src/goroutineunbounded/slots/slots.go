// Package slots starts a goroutine per message through a helper that may
// take a semaphore slot first.
package slots

import (
	"context"
	"net/http"
)

type job struct{ URL string }

type filler struct {
	hc    *http.Client
	slots chan struct{}
}

// fetch starts one goroutine per call.
func (f *filler) fetch(ctx context.Context, j job) {
	f.slots <- struct{}{}
	go func() {
		defer func() { <-f.slots }()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.URL, nil)
		if err != nil {
			return
		}
		if resp, err := f.hc.Do(req); err == nil {
			_ = resp.Body.Close()
		}
	}()
}

// Silent: the helper takes a slot of the semaphore before its goroutine.
func (f *filler) consume(ctx context.Context, jobs <-chan job) {
	for j := range jobs {
		f.fetch(ctx, j)
	}
}

// Run consumes the jobs for the process's life.
func Run(ctx context.Context, f *filler, jobs <-chan job) {
	go f.consume(ctx, jobs)
}
