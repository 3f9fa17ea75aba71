package cli

import (
	"runtime/debug"
	"testing"
)

// TestReviewGC: a review raises the collector's target unless GOGC is set,
// which the user's setting then keeps.
func TestReviewGC(t *testing.T) {
	prev := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prev)
	reviewGC(&Env{Getenv: func(string) string { return "" }})
	if got := debug.SetGCPercent(100); got != reviewGCPercent {
		t.Errorf("without GOGC: GC percent %d, want %d", got, reviewGCPercent)
	}
	reviewGC(&Env{Getenv: func(k string) string {
		if k == "GOGC" {
			return "50"
		}
		return ""
	}})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set: GC percent %d, want it left at 100", got)
	}
}
