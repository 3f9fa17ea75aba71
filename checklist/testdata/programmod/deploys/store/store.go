// Package store runs the SQL.
package store

import "database/sql"

// Store implements service.Store on a database.
type Store struct{ db *sql.DB }

// New returns a store on db.
func New(db *sql.DB) *Store { return &Store{db: db} }

// InsertStatus adds a status row.
func (s *Store) InsertStatus(deployID int64, state string) error {
	_, err := s.db.Exec(`INSERT INTO deployment_statuses (deployment_id, state) VALUES ($1, $2)`, deployID, state) // want `INSERT without ON CONFLICT.*into deployment_statuses.*webhook handler.*\(\*Hooks\)\.Handle.*RecordStatus`
	return err
}

// FindStats reads the count.
func (s *Store) FindStats(repoID int64) (int64, error) {
	var n int64
	err := s.db.QueryRow(`SELECT count FROM deployment_stats WHERE repo_id = $1`, repoID).Scan(&n)
	return n, err
}

// CreateStats adds the statistics row; callers create it only when none
// was found.
func (s *Store) CreateStats(repoID int64) error {
	_, err := s.db.Exec(`INSERT INTO deployment_stats (repo_id, count) VALUES ($1, 0)`, repoID)
	return err
}

// SetStats sets the count.
func (s *Store) SetStats(repoID, count int64) error {
	_, err := s.db.Exec(`UPDATE deployment_stats SET count = $2 WHERE repo_id = $1`, repoID, count)
	return err
}

// InsertAudit appends to the audit log.
func (s *Store) InsertAudit(event string) error {
	_, err := s.db.Exec(`INSERT INTO audit_log (event) VALUES ($1)`, event) // want `INSERT without ON CONFLICT.*into audit_log.*webhook handler.*\(\*Hooks\)\.Handle`
	return err
}
