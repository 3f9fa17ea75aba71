package lockcheckthenset

import (
	"context"

	"github.com/redis/go-redis/v9"
)

// What lock-check-then-set leaves alone: a lock taken in one step, a read
// and a set in one transaction, a cache filled on a miss, another key set.

// Silent: SET NX takes it in one step.
func (l *Locker) TryLockNX(ctx context.Context, key, owner string) (bool, error) {
	if _, err := l.rdb.Get(ctx, key).Result(); err != redis.Nil {
		return false, err
	}
	return l.rdb.SetNX(ctx, key, owner, 0).Result()
}

// Silent: SetArgs with Mode NX.
func (l *Locker) TryLockArgs(ctx context.Context, key, owner string) error {
	if _, err := l.rdb.Get(ctx, key).Result(); err != redis.Nil {
		return err
	}
	return l.rdb.SetArgs(ctx, key, owner, redis.SetArgs{Mode: "NX"}).Err()
}

// Silent: the read and the set run in a WATCH transaction.
func (l *Locker) TryLockWatched(ctx context.Context, key, owner string) error {
	return l.rdb.Watch(ctx, func(tx *redis.Tx) error {
		if _, err := tx.Get(ctx, key).Result(); err != redis.Nil {
			return err
		}
		return tx.Set(ctx, key, owner, 0).Err()
	}, key)
}

// Silent: a cache filled on a miss; a second fill is harmless.
func (l *Locker) profile(ctx context.Context, userID string) (string, error) {
	key := "profile:" + userID
	v, err := l.rdb.Get(ctx, key).Result()
	if err == redis.Nil {
		v = "loaded"
		return v, l.rdb.Set(ctx, key, v, 0).Err()
	}
	return v, err
}

// Silent: the lock key is read and another key is set.
func (l *Locker) lockOwner(ctx context.Context, key string) error {
	if _, err := l.rdb.Get(ctx, key).Result(); err != redis.Nil {
		return err
	}
	return l.rdb.Set(ctx, key+":audit", "checked", 0).Err()
}
