// Package api serves the integration and project routes.
package api

import (
	"crypto/rand"
	"io"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"example.com/integ/service"
	"example.com/integ/store"
)

// API holds the handlers' dependencies.
type API struct {
	Pool *service.Pool
	SQL  *store.SQLStore
	HC   *http.Client
}

// Routes registers the API's own routes.
func (a *API) Routes(r *mux.Router) {
	r.Path("/api/integrations/{alias}").HandlerFunc(a.ReceiveIntegration).Methods("POST")
	r.Path("/api/projects/{id}").HandlerFunc(a.UpdateProject).Methods("PUT")
	r.Path("/api/projects/{id}/integrations").HandlerFunc(a.AddIntegration).Methods("POST")
	r.HandleFunc("/hooks/forward", a.Forward)
	r.HandleFunc("/api/projects/{id}/hooks", a.CreateHook)
}

// ReceiveIntegration runs the integration's template for each delivery.
func (a *API) ReceiveIntegration(w http.ResponseWriter, r *http.Request) {
	payload, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		return
	}
	if r.Header.Get("X-GitHub-Delivery") == "" {
		http.Error(w, "not a delivery", http.StatusBadRequest)
		return
	}
	if _, err := a.Pool.AddTask(1, string(payload)); err != nil {
		w.WriteHeader(http.StatusInternalServerError)
	}
}

// ReceiveGitlab dedupes on the sender's delivery ID first.
func (a *API) ReceiveGitlab(w http.ResponseWriter, r *http.Request) {
	fresh, err := a.SQL.ClaimDelivery(r.Header.Get("X-Gitlab-Event-UUID"))
	if err != nil || !fresh {
		return
	}
	_ = a.SQL.CreatePipelineRun(r.FormValue("ref"))
}

// Forward passes the delivery on to the deploy service.
func (a *API) Forward(w http.ResponseWriter, r *http.Request) {
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, "https://deploy.internal/runs", strings.NewReader("{}"))
	if err != nil {
		return
	}
	req.Header.Set("Idempotency-Key", rand.Text()) // want `^the idempotency key is created inside a queue, event or webhook handler`
	resp, err := a.HC.Do(req)
	if err != nil {
		return
	}
	resp.Body.Close()
}

// UpdateProject is an ordinary API call from the browser.
func (a *API) UpdateProject(w http.ResponseWriter, r *http.Request) {
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, "https://deploy.internal/projects", strings.NewReader("{}"))
	if err != nil {
		return
	}
	req.Header.Set("Idempotency-Key", rand.Text())
	resp, err := a.HC.Do(req)
	if err != nil {
		return
	}
	resp.Body.Close()
	_ = a.Pool.AddTemplate(2)
	_, _ = a.Pool.Group.Do("warm", func() (any, error) { return nil, a.SQL.Cache("warm") })
}

// AddIntegration configures a new integration: a settings form, under an
// integrations route but no delivery.
func (a *API) AddIntegration(w http.ResponseWriter, r *http.Request) {
	_ = a.SQL.SaveIntegration(r.FormValue("name"))
}

// CreateHook configures an outgoing hook from the settings page.
func (a *API) CreateHook(w http.ResponseWriter, r *http.Request) {
	_ = a.SQL.SaveIntegration(r.FormValue("url"))
}

// Refund is the payment provider's refund hook.
func (a *API) Refund(w http.ResponseWriter, r *http.Request) {
	_ = a.SQL.Refund(r.Context(), r.FormValue("order"))
}

// handleMessage is named like a handler and takes a raw payload, but
// nothing says what delivers it.
func handleMessage(s *store.SQLStore, payload []byte) error {
	return s.SaveMessage(payload)
}

// Drain feeds handleMessage.
func Drain(s *store.SQLStore, in [][]byte) {
	for _, p := range in {
		_ = handleMessage(s, p)
	}
}
