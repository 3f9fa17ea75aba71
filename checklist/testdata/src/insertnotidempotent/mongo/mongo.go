// Package mongo records queue messages in MongoDB.
package mongo

import (
	"context"
	"encoding/json"

	"github.com/hibiken/asynq"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
)

type store struct{ db *mongo.Database }

type refund struct {
	ID     string `bson:"_id,omitempty"`
	Amount int64
}

// An asynq handler whose repository method inserts a document with an id
// the driver makes up.
func (s *store) handleRefund(ctx context.Context, t *asynq.Task) error {
	var r refund
	if err := json.Unmarshal(t.Payload(), &r); err != nil {
		return err
	}
	return s.saveRefund(ctx, r.Amount)
}

func (s *store) saveRefund(ctx context.Context, amount int64) error {
	_, err := s.db.Collection("refunds").InsertOne(ctx, bson.M{"amount": amount}) // want `MongoDB InsertOne on refunds with no key taken from the message, reached from the queue handler`
	return err
}

// Silent: a duplicate-key error on the message's id is the dedupe.
func (s *store) handleCredit(ctx context.Context, t *asynq.Task) error {
	var r refund
	if err := json.Unmarshal(t.Payload(), &r); err != nil {
		return err
	}
	_, err := s.db.Collection("credits").InsertOne(ctx, r)
	if mongo.IsDuplicateKeyError(err) {
		return nil
	}
	return err
}

// Silent: an upsert is not an insert.
func (s *store) handleProfile(ctx context.Context, t *asynq.Task) error {
	_, err := s.db.Collection("profiles").ReplaceOne(ctx, bson.M{"_id": string(t.Payload())}, bson.M{"seen": true})
	return err
}
