// Package pubsub is a test stand-in with the shape of the Pub/Sub client's message API.
package pubsub

import "context"

// Message is a received message.
type Message struct {
	ID         string
	Data       []byte
	Attributes map[string]string
}

// Ack acknowledges the message.
func (m *Message) Ack() {}

// Nack asks for redelivery.
func (m *Message) Nack() {}

// Subscription receives messages.
type Subscription struct{}

// Receive calls f for each message until ctx is done.
func (s *Subscription) Receive(ctx context.Context, f func(context.Context, *Message)) error {
	return nil
}
