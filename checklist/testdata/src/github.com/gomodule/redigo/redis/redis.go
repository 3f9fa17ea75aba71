// Package redis stands in for github.com/gomodule/redigo/redis.
package redis

import "errors"

// ErrNil is the reply error for a missing value.
var ErrNil = errors.New("redigo: nil returned")

// Conn is a connection.
type Conn interface {
	Do(commandName string, args ...any) (reply any, err error)
}

// String converts a reply.
func String(reply any, err error) (string, error) { return "", err }
