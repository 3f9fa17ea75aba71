// Package redis stands in for github.com/go-redis/redis/v8: a client with
// the two commands the fixtures call.
package redis

import "context"

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

// IntCmd is a command whose reply is an integer.
type IntCmd struct{}

// Err returns the error.
func (c *IntCmd) Err() error { return nil }

// Get reads a key.
func (c *Client) Get(ctx context.Context, key string) *StringCmd { return &StringCmd{} }

// Del deletes keys.
func (c *Client) Del(ctx context.Context, keys ...string) *IntCmd { return &IntCmd{} }
