module example.com/kinds

go 1.26.0

require (
	github.com/nats-io/nats.go v0.0.0
	github.com/riverqueue/river v0.0.0
	github.com/spf13/cobra v0.0.0
	github.com/stripe/stripe-go/v81 v81.0.0
	github.com/uptrace/bun v0.0.0
	gorm.io/gorm v0.0.0
	xorm.io/xorm v0.0.0
)

replace (
	github.com/nats-io/nats.go => ../shop/stand-in/nats
	github.com/riverqueue/river => ./stand-in/river
	github.com/spf13/cobra => ../../fhmod/goroutineerrordropped/stand-in/cobra
	github.com/stripe/stripe-go/v81 => ./stand-in/stripe
	github.com/uptrace/bun => ./stand-in/bun
	gorm.io/gorm => ./stand-in/gorm
	xorm.io/xorm => ./stand-in/xorm
)
