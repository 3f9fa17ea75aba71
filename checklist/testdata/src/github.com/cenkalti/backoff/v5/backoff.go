// Package backoff is a minimal stand-in for github.com/cenkalti/backoff/v5.
package backoff

import "context"

// Operation is retried until it returns a nil error.
type Operation[T any] func() (T, error)

// RetryOption configures Retry.
type RetryOption func()

// WithMaxTries caps the attempts.
func WithMaxTries(uint) RetryOption { return func() {} }

// Retry runs op until it succeeds.
func Retry[T any](ctx context.Context, op Operation[T], opts ...RetryOption) (T, error) { return op() }
