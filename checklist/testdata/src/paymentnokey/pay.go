// Package paymentnokey charges orders through Stripe from HTTP handlers.
package paymentnokey

import (
	"net/http"

	stripe "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/paymentintent"
	"github.com/stripe/stripe-go/v76/refund"
)

type Order struct {
	ID     string
	Total  int64
	Intent string
}

// Pay charges the order: a double click charges twice.
func Pay(w http.ResponseWriter, r *http.Request) {
	o := Order{ID: r.FormValue("order"), Total: 1200}
	params := &stripe.PaymentIntentParams{
		Amount:   stripe.Int64(o.Total),
		Currency: stripe.String("usd"),
	}
	if _, err := paymentintent.New(params); err != nil { // want `paymentintent.New moves money with no idempotency key: .* charges the card twice`
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}

// Refund refunds an order from an inline literal.
func Refund(w http.ResponseWriter, r *http.Request) {
	_, err := refund.New(&stripe.RefundParams{PaymentIntent: stripe.String(r.FormValue("pi"))}) // want `refund.New moves money with no idempotency key: .* refunds twice`
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}

// ConfirmWithClient confirms through the API client.
func ConfirmWithClient(c paymentintent.Client, o Order) error {
	p := new(stripe.PaymentIntentParams)
	p.Amount = stripe.Int64(o.Total)
	_, err := c.New(p) // want `Client.New moves money with no idempotency key`
	return err
}
