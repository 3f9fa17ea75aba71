package ackbeforeprocess

import (
	"context"
	"encoding/json"
)

// Job is one message of the service's own work queue.
type Job struct {
	ID   string
	Body []byte
}

// JobQueue is the small interface the service keeps in front of its broker.
type JobQueue interface {
	Receive(ctx context.Context) (Job, error)
	Ack(ctx context.Context, id string) error
	Nack(ctx context.Context, id string) error
}

// Invoice is what a job asks for.
type Invoice struct{ Customer string }

// Biller turns jobs into invoices.
type Biller struct {
	q    JobQueue
	bill func(context.Context, Invoice) error
}

// decode reads a job's body.
func decode(b []byte) (Invoice, error) {
	var inv Invoice
	err := json.Unmarshal(b, &inv)
	return inv, err
}

// Next acknowledges the job as soon as it arrives, then decodes it: a bad
// body or a crash loses the job.
func (b *Biller) Next(ctx context.Context) error {
	job, err := b.q.Receive(ctx)
	if err != nil {
		return err
	}
	if err := b.q.Ack(ctx, job.ID); err != nil { // want `the message is acknowledged before it is processed`
		return err
	}
	inv, err := decode(job.Body)
	if err != nil {
		return err
	}
	return b.bill(ctx, inv)
}

// NextSafely acknowledges after the work.
func (b *Biller) NextSafely(ctx context.Context) error {
	job, err := b.q.Receive(ctx)
	if err != nil {
		return err
	}
	inv, err := decode(job.Body)
	if err != nil {
		return b.q.Nack(ctx, job.ID)
	}
	if err := b.bill(ctx, inv); err != nil {
		return b.q.Nack(ctx, job.ID)
	}
	return b.q.Ack(ctx, job.ID)
}

// Peer is a replication peer: its Ack answers a heartbeat, and it has no
// way to receive or hand back messages, so it is no queue.
type Peer interface {
	Ack(ctx context.Context, seq string) error
	Send(ctx context.Context, seq string, b []byte) error
}

// Heartbeat answers the peer and then forwards the same sequence number.
func Heartbeat(ctx context.Context, p Peer, seq string, b []byte) error {
	if err := p.Ack(ctx, seq); err != nil {
		return err
	}
	return p.Send(ctx, seq, b)
}
