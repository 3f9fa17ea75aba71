// Package kafka is a minimal stand-in for github.com/segmentio/kafka-go.
package kafka

// Message is a record read from a topic.
type Message struct {
	Key, Value []byte
	Offset     int64
}
