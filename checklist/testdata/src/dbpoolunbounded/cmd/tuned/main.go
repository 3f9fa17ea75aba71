// Command tuned serves requests and limits its pool in a helper.
package main

import (
	"database/sql"
	"net/http"
	"os"
	"time"
)

func tune(db *sql.DB) {
	db.SetMaxOpenConns(20)
	db.SetConnMaxLifetime(30 * time.Minute)
}

func main() {
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		os.Exit(1)
	}
	tune(db)
	mux := http.NewServeMux()
	mux.HandleFunc("/ping", func(w http.ResponseWriter, r *http.Request) { _ = db.PingContext(r.Context()) })
	srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	_ = srv.ListenAndServe()
}
