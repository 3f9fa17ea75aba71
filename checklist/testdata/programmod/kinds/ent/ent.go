// Package ent is shaped like entgo's generated client.
package ent

import "context"

// RefundCreate builds a refund insert.
type RefundCreate struct{}

// SetAmount sets the amount.
func (c *RefundCreate) SetAmount(n int64) *RefundCreate { return c }

// Save inserts the row.
func (c *RefundCreate) Save(ctx context.Context) (int, error) { return 0, nil }
