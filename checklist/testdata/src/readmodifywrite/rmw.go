// Package readmodifywrite changes counters read from a store.
package readmodifywrite

import (
	"context"
	"database/sql"
	"net/http"
	"sync"
)

type DeviceKeys struct {
	DevEUI    string
	JoinNonce int
	ViewCount int
	Version   int
}

type Account struct {
	ID      string
	Balance int64
	Seq     int
}

func GetDeviceKeys(ctx context.Context, db *sql.DB, eui string) (DeviceKeys, error) {
	return DeviceKeys{DevEUI: eui}, nil
}

func GetDevice(ctx context.Context, db *sql.DB, eui string, forUpdate bool) (DeviceKeys, error) {
	return DeviceKeys{DevEUI: eui}, nil
}

func UpdateDeviceKeys(ctx context.Context, db *sql.DB, dk *DeviceKeys) error { return nil }

type repo struct {
	db *sql.DB
	mu sync.Mutex
}

func (r *repo) First(ctx context.Context, a *Account, id string) error { return nil }
func (r *repo) Save(ctx context.Context, a *Account) error             { return nil }

// A nonce read, incremented and written back.
func nextNonce(ctx context.Context, db *sql.DB, eui string) (int, error) {
	dk, err := GetDeviceKeys(ctx, db, eui)
	if err != nil {
		return 0, err
	}
	dk.JoinNonce++ // want `dk.JoinNonce is read by .GetDeviceKeys., changed here and written back by .UpdateDeviceKeys.`
	return dk.JoinNonce, UpdateDeviceKeys(ctx, db, &dk)
}

// A balance filled through its address and saved.
func (r *repo) debit(ctx context.Context, id string, amount int64) error {
	var a Account
	if err := r.First(ctx, &a, id); err != nil {
		return err
	}
	a.Balance -= amount // want `a.Balance is read by .First., changed here and written back by .Save.`
	return r.Save(ctx, &a)
}

// A sequence bumped by assignment.
func (r *repo) bump(ctx context.Context, id string) error {
	var a Account
	if err := r.First(ctx, &a, id); err != nil {
		return err
	}
	a.Seq = a.Seq + 1 // want `a.Seq is read by .First.`
	return r.Save(ctx, &a)
}

// Serve makes the package serving code.
func Serve(r *repo, db *sql.DB) {
	http.HandleFunc("/join", func(w http.ResponseWriter, req *http.Request) {
		_, _ = nextNonce(req.Context(), db, req.FormValue("eui"))
		_ = r.debit(req.Context(), "a", 1)
		_ = r.bump(req.Context(), "a")
	})
}
