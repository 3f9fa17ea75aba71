package paymentnokey

import (
	stripe "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/customer"
	"github.com/stripe/stripe-go/v76/paymentintent"
)

// PayKeyed sets a key made from the order.
func PayKeyed(o Order) error {
	params := &stripe.PaymentIntentParams{Amount: stripe.Int64(o.Total), Currency: stripe.String("usd")}
	params.SetIdempotencyKey("order-" + o.ID + "-pay")
	_, err := paymentintent.New(params)
	return err
}

// PayKeyedLiteral sets the key in the literal.
func PayKeyedLiteral(o Order) error {
	_, err := paymentintent.New(&stripe.PaymentIntentParams{
		Params: stripe.Params{IdempotencyKey: stripe.String("order-" + o.ID)},
		Amount: stripe.Int64(o.Total),
	})
	return err
}

// PayAssigned assigns the field.
func PayAssigned(o Order) error {
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(o.Total)}
	p.IdempotencyKey = stripe.String(o.ID)
	_, err := paymentintent.New(p)
	return err
}

// PayWith takes parameters its caller built, which may carry a key.
func PayWith(p *stripe.PaymentIntentParams) error {
	_, err := paymentintent.New(p)
	return err
}

// PayBuilt gets parameters from a helper.
func PayBuilt(o Order) error {
	_, err := paymentintent.New(paramsFor(o))
	return err
}

func paramsFor(o Order) *stripe.PaymentIntentParams {
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(o.Total)}
	p.SetIdempotencyKey(o.ID)
	return p
}

// Lookup reads an intent: reading twice moves nothing.
func Lookup(id string) error {
	_, err := paymentintent.Get(id, &stripe.PaymentIntentParams{})
	return err
}

// SignUp creates a customer: a duplicate customer moves no money.
func SignUp(email string) error {
	_, err := customer.New(&stripe.CustomerParams{Email: stripe.String(email)})
	return err
}
