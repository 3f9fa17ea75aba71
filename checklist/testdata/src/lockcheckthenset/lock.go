// Package lockcheckthenset takes locks and markers in Redis.
package lockcheckthenset

import (
	"context"
	"errors"
	"net/http"
	"sync"

	redigo "github.com/gomodule/redigo/redis"
	"github.com/redis/go-redis/v9"
)

type Locker struct {
	rdb *redis.Client
	mu  sync.Mutex
}

func (l *Locker) lockKey(project, workspace string) string {
	return "lock:" + project + "/" + workspace
}

// TryLock asks whether the lock is free and then sets it: two callers both
// take it.
func (l *Locker) TryLock(ctx context.Context, project, workspace, owner string) (bool, error) {
	key := l.lockKey(project, workspace)
	_, err := l.rdb.Get(ctx, key).Result()
	if err == redis.Nil {
		if err := l.rdb.Set(ctx, key, owner, 0).Err(); err != nil { // want `plain SET after GET found it free`
			return false, err
		}
		return true, nil
	}
	return false, err
}

// markProcessed tests the processed marker with EXISTS, then sets it.
func (l *Locker) markProcessed(ctx context.Context, eventID string) (bool, error) {
	n, err := l.rdb.Exists(ctx, "processed:"+eventID).Result()
	if err != nil || n > 0 {
		return false, err
	}
	return true, l.rdb.Set(ctx, "processed:"+eventID, 1, 0).Err() // want `plain SET after EXISTS found it free`
}

// at most info: a process mutex is held, another instance still races.
func (l *Locker) acquireLease(ctx context.Context, name string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.rdb.Get(ctx, name).Result(); !errors.Is(err, redis.Nil) {
		return false, err
	}
	return true, l.rdb.Set(ctx, name, "me", 0).Err() // want `info: a mutex of this process is held`
}

// redigo's Do: the same race.
func takeLock(c redigo.Conn, key string) (bool, error) {
	if _, err := redigo.String(c.Do("GET", key)); err != redigo.ErrNil {
		return false, err
	}
	_, err := c.Do("SET", key, "me") // want `plain SET after GET found it free`
	return err == nil, err
}

// Serve makes the package serving code.
func Serve(l *Locker) {
	http.HandleFunc("/lock", func(w http.ResponseWriter, r *http.Request) {
		_, _ = l.TryLock(r.Context(), "p", "w", "me")
	})
}
