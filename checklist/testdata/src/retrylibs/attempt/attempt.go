// Package attempt is a module's own retry helper, named for neither retry
// nor backoff.
package attempt

import (
	"context"
	"time"
)

// Do runs fn up to n times until it succeeds.
func Do(ctx context.Context, n int, fn func(context.Context) error) error {
	var err error
	for attempt := 1; attempt <= n; attempt++ {
		if err = fn(ctx); err == nil {
			return nil
		}
		time.Sleep(time.Duration(attempt) * 100 * time.Millisecond)
	}
	return err
}

// Each runs fn once for every item.
func Each(ctx context.Context, items []string, fn func(context.Context, string) error) error {
	for _, it := range items {
		if err := fn(ctx, it); err != nil {
			return err
		}
	}
	return nil
}
