package sleepinhandler

import (
	"fmt"
	"net/http"
	"time"
)

// streamStats pushes a line every two seconds to a streamed response: the
// sleep is the interval between pushes, and the flush notices a client gone.
func streamStats(w http.ResponseWriter, r *http.Request) {
	f, _ := w.(http.Flusher)
	for i := 0; ; i++ {
		if _, err := fmt.Fprintf(w, "data: %d\n\n", i); err != nil {
			return
		}
		f.Flush()
		time.Sleep(2 * time.Second)
	}
}

// retryLookup sleeps between attempts inside a loop that pushes nothing:
// the request waits.
func retryLookup(w http.ResponseWriter, r *http.Request) {
	for i := 0; i < 3; i++ {
		if r.FormValue("id") != "" {
			break
		}
		time.Sleep(time.Second) // want `time.Sleep in an HTTP handler`
	}
	w.WriteHeader(http.StatusOK)
}

// authConfig holds the operator's penalty for a failed login.
type authConfig struct{ FailDelay, Throttle time.Duration }

// login slows a failed attempt by the configured penalty, to slow guessing.
func (c authConfig) login(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("password") != "secret" {
		time.Sleep(c.FailDelay)
		http.Error(w, "denied", http.StatusUnauthorized)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// pause waits a configured time on every request: no failure named.
func (c authConfig) pause(w http.ResponseWriter, r *http.Request) {
	time.Sleep(c.Throttle) // want `time.Sleep in an HTTP handler`
	w.WriteHeader(http.StatusOK)
}
