// Package mongo counts queue messages in MongoDB.
package mongo

import (
	"context"

	"github.com/hibiken/asynq"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
)

type store struct{ db *mongo.Database }

// A $inc reached from a queue handler, with the update document in a local.
func (s *store) handlePoints(ctx context.Context, t *asynq.Task) error {
	update := bson.M{"$inc": bson.M{"points": 10}}
	_, err := s.db.Collection("users").UpdateOne(ctx, bson.M{"_id": string(t.Payload())}, update) // want `MongoDB UpdateOne \$inc on users, inside a queue handler.*applies the increment twice`
	return err
}

// Silent: the new value is set, not added.
func (s *store) handleLevel(ctx context.Context, t *asynq.Task) error {
	_, err := s.db.Collection("users").UpdateOne(ctx, bson.M{"_id": string(t.Payload())}, bson.M{"$set": bson.M{"level": 3}})
	return err
}
