// Package redis stands in for github.com/gomodule/redigo/redis: a
// connection that runs commands, a pool and two reply helpers.
package redis

// Conn is a connection to Redis.
type Conn interface {
	Do(commandName string, args ...any) (reply any, err error)
	Close() error
}

// Pool hands out connections.
type Pool struct{}

// Get returns a connection.
func (p *Pool) Get() Conn { return nil }

// Int converts a reply to an int.
func Int(reply any, err error) (int, error) { return 0, err }

// String converts a reply to a string.
func String(reply any, err error) (string, error) { return "", err }
