package txnorollback

import (
	"context"
	"database/sql"

	"txnorollback/gorm"
)

// Gist is a row.
type Gist struct{ ID int64 }

// SaveGist returns at Begin's own error branch (gorm keeps the error in
// the session): no transaction exists there. Every later path ends it.
func SaveGist(db *gorm.DB, g *Gist) error {
	tx := db.Begin()
	if tx.Error != nil {
		return tx.Error
	}
	if err := tx.Create(g).Error; err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit().Error
}

// DeleteGist checks Begin's error the same way but leaves the transaction
// open when the Delete fails.
func DeleteGist(db *gorm.DB, g *Gist) error {
	tx := db.Begin() // want `transaction tx has no Rollback`
	if tx.Error != nil {
		return tx.Error
	}
	if err := tx.Delete(g).Error; err != nil {
		return err
	}
	return tx.Commit().Error
}

// Reindex begins in the if's init statement: the branch that returns is
// Begin's failure, where there is no transaction.
func Reindex(ctx context.Context, db *sql.DB) (err error) {
	var tx *sql.Tx
	if tx, err = db.BeginTx(ctx, nil); err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, "REINDEX TABLE gists"); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Vacuum's branch also runs when Begin succeeded (a dry run), and leaves
// that transaction open.
func Vacuum(ctx context.Context, db *sql.DB, dryRun bool) (err error) {
	var tx *sql.Tx
	if tx, err = db.BeginTx(ctx, nil); err != nil || dryRun { // want `transaction tx has no deferred Rollback, and the return on line 59 leaves it open`
		return err
	}
	if _, err = tx.ExecContext(ctx, "DELETE FROM gists WHERE deleted"); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Cursor is a host's stream position.
type Cursor struct {
	HostID int64
	Seq    int64
}

// PersistCursors logs a failed update and goes on: no path leaves before
// the Commit, made on the same transaction through WithContext.
func PersistCursors(ctx context.Context, db *gorm.DB, cursors []Cursor) error {
	tx := db.WithContext(ctx).Begin()
	for _, c := range cursors {
		if err := tx.WithContext(ctx).Model(&Cursor{}).Where("host_id = ?", c.HostID).UpdateColumn("seq", c.Seq).Error; err != nil {
			continue
		}
	}
	return tx.WithContext(ctx).Commit().Error
}

// PersistCursorsStrict returns on the first failure with the transaction
// open.
func PersistCursorsStrict(ctx context.Context, db *gorm.DB, cursors []Cursor) error {
	tx := db.WithContext(ctx).Begin() // want `transaction tx has no Rollback`
	for _, c := range cursors {
		if err := tx.WithContext(ctx).Model(&Cursor{}).Where("host_id = ?", c.HostID).UpdateColumn("seq", c.Seq).Error; err != nil {
			return err
		}
	}
	return tx.WithContext(ctx).Commit().Error
}

// Runtime begins transactions for the handlers and logs what fails.
type Runtime struct{ DB *sql.DB }

// StartTx begins a transaction, reporting failure as ok == false (the
// error is logged here) and a nil tx.
func (r *Runtime) StartTx(ctx context.Context) (tx *sql.Tx, ok bool) {
	tx, err := r.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, false
	}
	return tx, true
}

// RecordAudit returns on StartTx's failure, where no transaction exists;
// every later path ends it.
func RecordAudit(ctx context.Context, r *Runtime, event string) error {
	tx, ok := r.StartTx(ctx)
	if !ok {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO audit (event) VALUES ($1)", event); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// RecordVisit leaves the transaction open when the insert fails.
func RecordVisit(ctx context.Context, r *Runtime, page string) error {
	tx, ok := r.StartTx(ctx) // want `transaction tx has no Rollback`
	if !ok {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO visits (page) VALUES ($1)", page); err != nil {
		return err
	}
	return tx.Commit()
}
