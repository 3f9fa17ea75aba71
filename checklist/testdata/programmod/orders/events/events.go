// Package events publishes domain events.
package events

import "github.com/nats-io/nats.go"

// Publisher sends events to NATS.
type Publisher struct{ NC *nats.Conn }

// OrderCreated announces a new order.
func (p *Publisher) OrderCreated(id string) error {
	return p.NC.Publish("orders.created", []byte(id)) // want `a publish \(Publish\) after a database write \(INSERT INTO orders\) on the path of the request handler .\(\*API\)\.CreateOrder. \(api/api\.go:\d+\) via .\(\*Publisher\)\.OrderCreated., with no transaction or outbox`
}
