// Package redis stands in for github.com/redis/go-redis/v9: only the
// commands and replies the fixtures call, with the same names and shapes,
// and no behaviour.
package redis

import (
	"context"
	"errors"
	"time"
)

// Nil is the reply error for a missing key.
var Nil = errors.New("redis: nil")

// Options configure a client.
type Options struct{ Addr string }

// Client is a Redis client.
type Client struct{}

// NewClient returns a client.
func NewClient(opt *Options) *Client { return &Client{} }

// StringCmd is a command whose reply is a string.
type StringCmd struct{}

// Result returns the reply and its error.
func (c *StringCmd) Result() (string, error) { return "", nil }

// Val returns the reply.
func (c *StringCmd) Val() string { return "" }

// Err returns the error.
func (c *StringCmd) Err() error { return nil }

// IntCmd is a command whose reply is an integer.
type IntCmd struct{}

// Result returns the reply and its error.
func (c *IntCmd) Result() (int64, error) { return 0, nil }

// Val returns the reply.
func (c *IntCmd) Val() int64 { return 0 }

// Err returns the error.
func (c *IntCmd) Err() error { return nil }

// BoolCmd is a command whose reply is a boolean.
type BoolCmd struct{}

// Result returns the reply and its error.
func (c *BoolCmd) Result() (bool, error) { return false, nil }

// Val returns the reply.
func (c *BoolCmd) Val() bool { return false }

// Err returns the error.
func (c *BoolCmd) Err() error { return nil }

// StatusCmd is a command whose reply is a status.
type StatusCmd struct{}

// Err returns the error.
func (c *StatusCmd) Err() error { return nil }

// Cmd is a command with a reply of any type.
type Cmd struct{}

// Result returns the reply and its error.
func (c *Cmd) Result() (any, error) { return nil, nil }

// Cmder is any command.
type Cmder interface{ Err() error }

// Pipeliner queues commands.
type Pipeliner interface {
	Get(ctx context.Context, key string) *StringCmd
	Del(ctx context.Context, keys ...string) *IntCmd
	Exec(ctx context.Context) ([]Cmder, error)
}

// Get reads a key.
func (c *Client) Get(ctx context.Context, key string) *StringCmd { return &StringCmd{} }

// GetDel reads a key and deletes it.
func (c *Client) GetDel(ctx context.Context, key string) *StringCmd { return &StringCmd{} }

// Set writes a key.
func (c *Client) Set(ctx context.Context, key string, value any, expiration time.Duration) *StatusCmd {
	return &StatusCmd{}
}

// SetNX writes a key only if it is absent.
func (c *Client) SetNX(ctx context.Context, key string, value any, expiration time.Duration) *BoolCmd {
	return &BoolCmd{}
}

// Del deletes keys.
func (c *Client) Del(ctx context.Context, keys ...string) *IntCmd { return &IntCmd{} }

// Eval runs a Lua script.
func (c *Client) Eval(ctx context.Context, script string, keys []string, args ...any) *Cmd {
	return &Cmd{}
}

// Watch runs fn in an optimistic transaction over keys.
func (c *Client) Watch(ctx context.Context, fn func(*Tx) error, keys ...string) error { return nil }

// TxPipeline returns a pipeline that runs in MULTI/EXEC.
func (c *Client) TxPipeline() Pipeliner { return nil }

// Tx is a transaction in Watch.
type Tx struct{}

// Get reads a key.
func (c *Tx) Get(ctx context.Context, key string) *StringCmd { return &StringCmd{} }

// TxPipelined runs fn's commands in MULTI/EXEC.
func (c *Tx) TxPipelined(ctx context.Context, fn func(Pipeliner) error) ([]Cmder, error) {
	return nil, nil
}
