// Package paymentintent stands in for stripe-go's paymentintent.
package paymentintent

import stripe "github.com/stripe/stripe-go/v76"

func New(p *stripe.PaymentIntentParams) (*stripe.PaymentIntent, error) { return nil, nil }

func Confirm(id string, p *stripe.PaymentIntentParams) (*stripe.PaymentIntent, error) {
	return nil, nil
}

func Get(id string, p *stripe.PaymentIntentParams) (*stripe.PaymentIntent, error) { return nil, nil }

// Client is the API client for payment intents.
type Client struct{}

func (c Client) New(p *stripe.PaymentIntentParams) (*stripe.PaymentIntent, error) { return nil, nil }
