package config

import (
	"strings"
	"testing"

	"github.com/prodready/prodready/finding"
)

func TestCheckIDs(t *testing.T) {
	known := []string{"http-no-timeout", "query-in-loop", "read-unbounded"}
	ok := Config{Checks: Checks{Enable: []string{"http-no-timeout"}, Disable: []string{"query-in-loop"},
		Severity: map[string]finding.Severity{"read-unbounded": "info"}}}
	if err := ok.CheckIDs(known); err != nil {
		t.Fatalf("known IDs refused: %v", err)
	}
	bad := Config{Checks: Checks{Enable: []string{"http-no-timout"}}}
	err := bad.CheckIDs(known)
	if err == nil || !strings.Contains(err.Error(), `unknown check "http-no-timout"`) ||
		!strings.Contains(err.Error(), `did you mean "http-no-timeout"`) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v", err)
	}
	far := Config{Checks: Checks{Disable: []string{"everything"}}}
	if err := far.CheckIDs(known); err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Fatalf("a far-off ID should get no guess: %v", err)
	}
}

func TestNearest(t *testing.T) {
	c := []string{"http-no-timeout", "http-body-not-closed", "server-no-timeouts"}
	for in, want := range map[string]string{
		"http-no-timout":      "http-no-timeout",
		"server-no-timeout":   "server-no-timeouts",
		"http-body-not-close": "http-body-not-closed",
		"zzz":                 "",
	} {
		if got := Nearest(in, c); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", in, got, want)
		}
	}
}
