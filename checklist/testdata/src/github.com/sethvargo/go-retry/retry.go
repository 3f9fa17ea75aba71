// Package retry is a minimal stand-in for github.com/sethvargo/go-retry.
package retry

import (
	"context"
	"time"
)

// Backoff gives the wait before the next attempt.
type Backoff interface{ Next() (time.Duration, bool) }

type constant time.Duration

func (c constant) Next() (time.Duration, bool) { return time.Duration(c), false }

// NewConstant waits d between attempts.
func NewConstant(d time.Duration) Backoff { return constant(d) }

// RetryFunc is the operation retried.
type RetryFunc func(ctx context.Context) error

// RetryableError marks err as worth another attempt.
func RetryableError(err error) error { return err }

// Do runs f until it succeeds or b stops.
func Do(ctx context.Context, b Backoff, f RetryFunc) error { return f(ctx) }
