package goroutinesharedwrite

import (
	"context"
	"sync"
)

// What goroutine-shared-write leaves alone: a lock around the write, a
// slot per goroutine, results sent on a channel, variables of the literal,
// and a single goroutine.

// Silent: a mutex guards the append.
func pushLocked(ctx context.Context, tokens []string) []string {
	var (
		mu     sync.Mutex
		failed []string
		wg     sync.WaitGroup
	)
	for _, token := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := push(ctx, token); err != nil {
				mu.Lock()
				failed = append(failed, token)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return failed
}

// Silent: each goroutine writes its own element.
func pushSlots(ctx context.Context, tokens []string) []error {
	errs := make([]error, len(tokens))
	var wg sync.WaitGroup
	for i, token := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = push(ctx, token)
		}()
	}
	wg.Wait()
	return errs
}

// Silent: results go through a channel.
func pushChan(ctx context.Context, tokens []string) []string {
	ch := make(chan string, len(tokens))
	for _, token := range tokens {
		go func() {
			if err := push(ctx, token); err != nil {
				ch <- token
			}
		}()
	}
	var failed []string
	for range tokens {
		failed = append(failed, <-ch)
	}
	return failed
}

// Silent: the slice belongs to the literal.
func pushLocal(ctx context.Context, tokens []string) {
	for _, token := range tokens {
		go func() {
			var tried []string
			tried = append(tried, token)
			_ = push(ctx, tried[0])
		}()
	}
}

// Silent: one goroutine, no loop.
func pushOne(ctx context.Context, token string) []string {
	var failed []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		if push(ctx, token) != nil {
			failed = append(failed, token)
		}
	}()
	<-done
	return failed
}
