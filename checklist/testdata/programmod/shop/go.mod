module example.com/shop

go 1.26.0

require github.com/nats-io/nats.go v0.0.0

replace github.com/nats-io/nats.go => ./stand-in/nats
