// Package goroutinesharedwrite starts goroutines per item that write what
// they share.
package goroutinesharedwrite

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"golang.org/x/sync/errgroup"
)

type result struct{ Logs []string }

func push(ctx context.Context, token string) error { return errors.New(token) }

// Appends to a slice of the enclosing function from a goroutine per token.
func pushAll(ctx context.Context, tokens []string) []string {
	var failed []string
	var wg sync.WaitGroup
	for _, token := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := push(ctx, token); err != nil {
				failed = append(failed, token) // want "`failed` is written by a goroutine started for every iteration, with no lock: the goroutines write it at once, so appends overwrite each other"
			}
		}()
	}
	wg.Wait()
	return failed
}

// Appends to a field of a variable of the enclosing function.
func pushLogged(ctx context.Context, tokens []string) *result {
	res := &result{}
	var wg sync.WaitGroup
	for _, token := range tokens {
		wg.Add(1)
		go func(t string) {
			defer wg.Done()
			if err := push(ctx, t); err != nil {
				res.Logs = append(res.Logs, err.Error()) // want "`res.Logs` is written by a goroutine"
			}
		}(token)
	}
	wg.Wait()
	return res
}

// Writes a map from errgroup goroutines: a fatal error.
func fetchAll(ctx context.Context, urls []string) (map[string]int, error) {
	codes := map[string]int{}
	g, ctx := errgroup.WithContext(ctx)
	for _, u := range urls {
		g.Go(func() error {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			if err != nil {
				return err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			codes[u] = resp.StatusCode // want "`codes` is written by a goroutine started for every iteration, with no lock: the goroutines write it at once, so concurrent map writes"
			return resp.Body.Close()
		})
	}
	return codes, g.Wait()
}

// Counts from a goroutine per item.
func countFailures(ctx context.Context, tokens []string) int {
	n := 0
	var wg sync.WaitGroup
	for _, token := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if push(ctx, token) != nil {
				n++ // want "`n` is written by a goroutine started for every iteration, with no lock: the goroutines write it at once, so increments are lost"
			}
		}()
	}
	wg.Wait()
	return n
}
