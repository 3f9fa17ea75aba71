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
