// Package transaction runs work in a transaction a Creator opens; which
// database it is, the package does not know.
package transaction

import "context"

// Tx is an open transaction.
type Tx interface {
	Commit() error
	Rollback() error
}

// Creator opens transactions.
type Creator interface {
	Tx(ctx context.Context) (Tx, error)
}

// Run runs fn in a transaction from c, committing when fn succeeds.
func Run(ctx context.Context, c Creator, fn func(ctx context.Context) error) error {
	tx, err := c.Tx(ctx)
	if err != nil {
		return err
	}
	if err := fn(ctx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
