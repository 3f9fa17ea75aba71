module example.com/orders

go 1.26.0

require github.com/nats-io/nats.go v0.0.0

replace github.com/nats-io/nats.go => ../shop/stand-in/nats
