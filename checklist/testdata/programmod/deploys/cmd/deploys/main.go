// Command deploys wires the service.
package main

import (
	"database/sql"
	"net/http"
	"time"

	"example.com/deploys/hooks"
	"example.com/deploys/service"
	"example.com/deploys/store"
)

func main() {
	db, err := sql.Open("postgres", "")
	if err != nil {
		return
	}
	db.SetMaxOpenConns(10)
	h := &hooks.Hooks{Svc: service.New(store.New(db))}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /hooks", h.Handle)
	srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	_ = srv.ListenAndServe()
}
