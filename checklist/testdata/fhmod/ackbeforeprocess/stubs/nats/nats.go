// Package nats is a test stand-in with the shape of the NATS client's message API.
package nats

// AckOpt configures an acknowledgement.
type AckOpt interface{}

// Msg is a received message.
type Msg struct {
	Subject string
	Data    []byte
}

// Ack acknowledges the message.
func (m *Msg) Ack(opts ...AckOpt) error { return nil }

// AckSync acknowledges and waits for the server.
func (m *Msg) AckSync(opts ...AckOpt) error { return nil }

// Nak asks for redelivery.
func (m *Msg) Nak(opts ...AckOpt) error { return nil }

// Term stops redelivery.
func (m *Msg) Term(opts ...AckOpt) error { return nil }
