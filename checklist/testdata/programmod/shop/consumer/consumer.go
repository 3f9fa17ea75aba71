// Package consumer applies credit messages from NATS.
package consumer

import (
	"context"

	"github.com/nats-io/nats.go"

	"example.com/shop/store"
)

// Run subscribes the consumers.
func Run(ctx context.Context, nc *nats.Conn, st *store.Store) error {
	if _, err := nc.Subscribe("credits", func(m *nats.Msg) {
		_ = apply(ctx, st, m)
	}); err != nil {
		return err
	}
	_, err := nc.Subscribe("bonus", func(m *nats.Msg) {
		_ = applyOnce(ctx, st, m)
	})
	return err
}

func apply(ctx context.Context, st *store.Store, m *nats.Msg) error {
	return st.AddCredit(ctx, m.Subject, int64(len(m.Data)))
}

// applyOnce skips a message whose ID is already recorded.
func applyOnce(ctx context.Context, st *store.Store, m *nats.Msg) error {
	fresh, err := st.MarkProcessed(ctx, m.Header["Nats-Msg-Id"][0])
	if err != nil || !fresh {
		return err
	}
	return st.AddBonus(ctx, m.Subject, 1)
}
