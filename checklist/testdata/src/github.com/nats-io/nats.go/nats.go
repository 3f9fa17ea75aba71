// Package nats is a minimal stand-in for github.com/nats-io/nats.go.
package nats

// Msg is a received message.
type Msg struct {
	Subject string
	Data    []byte
	Header  map[string][]string
}

// Ack acknowledges the message.
func (m *Msg) Ack() error { return nil }

// Conn is a connection.
type Conn struct{}

// Subscription is a subscription.
type Subscription struct{}

// Subscribe calls cb for each message on subj.
func (c *Conn) Subscribe(subj string, cb func(*Msg)) (*Subscription, error) {
	return &Subscription{}, nil
}
