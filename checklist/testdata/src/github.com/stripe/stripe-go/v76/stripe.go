// Package stripe stands in for github.com/stripe/stripe-go/v76.
package stripe

// Params are the options every request's parameters embed.
type Params struct {
	IdempotencyKey *string
	Metadata       map[string]string
}

// SetIdempotencyKey sets the request's idempotency key.
func (p *Params) SetIdempotencyKey(k string) { p.IdempotencyKey = &k }

func String(s string) *string { return &s }
func Int64(n int64) *int64    { return &n }

type PaymentIntentParams struct {
	Params   `form:"*"`
	Amount   *int64
	Currency *string
	Customer *string
	Confirm  *bool
}

type PaymentIntent struct{ ID string }

type RefundParams struct {
	Params        `form:"*"`
	PaymentIntent *string
	Amount        *int64
}

type Refund struct{ ID string }

type CustomerParams struct {
	Params `form:"*"`
	Email  *string
}

type Customer struct{ ID string }
