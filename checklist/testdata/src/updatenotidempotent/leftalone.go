package updatenotidempotent

// Cases the check leaves alone: relative updates that are not tallies a
// redelivery double-counts.

import (
	"context"
	"database/sql"

	"github.com/segmentio/kafka-go"
)

// moveCard shifts the positions of the cards below the new one and bumps the
// board's version: a position shift and a version bump, not a balance.
func moveCard(ctx context.Context, db *sql.DB, msg kafka.Message) error {
	if _, err := db.ExecContext(ctx, "UPDATE cards SET sort_order = sort_order + 1 WHERE board = $1 AND sort_order >= $2", msg.Key, 3); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, "UPDATE boards SET seq = seq + 1 WHERE id = $1", msg.Key); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, "UPDATE boards SET version = version + 1 WHERE id = $1", msg.Key)
	return err
}

// TeamUpdateOne stands in for an ent generated update builder.
type TeamUpdateOne struct{}

func (u *TeamUpdateOne) AddMemberIDs(ids ...int) *TeamUpdateOne { return u }
func (u *TeamUpdateOne) AddPosition(n int) *TeamUpdateOne       { return u }
func (u *TeamUpdateOne) AddScore(n int) *TeamUpdateOne          { return u }
func (u *TeamUpdateOne) Save(ctx context.Context) (int, error)  { return 0, nil }

// addMember links an edge: Add<Edge>IDs is no x = x + n.
func addMember(ctx context.Context, u *TeamUpdateOne, msg kafka.Message) error {
	_, err := u.AddMemberIDs(len(msg.Value)).AddPosition(1).Save(ctx)
	return err
}
