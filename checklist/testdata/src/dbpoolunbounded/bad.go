package dbpoolunbounded

import (
	"context"
	"database/sql"
	dbsql "database/sql"
	"database/sql/driver"
	"net"
	"net/http"
	"time"
)

type store struct{ db *sql.DB }

func NewStore(db *sql.DB) *store { return &store{db: db} }

func (s *store) routes() http.Handler { return http.NotFoundHandler() }

// Handlers share the pool: every concurrent request may open a connection.
func serve(ctx context.Context, dsn string, handle func(func(context.Context) error)) error {
	db, err := sql.Open("pgx", dsn) // want `no SetMaxOpenConns`
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxIdleConns(5)
	handle(func(ctx context.Context) error {
		_, err := db.ExecContext(ctx, "UPDATE hits SET n = n + 1")
		return err
	})
	return nil
}

// main-style assembly: the pool goes to the router the server runs, so
// every concurrent request may open a connection.
func run(addr, dsn string, newRouter func(*sql.DB) http.Handler) error {
	db, err := dbsql.Open("postgres", dsn) // want `no SetMaxOpenConns`
	if err != nil {
		return err
	}
	defer db.Close()
	srv := &http.Server{Addr: addr, Handler: newRouter(db), ReadHeaderTimeout: 5 * time.Second}
	return srv.ListenAndServe()
}

// The same through a connector and a store, served on a listener.
func runOn(ln net.Listener, c driver.Connector, srv *http.Server) error {
	db := sql.OpenDB(c) // want `no SetMaxOpenConns`
	s := NewStore(db)
	srv.Handler = s.routes()
	return srv.Serve(ln)
}

// Workers share the pool from goroutines.
func declared(ctx context.Context, dsn string, jobs <-chan int64) error {
	var db, err = sql.Open("mysql", dsn) // want `no SetMaxOpenConns`
	if err != nil {
		return err
	}
	for i := 0; i < 8; i++ {
		go func() {
			for id := range jobs {
				_, _ = db.ExecContext(ctx, "UPDATE jobs SET done = true WHERE id = ?", id)
			}
		}()
	}
	return nil
}
