module ackbeforeprocess

go 1.26.0

require (
	cloud.google.com/go/pubsub v1.0.0
	github.com/nats-io/nats.go v1.0.0
	github.com/rabbitmq/amqp091-go v1.0.0
	github.com/segmentio/kafka-go v0.4.0
)

// Hand-written stand-ins with the clients' public shapes, so the test needs
// no network; the check matches them by import path and type name.
replace (
	cloud.google.com/go/pubsub => ./stubs/pubsub
	github.com/nats-io/nats.go => ./stubs/nats
	github.com/rabbitmq/amqp091-go => ./stubs/amqp
	github.com/segmentio/kafka-go => ./stubs/kafka
)
