package httpbodynotclosed

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestStatus leaks a body in a test: test-only code is silent.
func TestStatus(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("status %d", resp.StatusCode)
	}
}
