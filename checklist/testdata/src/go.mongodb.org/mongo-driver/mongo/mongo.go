// Package mongo is a minimal stand-in for the MongoDB driver's mongo package.
package mongo

import "context"

// Database is a database.
type Database struct{}

// Collection returns a collection of the database.
func (d *Database) Collection(name string) *Collection { return &Collection{} }

// Collection is a collection.
type Collection struct{}

// InsertOneResult is what InsertOne returns.
type InsertOneResult struct{ InsertedID any }

// UpdateResult is what an update returns.
type UpdateResult struct{ MatchedCount, ModifiedCount int64 }

// DeleteResult is what a delete returns.
type DeleteResult struct{ DeletedCount int64 }

// InsertOne inserts a document.
func (c *Collection) InsertOne(ctx context.Context, doc any) (*InsertOneResult, error) {
	return &InsertOneResult{}, nil
}

// InsertMany inserts documents.
func (c *Collection) InsertMany(ctx context.Context, docs []any) (any, error) { return nil, nil }

// UpdateOne updates a document.
func (c *Collection) UpdateOne(ctx context.Context, filter, update any) (*UpdateResult, error) {
	return &UpdateResult{}, nil
}

// ReplaceOne replaces a document.
func (c *Collection) ReplaceOne(ctx context.Context, filter, doc any) (*UpdateResult, error) {
	return &UpdateResult{}, nil
}

// DeleteOne deletes a document.
func (c *Collection) DeleteOne(ctx context.Context, filter any) (*DeleteResult, error) {
	return &DeleteResult{}, nil
}

// IsDuplicateKeyError reports whether err is a duplicate key error.
func IsDuplicateKeyError(err error) bool { return false }
