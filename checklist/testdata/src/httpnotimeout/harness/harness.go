// Package harness starts the service for integration tests: its own
// files import testing, so it is test support wherever it sits.
package harness

import (
	"net/http"
	"testing"
)

// WaitReady polls the service under test until it answers.
func WaitReady(t *testing.T, u string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}
