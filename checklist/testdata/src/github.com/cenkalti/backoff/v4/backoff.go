// Package backoff is a minimal stand-in for github.com/cenkalti/backoff/v4.
package backoff

import "time"

// BackOff gives the wait before the next attempt.
type BackOff interface{ NextBackOff() time.Duration }

// Stop means no more retries.
const Stop time.Duration = -1

// Operation is retried until it returns nil.
type Operation func() error

// ExponentialBackOff doubles its wait.
type ExponentialBackOff struct{}

// NextBackOff returns the next wait.
func (b *ExponentialBackOff) NextBackOff() time.Duration { return time.Second }

// NewExponentialBackOff returns a default schedule.
func NewExponentialBackOff() *ExponentialBackOff { return &ExponentialBackOff{} }

// Retry runs o until it succeeds or b stops.
func Retry(o Operation, b BackOff) error { return o() }

// PermanentError stops retries.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }

// Permanent wraps err so that Retry stops.
func Permanent(err error) error { return &PermanentError{Err: err} }
