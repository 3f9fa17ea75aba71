package goroutineunbounded

import (
	"encoding/json"
	"net/http"
)

// Go runs f on a goroutine of its own, recovering a panic: the package's
// goroutine factory, called as a plain function.
func Go(f func()) {
	go func() {
		defer func() { _ = recover() }()
		f()
	}()
}

// handleWarm starts one goroutine per key the client lists through the
// factory.
func handleWarm(w http.ResponseWriter, r *http.Request) {
	var keys []int
	if err := json.NewDecoder(r.Body).Decode(&keys); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	for _, k := range keys {
		Go(func() { _ = process(r.Context(), item{id: k}) }) // want `Go starts a goroutine, and it is called for every iteration`
	}
}
