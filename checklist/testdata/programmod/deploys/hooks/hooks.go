// Package hooks serves the code host's deployment webhooks. It sees the
// service only through its own interface; main wires the facade in.
package hooks

import (
	"encoding/json"
	"net/http"
)

// Service is what the hooks need, implemented by service.Facade, which
// embeds one service per area.
type Service interface {
	RecordStatus(deployID int64, state string) error
	ProduceStats(repoID int64) error
	InsertAudit(event string) error
}

// Hooks handles the code host's deliveries.
type Hooks struct {
	Svc Service
}

type statusEvent struct {
	DeployID int64  `json:"deploy_id"`
	RepoID   int64  `json:"repo_id"`
	State    string `json:"state"`
}

// Handle is registered on /hooks; the host retries a delivery that failed.
func (h *Hooks) Handle(w http.ResponseWriter, r *http.Request) {
	delivery := r.Header.Get("X-GitHub-Delivery")
	var ev statusEvent
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&ev); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if err := h.Svc.RecordStatus(ev.DeployID, ev.State); err != nil {
		http.Error(w, "retry", http.StatusInternalServerError)
		return
	}
	if err := h.Svc.ProduceStats(ev.RepoID); err != nil {
		http.Error(w, "retry", http.StatusInternalServerError)
		return
	}
	_ = h.Svc.InsertAudit("delivery " + delivery)
}
