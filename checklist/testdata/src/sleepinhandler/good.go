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

func constantTimeEq(a, b string) bool { return len(a) == len(b) && a == b }

// basicAuthDelay slows a failed Basic-auth login: a defence against
// guessing, not a delay to move off the request path.
func basicAuthDelay(user, pass string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if ok && constantTimeEq(u, user) && constantTimeEq(p, pass) {
			next.ServeHTTP(w, r)
			return
		}
		time.Sleep(200 * time.Millisecond)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
	})
}
