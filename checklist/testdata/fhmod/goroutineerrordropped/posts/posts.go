// Package posts publishes a blog's posts and federates them in the
// background.
package posts

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"net/http"
)

// App holds the service's dependencies.
type App struct {
	db    *sql.DB
	inbox string
}

// federate sends a post to followers and logs every failure itself.
func (a *App) federate(ctx context.Context, id int64) error { // want federate:"logs every error it returns"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.inbox, nil)
	if err != nil {
		log.Printf("federate %d: build request: %v", id, err)
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Printf("federate %d: %v", id, err)
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		err := fmt.Errorf("inbox answered %s", resp.Status)
		log.Printf("federate %d: %v", id, err)
		return err
	}
	return nil
}

// insertJob queues the subscribers' e-mail job and returns the INSERT's
// error without a word.
func (a *App) insertJob(ctx context.Context, id int64) error {
	_, err := a.db.ExecContext(ctx, `INSERT INTO jobs (kind, post_id) VALUES ('mail', $1)`, id)
	return err
}

// Publish answers at once; the job's insert error is lost with nobody told.
func (a *App) Publish(w http.ResponseWriter, r *http.Request) {
	ctx := context.WithoutCancel(r.Context())
	go a.insertJob(ctx, 42) // want `drops the error a.insertJob returns`
	w.WriteHeader(http.StatusAccepted)
}

// Federate drops an error that federate has logged already: at most info.
func (a *App) Federate(w http.ResponseWriter, r *http.Request) {
	ctx := context.WithoutCancel(r.Context())
	go a.federate(ctx, 42) // want `drops the error a.federate returns`
	w.WriteHeader(http.StatusAccepted)
}
