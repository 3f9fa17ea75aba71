// Package customer stands in for stripe-go's customer.
package customer

import stripe "github.com/stripe/stripe-go/v76"

func New(p *stripe.CustomerParams) (*stripe.Customer, error) { return nil, nil }
