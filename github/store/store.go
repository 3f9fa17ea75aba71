// Package store opens the App's database (an embedded SQLite file, or
// PostgreSQL when several replicas share one queue), runs the river queue's
// migrations and prodready's own, and holds prodready's tables: the LLM answer
// cache shared by replicas and the latest review request per pull request,
// which decides what a newer push supersedes.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	_ "modernc.org/sqlite" // database/sql driver "sqlite", pure Go
)

// SQLiteFile is the database file's name inside the data directory.
const SQLiteFile = "prodready.db"

// Store is an open database. Exactly one of SQLite and Pool is set.
type Store struct {
	// SQLite is the embedded database (nil on PostgreSQL). It holds one
	// connection: SQLite serialises writers, and river's SQLite driver asks for it.
	SQLite *sql.DB
	// Pool is the PostgreSQL pool (nil on SQLite).
	Pool *pgxpool.Pool
	// db runs prodready's own queries on either database.
	db *sql.DB
}

// Open connects to url, a postgres:// or postgresql:// URL, or, when url is
// empty, to the SQLite file prodready.db in dataDir (created if missing).
// It does not migrate; call Migrate.
func Open(ctx context.Context, url, dataDir string) (*Store, error) {
	switch {
	case url == "":
		if dataDir == "" {
			dataDir = "."
		}
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("data directory %s: %w (set PRODREADY_DATA_DIR to a writable folder)", dataDir, err)
		}
		file := filepath.Join(dataDir, SQLiteFile)
		// WAL keeps readers off the writer's back; busy_timeout makes a
		// second connection wait rather than fail; foreign keys for river.
		dsn := "file:" + file + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_txlock=immediate"
		db, err := sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("open SQLite %s: %w", file, err)
		}
		db.SetMaxOpenConns(1)
		if err := db.PingContext(ctx); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("open SQLite %s: %w", file, err)
		}
		return &Store{SQLite: db, db: db}, nil
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		cfg, err := pgxpool.ParseConfig(url)
		if err != nil {
			return nil, fmt.Errorf("PRODREADY_DATABASE_URL: %w", err)
		}
		if cfg.MaxConns < 8 {
			cfg.MaxConns = 8
		}
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
		}
		pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		if err := pool.Ping(pctx); err != nil {
			pool.Close()
			return nil, fmt.Errorf("connect to PostgreSQL %s@%s: %w (check PRODREADY_DATABASE_URL)", cfg.ConnConfig.User, cfg.ConnConfig.Host, err)
		}
		return &Store{Pool: pool, db: stdlib.OpenDBFromPool(pool)}, nil
	default:
		return nil, fmt.Errorf("PRODREADY_DATABASE_URL: unsupported URL %q: want postgres://… or leave it unset for the embedded SQLite file", redact(url))
	}
}

// redact drops a URL's password before it is printed.
func redact(u string) string {
	if at := strings.LastIndex(u, "@"); at >= 0 {
		if i := strings.Index(u, "://"); i >= 0 && i < at {
			return u[:i+3] + "…" + u[at:]
		}
	}
	return u
}

// Postgres reports whether the store is PostgreSQL.
func (s *Store) Postgres() bool { return s.Pool != nil }

// Close closes the database.
func (s *Store) Close() error {
	if s.Pool != nil {
		err := s.db.Close()
		s.Pool.Close()
		return err
	}
	return s.SQLite.Close()
}

// q rewrites ? placeholders to $n for PostgreSQL; SQLite takes ? as is.
func (s *Store) q(query string) string {
	if !s.Postgres() {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ownMigrations are prodready's tables, in order. Each is idempotent.
var ownMigrations = []string{
	`CREATE TABLE IF NOT EXISTS prodready_llm_cache (
		key TEXT PRIMARY KEY,
		value BYTEA NOT NULL,
		created_at BIGINT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS prodready_pr_latest (
		installation_id BIGINT NOT NULL,
		repo TEXT NOT NULL,
		number BIGINT NOT NULL,
		job_id BIGINT NOT NULL,
		head_sha TEXT NOT NULL,
		updated_at BIGINT NOT NULL,
		PRIMARY KEY (installation_id, repo, number))`,
}

// migrationLockID is the PostgreSQL advisory lock that serialises replicas
// migrating at the same start.
const migrationLockID = 0x70726f64 // "prod"

// Migrate brings river's tables and prodready's own up to date. Replicas
// starting together on PostgreSQL take turns under an advisory lock.
func (s *Store) Migrate(ctx context.Context) error {
	if s.Postgres() {
		conn, err := s.Pool.Acquire(ctx)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		defer conn.Release()
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLockID); err != nil {
			return fmt.Errorf("migrate: take lock: %w", err)
		}
		defer func() {
			// A fresh context: the lock must be released even when ctx ended.
			_, _ = conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", migrationLockID)
		}()
		m, err := rivermigrate.New(riverpgxv5.New(s.Pool), nil)
		if err != nil {
			return fmt.Errorf("migrate river: %w", err)
		}
		if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
			return fmt.Errorf("migrate river: %w", err)
		}
	} else {
		m, err := rivermigrate.New(riversqlite.New(s.SQLite), nil)
		if err != nil {
			return fmt.Errorf("migrate river: %w", err)
		}
		if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
			return fmt.Errorf("migrate river: %w", err)
		}
	}
	for _, stmt := range ownMigrations {
		if !s.Postgres() {
			stmt = strings.ReplaceAll(stmt, "BYTEA", "BLOB")
		}
		if _, err := s.db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("migrate prodready tables: %w", err)
		}
	}
	return nil
}

// ErrNotMigrated means the database answers but its tables are behind.
var ErrNotMigrated = errors.New("database not migrated")

// Ready checks that the database answers and is fully migrated; /readyz
// calls it.
func (s *Store) Ready(ctx context.Context) error {
	var res *rivermigrate.ValidateResult
	var err error
	if s.Postgres() {
		pm, perr := rivermigrate.New(riverpgxv5.New(s.Pool), nil)
		if perr != nil {
			return perr
		}
		res, err = pm.Validate(ctx, nil)
	} else {
		sm, serr := rivermigrate.New(riversqlite.New(s.SQLite), nil)
		if serr != nil {
			return serr
		}
		res, err = sm.Validate(ctx, nil)
	}
	if err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	if !res.OK {
		return fmt.Errorf("%w: %s", ErrNotMigrated, strings.Join(res.Messages, "; "))
	}
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM prodready_pr_latest WHERE 1 = 0").Scan(&n); err != nil {
		return fmt.Errorf("%w: prodready tables: %v", ErrNotMigrated, err)
	}
	return nil
}

// Get returns the cached LLM answer under key. It implements the LLM stage's
// Cache interface.
func (s *Store) Get(ctx context.Context, key string) ([]byte, bool, error) {
	var v []byte
	err := s.db.QueryRowContext(ctx, s.q("SELECT value FROM prodready_llm_cache WHERE key = ?"), key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("LLM cache get: %w", err)
	}
	return v, true, nil
}

// Put stores an LLM answer under key; a second Put of the same key keeps the
// first answer, which is the same answer by construction of the key.
func (s *Store) Put(ctx context.Context, key string, val []byte) error {
	_, err := s.db.ExecContext(ctx, s.q("INSERT INTO prodready_llm_cache (key, value, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING"),
		key, val, time.Now().Unix())
	if err != nil {
		return fmt.Errorf("LLM cache put: %w", err)
	}
	return nil
}

// PR names a pull request within an installation.
type PR struct {
	InstallationID int64
	Repo           string // owner/name
	Number         int
}

// Claim is one review request to record: job JobID for PR at HeadSHA.
type Claim struct {
	PR      PR
	JobID   int64
	HeadSHA string
}

// Claimed is what recording a Claim found: the latest job ID for the pull
// request after it, and the job it displaced (0 if none). When Latest is not
// the claim's own job, that job is stale.
type Claimed struct {
	Latest, Displaced int64
}

// Claim records jobID as a review request for pr. The request with the
// highest job ID is the latest and wins. Claiming the same job twice is
// harmless.
func (s *Store) Claim(ctx context.Context, pr PR, jobID int64, headSHA string) (latest, displaced int64, err error) {
	out, err := s.ClaimMany(ctx, []Claim{{PR: pr, JobID: jobID, HeadSHA: headSHA}})
	if err != nil {
		return 0, 0, err
	}
	return out[0].Latest, out[0].Displaced, nil
}

// ClaimMany records several claims in one transaction, in the order given;
// give them in ascending JobID.
func (s *Store) ClaimMany(ctx context.Context, claims []Claim) ([]Claimed, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("claim pull request: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	out, err := s.claimMany(ctx, sqlTx{tx}, claims)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("claim pull request: %w", err)
	}
	return out, nil
}

// ClaimManySQLiteTx records claims inside the caller's SQLite transaction, so
// jobs and their claims commit together.
func (s *Store) ClaimManySQLiteTx(ctx context.Context, tx *sql.Tx, claims []Claim) ([]Claimed, error) {
	return s.claimMany(ctx, sqlTx{tx}, claims)
}

// ClaimManyPgxTx records claims inside the caller's PostgreSQL transaction.
func (s *Store) ClaimManyPgxTx(ctx context.Context, tx pgx.Tx, claims []Claim) ([]Claimed, error) {
	return s.claimMany(ctx, pgxTx{tx}, claims)
}

// querier is a transaction of either database.
type querier interface {
	queryInt(ctx context.Context, q string, args ...any) (int64, bool, error)
	exec(ctx context.Context, q string, args ...any) error
}

type sqlTx struct{ tx *sql.Tx }

func (t sqlTx) queryInt(ctx context.Context, q string, args ...any) (int64, bool, error) {
	var n int64
	err := t.tx.QueryRowContext(ctx, q, args...).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return n, err == nil, err
}

func (t sqlTx) exec(ctx context.Context, q string, args ...any) error {
	_, err := t.tx.ExecContext(ctx, q, args...)
	return err
}

type pgxTx struct{ tx pgx.Tx }

func (t pgxTx) queryInt(ctx context.Context, q string, args ...any) (int64, bool, error) {
	var n int64
	err := t.tx.QueryRow(ctx, q, args...).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	return n, err == nil, err
}

func (t pgxTx) exec(ctx context.Context, q string, args ...any) error {
	_, err := t.tx.Exec(ctx, q, args...)
	return err
}

func (s *Store) claimMany(ctx context.Context, tx querier, claims []Claim) ([]Claimed, error) {
	sel := "SELECT job_id FROM prodready_pr_latest WHERE installation_id = ? AND repo = ? AND number = ?"
	if s.Postgres() {
		sel += " FOR UPDATE"
	}
	sel = s.q(sel)
	upsert := s.q(`INSERT INTO prodready_pr_latest (installation_id, repo, number, job_id, head_sha, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (installation_id, repo, number) DO UPDATE SET job_id = excluded.job_id, head_sha = excluded.head_sha, updated_at = excluded.updated_at
		WHERE prodready_pr_latest.job_id < excluded.job_id`)
	out := make([]Claimed, len(claims))
	for i, c := range claims {
		prev, _, err := tx.queryInt(ctx, sel, c.PR.InstallationID, c.PR.Repo, c.PR.Number)
		if err != nil {
			return nil, fmt.Errorf("claim pull request: %w", err)
		}
		if prev >= c.JobID {
			out[i] = Claimed{Latest: prev}
			continue
		}
		if err := tx.exec(ctx, upsert, c.PR.InstallationID, c.PR.Repo, c.PR.Number, c.JobID, c.HeadSHA, time.Now().Unix()); err != nil {
			return nil, fmt.Errorf("claim pull request: %w", err)
		}
		out[i] = Claimed{Latest: c.JobID, Displaced: prev}
	}
	return out, nil
}

// Latest returns the latest job ID claimed for pr, or 0.
func (s *Store) Latest(ctx context.Context, pr PR) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, s.q("SELECT job_id FROM prodready_pr_latest WHERE installation_id = ? AND repo = ? AND number = ?"),
		pr.InstallationID, pr.Repo, pr.Number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("latest request for %s#%d: %w", pr.Repo, pr.Number, err)
	}
	return id, nil
}

// JobStates counts review jobs by state, for the prodready_jobs gauge.
func (s *Store) JobStates(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT state, COUNT(*) FROM river_job GROUP BY state")
	if err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var st string
		var n int64
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("count jobs: %w", err)
		}
		out[st] = n
	}
	return out, rows.Err()
}

// Requeue makes running jobs available again. The caller knows them to be
// orphans: this replica's previous process was running them when it died.
func (s *Store) Requeue(ctx context.Context, ids []int64) (int64, error) {
	var n int64
	for _, id := range ids {
		res, err := s.db.ExecContext(ctx, s.q("UPDATE river_job SET state = 'available' WHERE id = ? AND state = 'running'"), id)
		if err != nil {
			return n, fmt.Errorf("requeue job %d: %w", id, err)
		}
		k, _ := res.RowsAffected()
		n += k
	}
	return n, nil
}
