// Package redis stands in for github.com/redis/go-redis/v9: only the
// commands the fixtures call, with the same names and shapes.
package redis

import (
	"context"
	"errors"
	"time"
)

// Nil is the reply error for a missing key.
var Nil = errors.New("redis: nil")

// Client is a Redis client.
type Client struct{}

// StringCmd is a command whose reply is a string.
type StringCmd struct{}

// Result returns the reply and its error.
func (c *StringCmd) Result() (string, error) { return "", nil }

// Err returns the error.
func (c *StringCmd) Err() error { return nil }

// StatusCmd is a command whose reply is a status.
type StatusCmd struct{}

// Err returns the error.
func (c *StatusCmd) Err() error { return nil }

// BoolCmd is a command whose reply is a boolean.
type BoolCmd struct{}

// Result returns the reply and its error.
func (c *BoolCmd) Result() (bool, error) { return false, nil }

// IntCmd is a command whose reply is an integer.
type IntCmd struct{}

// Result returns the reply and its error.
func (c *IntCmd) Result() (int64, error) { return 0, nil }

// SetArgs are SET's options.
type SetArgs struct {
	Mode string
	TTL  time.Duration
}

// Tx is a transaction.
type Tx struct{ Client }

// Get reads key.
func (c *Client) Get(ctx context.Context, key string) *StringCmd { return &StringCmd{} }

// Exists counts the keys that exist.
func (c *Client) Exists(ctx context.Context, keys ...string) *IntCmd { return &IntCmd{} }

// Set writes key.
func (c *Client) Set(ctx context.Context, key string, value any, exp time.Duration) *StatusCmd {
	return &StatusCmd{}
}

// SetNX writes key if it is absent.
func (c *Client) SetNX(ctx context.Context, key string, value any, exp time.Duration) *BoolCmd {
	return &BoolCmd{}
}

// SetArgs writes key with options.
func (c *Client) SetArgs(ctx context.Context, key string, value any, a SetArgs) *StatusCmd {
	return &StatusCmd{}
}

// Watch runs fn in a transaction watching keys.
func (c *Client) Watch(ctx context.Context, fn func(*Tx) error, keys ...string) error { return nil }
