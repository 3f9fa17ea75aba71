package firstuserrace

import (
	"context"
	"database/sql"
	"sync"
)

// SignUpLocked holds a lock across the count and the create.
func (s *Service) SignUpLocked(ctx context.Context, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.store.CountUsers(ctx)
	if err != nil {
		return err
	}
	role := RoleUser
	if n == 0 {
		role = RoleAdmin
	}
	return s.store.CreateUser(ctx, User{Name: name, Role: role})
}

// SignUpTx counts and creates in one serializable transaction.
func SignUpTx(ctx context.Context, db *sql.DB, name string) error {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return err
	}
	role := RoleUser
	if n == 0 {
		role = RoleAdmin
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO users (name, role) VALUES ($1, $2)", name, role); err != nil {
		return err
	}
	return tx.Commit()
}

// FirstItem counts items, not users: nothing is decided about rights.
func (s *Service) FirstItem(ctx context.Context, name string) error {
	n, err := s.store.CountItems(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		return s.store.AddItem(ctx, name)
	}
	return nil
}

// Welcome only greets the first user; the create does not depend on it.
func (s *Service) Welcome(ctx context.Context, name string) (string, error) {
	n, err := s.store.CountUsers(ctx)
	if err != nil {
		return "", err
	}
	if n == 0 {
		return "welcome, first user", nil
	}
	return "welcome", nil
}

var seedOnce sync.Once

// Seed creates the administrator once per process, under a sync.Once.
func (s *Service) Seed(ctx context.Context) {
	seedOnce.Do(func() {
		n, _ := s.store.CountUsers(ctx)
		if n == 0 {
			_ = s.store.CreateUser(ctx, User{Name: "admin", Role: RoleAdmin})
		}
	})
}

// CountUsersByEmail counts the accounts with an address.
func (s *Store) CountUsersByEmail(ctx context.Context, email string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE email = $1", email).Scan(&n)
	return n, err
}

// Join refuses an address already taken: a uniqueness check, which the
// schema's constraint decides, not a first-user decision.
func (s *Service) Join(ctx context.Context, email string) error {
	n, err := s.store.CountUsersByEmail(ctx, email)
	if err != nil {
		return err
	}
	if n > 0 {
		return ErrSetupDone
	}
	return s.store.CreateUser(ctx, User{Name: email, Role: RoleUser})
}
