// Package nats stands in for github.com/nats-io/nats.go in the tests.
package nats

// Msg is a received message.
type Msg struct {
	Subject string
	Data    []byte
	Header  map[string][]string
}

// Conn is a connection.
type Conn struct{}

// Subscription is a subscription.
type Subscription struct{}

// Subscribe calls cb for each message on subject.
func (c *Conn) Subscribe(subject string, cb func(*Msg)) (*Subscription, error) { return nil, nil }

// Publish sends data on subject.
func (c *Conn) Publish(subject string, data []byte) error { return nil }
