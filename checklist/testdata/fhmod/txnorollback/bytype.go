package txnorollback

import (
	"context"
	"database/sql"

	"txnorollback/gorm"
)

// getDB hands out the shared gorm session; a function value, as
// applications stub it in tests.
var getDB = func() *gorm.DB { return &gorm.DB{} }

// Label is a row.
type Label struct{ Name string }

// FindTags names its query builder tx: nothing is begun, so nothing is
// left open.
func FindTags(prefix string) ([]Label, error) {
	tx := getDB()
	if prefix != "" {
		tx = tx.Where("name LIKE ?", prefix+"%")
	}
	var tags []Label
	if err := tx.Find(&tags).Error; err != nil {
		return nil, err
	}
	return tags, nil
}

// Ledger is a business controller: its own Commit and Rollback end what
// its BeginTX began, and a decorator hands the result on.
type Ledger interface {
	BeginTX(ctx context.Context) (Ledger, error)
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// tracedLedger records a span around each call.
type tracedLedger struct{ next Ledger }

// BeginTX hands the controller it began to its caller, wrapped, from
// inside a tracing closure: the caller ends it.
func (l *tracedLedger) BeginTX(ctx context.Context) (Ledger, error) {
	var began Ledger
	err := trace(ctx, func(ctx context.Context) error {
		var err error
		began, err = l.next.BeginTX(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &tracedLedger{next: began}, nil
}

// Commit commits the wrapped controller.
func (l *tracedLedger) Commit(ctx context.Context) error { return l.next.Commit(ctx) }

// Rollback rolls the wrapped controller back.
func (l *tracedLedger) Rollback(ctx context.Context) error { return l.next.Rollback(ctx) }

func trace(ctx context.Context, fn func(context.Context) error) error { return fn(ctx) }

// PurgeNotifications is an hourly job on the application's own Trx, which
// wraps a *sql.Tx: a failed DELETE returns with it open.
func PurgeNotifications(ctx context.Context, db *sql.DB) error {
	trx, err := BeginTrx(ctx, db) // want `transaction trx has no Rollback`
	if err != nil {
		return err
	}
	if _, err := trx.tx.ExecContext(ctx, `DELETE FROM notifications WHERE created_at < now() - interval '30 days'`); err != nil {
		return err
	}
	return trx.Commit()
}

// MoveFunds is the ordinary shape: BeginTx with no deferred Rollback, and a
// failed debit returns with the transaction open.
func MoveFunds(ctx context.Context, db *sql.DB, from, to, amount int64) error {
	tx, err := db.BeginTx(ctx, nil) // want `transaction tx has no Rollback`
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE accounts SET balance = balance - $1 WHERE id = $2`, amount, from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE accounts SET balance = balance + $1 WHERE id = $2`, amount, to); err != nil {
		return err
	}
	return tx.Commit()
}

// ArchivePost rolls back on the failed write and returns after a failed
// Commit, which has ended the transaction already: nothing is left open.
func ArchivePost(ctx context.Context, db *sql.DB, id int64) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE posts SET archived = true WHERE id = $1`, id); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return nil
}
