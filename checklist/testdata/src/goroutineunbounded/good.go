package goroutineunbounded

import (
	"context"
	"net/http"
	"sync"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"
)

// errgroup with a limit.
func limitedGroup(ctx context.Context, items []item) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for _, it := range items {
		g.Go(func() error { return process(ctx, it) })
	}
	return g.Wait()
}

// A buffered channel as a semaphore.
func semChan(ctx context.Context, items []item) {
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, it := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			_ = process(ctx, it)
		}()
	}
	wg.Wait()
}

// A weighted semaphore.
func weighted(ctx context.Context, items []item) error {
	sem := semaphore.NewWeighted(4)
	for _, it := range items {
		if err := sem.Acquire(ctx, 1); err != nil {
			return err
		}
		go func() {
			defer sem.Release(1)
			_ = process(ctx, it)
		}()
	}
	return sem.Acquire(ctx, 4)
}

// A fixed pool of workers reading a channel.
func pool(ctx context.Context, items []item, workers int) {
	jobs := make(chan item)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range jobs {
				_ = process(ctx, it)
			}
		}()
	}
	for _, it := range items {
		jobs <- it
	}
	close(jobs)
	wg.Wait()
}

// The same pool written with range over an int.
func pool2(ctx context.Context, jobs <-chan item, n int) {
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for it := range jobs {
				_ = process(ctx, it)
			}
		})
	}
	wg.Wait()
}

// A fixed list of servers.
func serveBoth(api, admin *http.Server) {
	for _, s := range []*http.Server{api, admin} {
		go s.ListenAndServe()
	}
}

// Started once, then the loop ends.
func firstMatch(ctx context.Context, items []item) {
	for _, it := range items {
		if it.id == 7 {
			go process(ctx, it)
			break
		}
	}
}

// A group that arrives configured.
func withGroup(ctx context.Context, g *errgroup.Group, items []item) {
	for _, it := range items {
		g.Go(func() error { return process(ctx, it) })
	}
}
