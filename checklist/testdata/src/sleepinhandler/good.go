package sleepinhandler

import (
	"log/slog"
	"net/http"
	"time"
)

// Waiting on the request's context.
func polite(w http.ResponseWriter, r *http.Request) {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case <-r.Context().Done():
		return
	case <-t.C:
	}
	w.WriteHeader(http.StatusOK)
}

// Work handed to a goroutine does not hold the request.
func async(w http.ResponseWriter, r *http.Request) {
	go func() {
		time.Sleep(time.Second)
		slog.Info("later")
	}()
	w.WriteHeader(http.StatusAccepted)
}

// Not a handler.
func backoff(attempt int) {
	time.Sleep(time.Duration(attempt) * 100 * time.Millisecond)
}

// A method named Sleep on our own type.
type fakeClock struct{}

func (fakeClock) Sleep(time.Duration) {}

func tick(w http.ResponseWriter, r *http.Request) {
	var c fakeClock
	c.Sleep(time.Second)
}
