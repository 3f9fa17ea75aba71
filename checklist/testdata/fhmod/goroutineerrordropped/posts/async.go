package posts

import (
	"context"
	"net/http"

	"goroutineerrordropped/worker"
)

// Panel answers the panel's asynchronous endpoints.
type Panel struct {
	server *worker.Server
}

// Install answers 202 and installs in the background; Install, in another
// package, logs every error it returns: at most info.
func (p *Panel) Install(w http.ResponseWriter, r *http.Request) {
	go func(s *worker.Server) {
		_ = s.Install(context.WithoutCancel(r.Context())) // want `drops the error of s.Install`
	}(p.server)
	w.WriteHeader(http.StatusAccepted)
}

// DeleteEpisode runs a quick delete in a goroutine: its error, returned
// without a word by a function of another package, is lost.
func (a *App) DeleteEpisode(w http.ResponseWriter, r *http.Request) {
	go worker.DeleteEpisode(context.WithoutCancel(r.Context()), a.db, r.PathValue("id")) // want `drops the error worker.DeleteEpisode returns`
	w.WriteHeader(http.StatusOK)
}
