// Package peerfhcontextcheck pins context-background-in-scope on the kinds
// of case contextcheck's tests cover: a fresh context passed down where a
// ctx is at hand, inherited contexts, and contexts made in helpers.
package peerfhcontextcheck

import (
	"context"
	"net/http"
	"time"
)

var client = &http.Client{Timeout: 10 * time.Second}

// call asks a peer: the context it is given bounds real I/O.
func call(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://inventory.internal/health", nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// validate does no I/O: a context handed to it only carries values.
func validate(ctx context.Context, name string) error {
	if name == "" {
		return context.Cause(ctx)
	}
	return nil
}

// Validate: contextcheck reports a fresh context passed on; prodready is
// silent, because nothing the caller could cancel happens below.
func Validate(ctx context.Context, name string) error {
	return validate(context.Background(), name)
}

// noCtx builds its own context: a helper without a ctx parameter.
func noCtx() error { return call(context.Background()) }

// Fresh: both report a fresh context passed on while ctx is at hand.
func Fresh(ctx context.Context) error {
	return call(context.Background()) // want `context.Background\(\) drops ctx`
}

// TODO likewise.
func TODO(ctx context.Context) error {
	return call(context.TODO()) // want `context.TODO\(\) drops ctx`
}

// Derived: a context derived from ctx is inherited; silent for both.
func Derived(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return call(ctx)
}

// Indirect: contextcheck follows the call into noCtx and reports that ctx is
// not passed down; prodready looks only at the call site, so it is silent.
func Indirect(ctx context.Context) error {
	_ = ctx
	return noCtx()
}

// Handler: the request's context is at hand.
func Handler(w http.ResponseWriter, r *http.Request) {
	if err := call(context.Background()); err != nil { // want `context.Background\(\) drops r.Context\(\)`
		http.Error(w, "failed", http.StatusInternalServerError)
	}
}

// Goroutine: work that must outlive the request; prodready leaves
// detachment in go statements alone.
func Goroutine(ctx context.Context) {
	go func() { _ = call(context.Background()) }()
}

// WithoutCancel keeps values, drops cancellation: the fix for detached work.
func WithoutCancel(ctx context.Context) error {
	return call(context.WithoutCancel(ctx))
}
