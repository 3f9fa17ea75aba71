// Package service holds the business logic, one type per area, and the
// facade that embeds them all.
package service

import (
	"database/sql"
	"errors"
)

// Store is the persistence the services use; package store implements it.
type Store interface {
	InsertStatus(deployID int64, state string) error
	FindStats(repoID int64) (int64, error)
	CreateStats(repoID int64) error
	SetStats(repoID, count int64) error
	InsertAudit(event string) error
}

// Deployments records deployment statuses.
type Deployments struct{ store Store }

// RecordStatus adds a status row for the deployment.
func (d *Deployments) RecordStatus(deployID int64, state string) error {
	return d.store.InsertStatus(deployID, state)
}

// Stats keeps per-repository statistics.
type Stats struct{ store Store }

// ProduceStats creates the repository's statistics row on first use (a
// get-or-create: a second run finds the row) and sets the count.
func (s *Stats) ProduceStats(repoID int64) error {
	n, err := s.store.FindStats(repoID)
	if errors.Is(err, sql.ErrNoRows) {
		if err := s.store.CreateStats(repoID); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	return s.store.SetStats(repoID, n)
}

// Facade is what the handlers get: every area's methods, and the store's.
type Facade struct {
	Store
	*Deployments
	*Stats
}

// New wires the facade.
func New(st Store) *Facade {
	return &Facade{Store: st, Deployments: &Deployments{store: st}, Stats: &Stats{store: st}}
}
