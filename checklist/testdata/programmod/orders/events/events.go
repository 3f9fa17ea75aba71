// Package events publishes domain events.
package events

import (
	"context"

	"github.com/nats-io/nats.go"
)

// Publisher sends events to NATS.
type Publisher struct{ NC *nats.Conn }

// OrderCreated announces a new order.
func (p *Publisher) OrderCreated(id string) error {
	return p.NC.Publish("orders.created", []byte(id)) // want `a publish \(Publish\) after a database write \(INSERT INTO orders\) on the path of the request handler .\(\*API\)\.CreateOrder. \(api/api\.go:\d+\) via .\(\*Publisher\)\.OrderCreated., with no transaction or outbox`
}

// Pool hands messages to a worker goroutine that publishes them.
type Pool struct {
	NC *nats.Conn
	ch chan string
}

// NewPool starts the pool's worker.
func NewPool(nc *nats.Conn) *Pool {
	p := &Pool{NC: nc, ch: make(chan string, 16)}
	p.Init()
	return p
}

// Init starts the worker that publishes what Queue hands over.
func (p *Pool) Init() {
	go func() {
		for id := range p.ch {
			_ = p.NC.Publish("welcome", []byte(id))
		}
	}()
}

// Queue hands a message to the worker.
func (p *Pool) Queue(id string) { p.ch <- id }

// Announcer says hello when it is built.
type Announcer struct{ NC *nats.Conn }

// NewAnnouncer publishes that the announcer started.
func NewAnnouncer(nc *nats.Conn) *Announcer {
	_ = nc.Publish("announcer.started", nil)
	return &Announcer{NC: nc}
}

// Deps builds shared clients on first use.
type Deps struct {
	NC        *nats.Conn
	announcer *Announcer
}

type reloadKey struct{}

// Announcer returns the announcer, building it on first use (or when the
// context asks for a reload).
func (d *Deps) Announcer(ctx context.Context) *Announcer {
	if reload, _ := ctx.Value(reloadKey{}).(bool); reload || d.announcer == nil {
		d.announcer = NewAnnouncer(d.NC)
	}
	return d.announcer
}
