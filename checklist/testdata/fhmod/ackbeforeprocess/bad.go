// Package ackbeforeprocess holds consumers that acknowledge before the work,
// and consumers that acknowledge after it.
package ackbeforeprocess

import (
	"context"
	"database/sql"
	"encoding/json"

	"cloud.google.com/go/pubsub"
	"github.com/nats-io/nats.go"
	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/segmentio/kafka-go"
)

// Order is a message payload.
type Order struct{ ID int64 }

// Worker fulfils orders.
type Worker struct{ db *sql.DB }

func (w *Worker) fulfil(ctx context.Context, o Order) error {
	_, err := w.db.ExecContext(ctx, "UPDATE orders SET state = 'shipped' WHERE id = $1", o.ID)
	return err
}

// HandleNATS acks first, then decodes and fulfils.
func (w *Worker) HandleNATS(ctx context.Context, msg *nats.Msg) error {
	if err := msg.Ack(); err != nil { // want `the message is acknowledged before it is processed \(json.Unmarshal on line 33`
		return err
	}
	var o Order
	if err := json.Unmarshal(msg.Data, &o); err != nil {
		return err
	}
	return w.fulfil(ctx, o)
}

// Receive acks at the top of the Pub/Sub callback.
func (w *Worker) Receive(ctx context.Context, sub *pubsub.Subscription) error {
	return sub.Receive(ctx, func(ctx context.Context, m *pubsub.Message) {
		m.Ack() // want `the message is acknowledged before it is processed \(w.store on line 43`
		if err := w.store(ctx, m.Data); err != nil {
			return
		}
	})
}

func (w *Worker) store(ctx context.Context, data []byte) error {
	_, err := w.db.ExecContext(ctx, "INSERT INTO events(body) VALUES ($1)", data)
	return err
}

// Consume commits the Kafka offset before processing.
func (w *Worker) Consume(ctx context.Context, r *kafka.Reader) error {
	for {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			return err
		}
		if err := r.CommitMessages(ctx, m); err != nil { // want `the message is acknowledged before it is processed \(w.store on line 64`
			return err
		}
		if err := w.store(ctx, m.Value); err != nil {
			return err
		}
	}
}

// Deliveries defers the RabbitMQ ack, which also fires on failure.
func (w *Worker) Deliveries(ctx context.Context, ds <-chan amqp.Delivery) error {
	for d := range ds {
		if err := w.one(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

func (w *Worker) one(ctx context.Context, d amqp.Delivery) error {
	defer d.Ack(false) // want `the deferred acknowledgement runs even when processing fails`
	var o Order
	if err := json.Unmarshal(d.Body, &o); err != nil {
		return err
	}
	return w.fulfil(ctx, o)
}

// Batch acks every message of a batch, then processes them.
func (w *Worker) Batch(ctx context.Context, msgs []*nats.Msg) error {
	for _, msg := range msgs {
		ack := msg.AckSync
		_ = ack
		msg.AckSync() // want `the message is acknowledged before it is processed`
		if err := w.store(ctx, msg.Data); err != nil {
			return err
		}
	}
	return nil
}
