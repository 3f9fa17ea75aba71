// Package billing holds the refund logic; it knows the ledger only as an
// interface, implemented by the store package it does not import.
package billing

import "context"

// Ledger records money movements.
type Ledger interface {
	RecordRefund(ctx context.Context, chargeID string, amount int64) error
}

// Event is a payment provider's event.
type Event struct {
	ID, ChargeID string
	Amount       int64
}

// Service applies payment events.
type Service struct{ L Ledger }

// Refund applies a refund event.
func (s *Service) Refund(ctx context.Context, ev Event) error {
	if ev.Amount <= 0 {
		return nil
	}
	return s.record(ctx, ev)
}

func (s *Service) record(ctx context.Context, ev Event) error {
	return s.L.RecordRefund(ctx, ev.ChargeID, ev.Amount)
}
