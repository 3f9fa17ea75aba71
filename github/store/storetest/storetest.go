// Package storetest opens migrated stores for tests: a SQLite file in a
// temporary directory, or a fresh schema in the PostgreSQL database named by
// PRODREADY_TEST_POSTGRES_URL, dropped when the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/prodready/prodready/github/store"
)

// EnvPostgres names the variable holding the test PostgreSQL URL.
const EnvPostgres = "PRODREADY_TEST_POSTGRES_URL"

// Backends are the databases every store test runs on.
var Backends = []string{"sqlite", "postgres"}

// PostgresURL returns the test database URL. Without one, the test fails when
// CI=true and is skipped otherwise.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvPostgres)
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set; CI must run the PostgreSQL tests (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", EnvPostgres)
		}
		t.Skipf("%s is not set; set it to run the PostgreSQL tests", EnvPostgres)
	}
	return u
}

// URL returns a database URL for backend: "" (the SQLite default) or a
// PostgreSQL URL whose search_path is a fresh schema, dropped at cleanup.
func URL(t testing.TB, backend string) string {
	t.Helper()
	if backend == "sqlite" {
		return ""
	}
	base := PostgresURL(t)
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	schema := "prodready_test_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvPostgres, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns a migrated store on backend, closed at cleanup. dataDir holds
// the SQLite file ("" for a temporary directory).
func Open(t testing.TB, backend, dataDir string) *store.Store {
	t.Helper()
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	ctx := context.Background()
	st, err := store.Open(ctx, URL(t, backend), dataDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(ctx); err != nil {
		_ = st.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return st
}
