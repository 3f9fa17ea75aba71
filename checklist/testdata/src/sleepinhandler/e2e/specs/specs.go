// Package specs is an end-to-end suite: its specs are registered from a
// package-level var, outside any declared function, as test frameworks do.
package specs

import (
	"net/http"
	"time"
)

func describe(name string, body func()) bool { body(); return true }

// The handler slows its answer down on purpose to test a client timeout:
// test support, silent.
var _ = describe("slow backend", func() {
	http.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(2 * time.Second)
		w.WriteHeader(http.StatusOK)
	})
})
