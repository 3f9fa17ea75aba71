// Package client is a minimal stand-in for controller-runtime's client.
package client

import "context"

// Object is a Kubernetes object.
type Object interface{ GetName() string }

// CreateOption configures a Create.
type CreateOption interface{}

// Client reads and writes objects.
type Client interface {
	Create(ctx context.Context, obj Object, opts ...CreateOption) error
}
