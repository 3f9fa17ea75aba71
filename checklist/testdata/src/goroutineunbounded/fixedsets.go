package goroutineunbounded

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"
)

// templateKinds is a package-level literal list: fixed when the code was
// written.
var templateKinds = []item{{1}, {2}, {3}}

// One goroutine per template kind: as many as the literal holds.
func warmTemplates(ctx context.Context) {
	var wg sync.WaitGroup
	for _, k := range templateKinds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = process(ctx, k)
		}()
	}
	wg.Wait()
}

// A local list built with a fixed number of elements.
func warmTwo(ctx context.Context, a, b item) {
	kinds := []item{a, b}
	for _, k := range kinds {
		go func() { _ = process(ctx, k) }()
	}
}

type hookSettings struct{ Webhooks []item }

// One goroutine per configured webhook.
func notifyHooks(ctx context.Context, s hookSettings) {
	for _, w := range s.Webhooks {
		go func() { _ = process(ctx, w) }()
	}
}

// A package-level list read from the database at run time is data, not a
// literal: still reported.
var loadedSessions []item

// at most info: the list's origin is not in sight (a package variable, a parameter).
func notifyLoaded(ctx context.Context) {
	for _, s := range loadedSessions {
		go func() { _ = process(ctx, s) }() // want `goroutine is started for every iteration`
	}
}

// sessionStore stands for a database: its lists grow with the data.
type sessionStore interface {
	ListSessions(ctx context.Context) ([]item, error)
}

// One goroutine per session of all sessions: still reported.
// at most info: a message, rows or the service's own list decide how many, not a client's request.
func terminateAll(ctx context.Context, db sessionStore) error {
	sessions, err := db.ListSessions(ctx)
	if err != nil {
		return err
	}
	for _, s := range sessions {
		go func() { _ = process(ctx, s) }() // want `goroutine is started for every iteration`
	}
	return nil
}

// newBoundedGroup is the package's constructor of an errgroup with a limit.
func newBoundedGroup(ctx context.Context, n int) (*errgroup.Group, context.Context) {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(n)
	return g, ctx
}

// newGroup makes a group without a limit.
func newGroup(ctx context.Context) (*errgroup.Group, context.Context) {
	return errgroup.WithContext(ctx)
}

// A group from a constructor that limits it is bounded.
func viaBoundedConstructor(ctx context.Context, items []item) error {
	g, ctx := newBoundedGroup(ctx, 4)
	for _, it := range items {
		g.Go(func() error { return process(ctx, it) })
	}
	return g.Wait()
}

// A group from a constructor that sets no limit is not.
// at most info: the list's origin is not in sight (a package variable, a parameter).
func viaPlainConstructor(ctx context.Context, items []item) error {
	g, ctx := newGroup(ctx)
	for _, it := range items {
		g.Go(func() error { return process(ctx, it) }) // want `errgroup.Group.Go in a loop with no SetLimit`
	}
	return g.Wait()
}
