// Package amqp091 is a test stand-in with the shape of the RabbitMQ client's delivery API.
package amqp091

// Delivery is a received message.
type Delivery struct {
	MessageId string
	Body      []byte
}

// Ack acknowledges the delivery.
func (d Delivery) Ack(multiple bool) error { return nil }

// Nack returns the delivery.
func (d Delivery) Nack(multiple, requeue bool) error { return nil }

// Reject rejects the delivery.
func (d Delivery) Reject(requeue bool) error { return nil }
