// Package retry is a minimal stand-in for github.com/avast/retry-go/v4.
package retry

// RetryableFunc is the operation retried.
type RetryableFunc func() error

// Option configures Do.
type Option func()

// Attempts caps the attempts.
func Attempts(uint) Option { return func() {} }

// OnRetry is called after each failed attempt.
func OnRetry(func(n uint, err error)) Option { return func() {} }

// Do runs f until it succeeds.
func Do(f RetryableFunc, opts ...Option) error { return f() }

// DoWithData runs f until it succeeds and returns its result.
func DoWithData[T any](f func() (T, error), opts ...Option) (T, error) { return f() }
