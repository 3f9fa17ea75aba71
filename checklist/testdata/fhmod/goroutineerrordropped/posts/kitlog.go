package posts

import (
	"errors"
	"net/http"
)

// Logger is go-kit's logger interface: Log returns an error.
type Logger interface {
	Log(keyvals ...any) error
}

// Drain answers at once and drains the replies in the background, logging
// the failures: the error Log returns is the logger's own, not the work's.
func (a *App) Drain(logger Logger, replies chan error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		go func() {
			for err := range replies {
				if err != nil {
					logger.Log("msg", "request failed, not needed for quorum", "err", err)
				}
			}
		}()
		w.WriteHeader(http.StatusAccepted)
	}
}

// Notify drops the error of the work itself.
func (a *App) Notify(w http.ResponseWriter, r *http.Request) {
	go func() {
		a.send(r.PathValue("id")) // want `drops the error of a.send`
	}()
	w.WriteHeader(http.StatusAccepted)
}

func (a *App) send(id string) error { return errors.New(id) }
