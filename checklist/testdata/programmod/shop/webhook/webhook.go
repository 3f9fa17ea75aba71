// Package webhook serves the payment provider's webhooks and the sign-up form.
package webhook

import (
	"encoding/json"
	"net/http"

	"example.com/shop/billing"
	"example.com/shop/store"
)

// Handler serves HTTP.
type Handler struct {
	Billing *billing.Service
	Store   *store.Store
}

func decode(r *http.Request) (billing.Event, error) {
	var ev billing.Event
	err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(&ev)
	return ev, err
}

// Stripe is registered on /webhooks/stripe by main.
func (h *Handler) Stripe(w http.ResponseWriter, r *http.Request) {
	ev, err := decode(r)
	if err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if err := h.Billing.Refund(r.Context(), ev); err != nil {
		http.Error(w, "retry", http.StatusInternalServerError)
	}
}

// Adyen dedupes on the event ID before applying it.
func (h *Handler) Adyen(w http.ResponseWriter, r *http.Request) {
	ev, err := decode(r)
	if err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	fresh, err := h.Store.MarkProcessed(r.Context(), ev.ID)
	if err != nil || !fresh {
		return
	}
	_ = h.Billing.Refund(r.Context(), ev)
}

// PaddleWebhook keys the row on the event ID.
func (h *Handler) PaddleWebhook(w http.ResponseWriter, r *http.Request) {
	ev, err := decode(r)
	if err != nil {
		return
	}
	_ = h.Store.RecordRefundOnce(r.Context(), ev.ID, ev.ChargeID, ev.Amount)
}

// Signup is an ordinary form post: one user action, not redelivered.
func (h *Handler) Signup(w http.ResponseWriter, r *http.Request) {
	_ = h.Store.CreateUser(r.Context(), r.FormValue("email"))
}
