// Package stripe stands in for github.com/stripe/stripe-go.
package stripe

// RefundParams are a refund's parameters.
type RefundParams struct{ Charge string }
