// Package kafka is a test stand-in with the shape of kafka-go's reader API.
package kafka

import "context"

// Message is a record.
type Message struct {
	Topic     string
	Partition int
	Offset    int64
	Key       []byte
	Value     []byte
}

// Reader consumes a topic.
type Reader struct{}

// FetchMessage reads the next message without committing it.
func (r *Reader) FetchMessage(ctx context.Context) (Message, error) { return Message{}, nil }

// CommitMessages commits the offsets of msgs.
func (r *Reader) CommitMessages(ctx context.Context, msgs ...Message) error { return nil }
