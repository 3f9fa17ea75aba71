package sleepinhandler

import (
	"net/http"
	"time"
	clock "time"
)

func slow(w http.ResponseWriter, r *http.Request) {
	time.Sleep(2 * time.Second) // want `time.Sleep in an HTTP handler`
	w.WriteHeader(http.StatusOK)
}

type api struct{ delay time.Duration }

func (a *api) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	clock.Sleep(a.delay) // want `time.Sleep in an HTTP handler`
}

func routes(mux *http.ServeMux) {
	mux.HandleFunc("/retry", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 3; i++ {
			time.Sleep(100 * time.Millisecond) // want `time.Sleep in an HTTP handler`
		}
	})
}

// Inside a closure run by the handler itself.
func withBackoff(w http.ResponseWriter, r *http.Request) {
	wait := func(d time.Duration) { time.Sleep(d) } // want `time.Sleep in an HTTP handler`
	wait(time.Second)
}
