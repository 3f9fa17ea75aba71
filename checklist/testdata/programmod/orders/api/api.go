// Package api serves the order API.
package api

import (
	"bytes"
	"context"
	"net/http"

	"example.com/orders/events"
	"example.com/orders/logger"
	"example.com/orders/repo"
)

// API serves HTTP.
type API struct {
	Repo   *repo.Repo
	Pub    *events.Publisher
	Client *http.Client
	notify func(ctx context.Context, id string)
	Pool   *events.Pool
	Deps   *events.Deps
	Log    logger.Logger
}

// CreateDraft logs a warning through a logger that forwards lines to a log
// service over HTTP, then writes the row: a log line is not an outbound
// write the row can disagree with.
func (a *API) CreateDraft(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	if id == "" {
		a.Log.Warn("draft without an id")
	}
	_ = a.Repo.Insert(r.Context(), id)
}

// CreateOrder writes the row, then publishes: a crash between them loses the event.
func (a *API) CreateOrder(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	if err := a.Repo.Insert(r.Context(), id); err != nil {
		http.Error(w, "failed", http.StatusInternalServerError)
		return
	}
	_ = a.Pub.OrderCreated(id)
}

// ShipOrder books the carrier, then records it: if the update fails, the
// pickup is booked and nothing says so.
func (a *API) ShipOrder(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	resp, err := http.Post("https://carrier.example/pickups", "text/plain", bytes.NewReader([]byte(id)))
	if err != nil {
		return
	}
	_ = resp.Body.Close()
	_ = a.Repo.MarkShipped(r.Context(), id)
}

// Notify records the order, then tells a partner over HTTP; the order of
// the two is the common federation pattern and is left alone.
func (a *API) Notify(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	if err := a.Repo.MarkShipped(r.Context(), id); err != nil {
		return
	}
	if resp, err := http.Post("https://partner.example/hooks", "text/plain", bytes.NewReader([]byte(id))); err == nil {
		_ = resp.Body.Close()
	}
}

// CreateOrderOutbox writes the event to an outbox in the order's transaction.
func (a *API) CreateOrderOutbox(w http.ResponseWriter, r *http.Request) {
	_ = a.Repo.InsertWithOutbox(r.Context(), r.FormValue("id"))
}

// Announce only publishes.
func (a *API) Announce(w http.ResponseWriter, r *http.Request) {
	_ = a.Pub.OrderCreated(r.FormValue("id"))
}

// Reschedule either books a new pickup or cancels the order, never both:
// the POST and the write sit on exclusive branches.
func (a *API) Reschedule(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	if r.FormValue("date") != "" {
		resp, err := http.Post("https://carrier.example/pickups", "text/plain", bytes.NewReader([]byte(id)))
		if err != nil {
			return
		}
		_ = resp.Body.Close()
		return
	}
	_ = a.Repo.MarkCancelled(r.Context(), id)
}
