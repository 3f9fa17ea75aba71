// Package jobs schedules the nightly work.
package jobs

import (
	"context"

	"example.com/shop/store"
)

// Scheduler runs functions on a cron spec.
type Scheduler interface {
	AddFunc(spec string, f func()) error
}

// Register schedules interest accrual.
func Register(ctx context.Context, s Scheduler, st *store.Store) error {
	return s.AddFunc("@daily", func() {
		_ = st.AccrueInterest(ctx)
	})
}
