// Package refund stands in for stripe-go's refund client.
package refund

import stripe "github.com/stripe/stripe-go/v81"

// Refund is a refund.
type Refund struct{ ID string }

// New creates a refund.
func New(p *stripe.RefundParams) (*Refund, error) { return &Refund{}, nil }

// Get reads a refund.
func Get(id string) (*Refund, error) { return &Refund{}, nil }
