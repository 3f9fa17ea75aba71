// Package roko is a minimal stand-in for github.com/buildkite/roko.
package roko

import (
	"context"
	"time"
)

// Strategy gives the wait before the next attempt.
type Strategy func(*Retrier) time.Duration

// Constant waits d between attempts.
func Constant(d time.Duration) Strategy { return func(*Retrier) time.Duration { return d } }

// Retrier runs a callback until it succeeds or gives up.
type Retrier struct{ attempts int }

// RetrierOpt configures a Retrier.
type RetrierOpt func(*Retrier)

// WithMaxAttempts caps the attempts.
func WithMaxAttempts(n int) RetrierOpt { return func(r *Retrier) { r.attempts = n } }

// WithStrategy sets the waits.
func WithStrategy(Strategy) RetrierOpt { return func(*Retrier) {} }

// WithJitter adds jitter.
func WithJitter() RetrierOpt { return func(*Retrier) {} }

// NewRetrier returns a Retrier.
func NewRetrier(opts ...RetrierOpt) *Retrier {
	r := &Retrier{}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Break stops the retries.
func (r *Retrier) Break() {}

// Do runs f until it succeeds.
func (r *Retrier) Do(f func(*Retrier) error) error { return f(r) }

// DoWithContext runs f until it succeeds or ctx ends.
func (r *Retrier) DoWithContext(ctx context.Context, f func(*Retrier) error) error { return f(r) }
