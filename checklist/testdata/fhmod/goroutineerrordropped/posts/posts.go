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

// Touch refreshes the post's view count in the background and writes out
// that its error is dropped: at most info.
func (a *App) Touch(w http.ResponseWriter, r *http.Request) {
	ctx := context.WithoutCancel(r.Context())
	go func() {
		_ = a.insertJob(ctx, 7) // want `drops the error of a.insertJob.*\(info: the error is assigned to _`
	}()
	w.WriteHeader(http.StatusAccepted)
}

// Queue drops the same error by omission: it stays posted.
func (a *App) Queue(w http.ResponseWriter, r *http.Request) {
	ctx := context.WithoutCancel(r.Context())
	go func() {
		a.insertJob(ctx, 8) // want `drops the error of a.insertJob: the request has been answered`
	}()
	w.WriteHeader(http.StatusAccepted)
}
