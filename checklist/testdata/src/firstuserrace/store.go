// Package firstuserrace is a small service whose first user becomes its
// administrator.
package firstuserrace

import (
	"context"
	"database/sql"
	"errors"
)

// Role is what a user may do.
type Role string

// Roles.
const (
	RoleUser  Role = "user"
	RoleAdmin Role = "admin"
)

// User is an account.
type User struct {
	Name string
	Role Role
}

// Store keeps users in SQL.
type Store struct {
	db *sql.DB
}

// CountUsers counts the accounts.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n)
	return n, err
}

// CountItems counts the items.
func (s *Store) CountItems(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM items").Scan(&n)
	return n, err
}

// ListAdmins lists the administrators.
func (s *Store) ListAdmins(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name FROM users WHERE role = 'admin'")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.Name); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateUser inserts an account.
func (s *Store) CreateUser(ctx context.Context, u User) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO users (name, role) VALUES ($1, $2)", u.Name, u.Role)
	return err
}

// AddItem inserts an item.
func (s *Store) AddItem(ctx context.Context, name string) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO items (name) VALUES ($1)", name)
	return err
}

// IsSetupDone reads the set-up marker.
func (s *Store) IsSetupDone(ctx context.Context) (bool, error) {
	var done bool
	err := s.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM setup)").Scan(&done)
	return done, err
}

// ErrSetupDone is returned once set-up has run.
var ErrSetupDone = errors.New("set-up already done")
