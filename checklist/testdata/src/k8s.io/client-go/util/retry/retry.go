// Package retry is a minimal stand-in for k8s.io/client-go/util/retry.
package retry

import "time"

// Backoff is the wait schedule (wait.Backoff in the real package).
type Backoff struct {
	Duration time.Duration
	Steps    int
}

// DefaultRetry is the default schedule.
var DefaultRetry = Backoff{Duration: 10 * time.Millisecond, Steps: 5}

// RetryOnConflict runs fn again while it returns a conflict error.
func RetryOnConflict(backoff Backoff, fn func() error) error { return fn() }

// OnError runs fn again while retriable says its error is worth it.
func OnError(backoff Backoff, retriable func(error) bool, fn func() error) error { return fn() }
