package sleepinhandler

import (
	"net/http"
	"time"
)

// A handler written in a package-level var of serving code still serves.
var slowStatus = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep`
	w.WriteHeader(http.StatusOK)
})
