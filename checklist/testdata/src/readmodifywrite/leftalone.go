package readmodifywrite

import (
	"context"
	"database/sql"
)

// What read-modify-write leaves alone: a locked read, a transaction or a
// mutex before the read, a view count, a version, a change never written.

// Silent: the read locks the row (a forUpdate argument set to true).
func lockedNonce(ctx context.Context, db *sql.DB, eui string) error {
	dk, err := GetDevice(ctx, db, eui, true)
	if err != nil {
		return err
	}
	dk.JoinNonce++
	return UpdateDeviceKeys(ctx, db, &dk)
}

// Silent: a transaction is open before the read.
func txNonce(ctx context.Context, db *sql.DB, eui string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	dk, err := GetDeviceKeys(ctx, db, eui)
	if err != nil {
		return err
	}
	dk.JoinNonce++
	if err := UpdateDeviceKeys(ctx, db, &dk); err != nil {
		return err
	}
	return tx.Commit()
}

// Silent: a mutex is held across the three.
func (r *repo) lockedDebit(ctx context.Context, id string, amount int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var a Account
	if err := r.First(ctx, &a, id); err != nil {
		return err
	}
	a.Balance -= amount
	return r.Save(ctx, &a)
}

// Silent: a lost view is cosmetic.
func countView(ctx context.Context, db *sql.DB, eui string) error {
	dk, err := GetDeviceKeys(ctx, db, eui)
	if err != nil {
		return err
	}
	dk.ViewCount++
	return UpdateDeviceKeys(ctx, db, &dk)
}

// Silent: a version is what optimistic locking checks.
func bumpVersion(ctx context.Context, db *sql.DB, eui string) error {
	dk, err := GetDeviceKeys(ctx, db, eui)
	if err != nil {
		return err
	}
	dk.Version++
	return UpdateDeviceKeys(ctx, db, &dk)
}

// Silent: the change is never written back.
func peekNonce(ctx context.Context, db *sql.DB, eui string) (int, error) {
	dk, err := GetDeviceKeys(ctx, db, eui)
	if err != nil {
		return 0, err
	}
	dk.JoinNonce++
	return dk.JoinNonce, nil
}
