package goroutineunbounded

import "net"

// brokerError is a close notification of a broker connection.
type brokerError struct{ reason string }

func (e *brokerError) Error() string { return e.reason }

type brokerPool struct{ conn net.Conn }

// at most info: one reconnect per close notification, not work.
func (p *brokerPool) watch(closed chan *brokerError) {
	for range closed {
		go p.reconnect() // want `info only: the loop receives errors or close notifications`
	}
}

// at most info: a chan error is a failure stream too.
func (p *brokerPool) watchErrs(errs <-chan error) {
	for err := range errs {
		_ = err
		go p.reconnect() // want `info only: the loop receives errors or close notifications`
	}
}

func (p *brokerPool) reconnect() {
	c, err := net.Dial("tcp", "broker:5672")
	if err == nil {
		p.conn = c
	}
}

// Posted: a channel of work items, one goroutine per message.
// at most info: a message, rows or the service's own list decide how many, not a client's request.
func (p *brokerPool) deliver(msgs <-chan []byte) {
	for m := range msgs {
		go func() { _, _ = p.conn.Write(m) }() // want `a message decides how many`
	}
}
