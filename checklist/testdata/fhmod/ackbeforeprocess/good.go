package ackbeforeprocess

import (
	"context"
	"encoding/json"
	"log/slog"

	"cloud.google.com/go/pubsub"
	"github.com/nats-io/nats.go"
	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/segmentio/kafka-go"
)

// AfterNATS acks after the work, Naks on failure and Terms poison.
func (w *Worker) AfterNATS(ctx context.Context, msg *nats.Msg) error {
	var o Order
	if err := json.Unmarshal(msg.Data, &o); err != nil {
		return msg.Term()
	}
	if err := w.fulfil(ctx, o); err != nil {
		return msg.Nak()
	}
	return msg.Ack()
}

// AfterPubSub acks at the end of the callback and nacks on failure.
func (w *Worker) AfterPubSub(ctx context.Context, sub *pubsub.Subscription) error {
	return sub.Receive(ctx, func(ctx context.Context, m *pubsub.Message) {
		if err := w.store(ctx, m.Data); err != nil {
			slog.Error("store event", "id", m.ID, "err", err)
			m.Nack()
			return
		}
		m.Ack()
	})
}

// AfterKafka commits once the message is stored.
func (w *Worker) AfterKafka(ctx context.Context, r *kafka.Reader) error {
	for {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			return err
		}
		if err := w.store(ctx, m.Value); err != nil {
			return err
		}
		if err := r.CommitMessages(ctx, m); err != nil {
			return err
		}
	}
}

// Poison acks a message it cannot decode, on a path that returns.
func (w *Worker) Poison(ctx context.Context, d amqp.Delivery) error {
	var o Order
	if err := json.Unmarshal(d.Body, &o); err != nil {
		slog.Warn("dropping undecodable delivery", "id", d.MessageId, "err", err)
		return d.Ack(false)
	}
	if err := w.fulfil(ctx, o); err != nil {
		return d.Nack(false, true)
	}
	return d.Ack(false)
}

// DeferredWithNack defers the ack but hands failures back first.
func (w *Worker) DeferredWithNack(ctx context.Context, d amqp.Delivery) (err error) {
	defer d.Ack(false)
	if err = w.store(ctx, d.Body); err != nil {
		return d.Reject(true)
	}
	return nil
}

// LogOnly logs after acking: logging cannot lose the message.
func LogOnly(msg *nats.Msg) error {
	if err := msg.Ack(); err != nil {
		return err
	}
	slog.Info("acked", "subject", msg.Subject)
	return nil
}

// Broadcast is a pub/sub fan-out that chose at-most-once delivery and says
// so where it acks.
func (w *Worker) Broadcast(ctx context.Context, msg *nats.Msg) error {
	// always ack: at-most-once, no redelivery
	if err := msg.Ack(); err != nil {
		return err
	}
	var o Order
	if err := json.Unmarshal(msg.Data, &o); err != nil {
		return err
	}
	return w.fulfil(ctx, o)
}
