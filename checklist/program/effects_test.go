package program

import (
	"strings"
	"testing"
)

// TestDedupeWordsFirstLetters keeps dedupeIdent's fast path in step with
// dedupeWords: every word is found, in any case, anywhere in a name.
func TestDedupeWordsFirstLetters(t *testing.T) {
	for _, w := range dedupeWords {
		for _, name := range []string{w, "x" + w, "x" + strings.ToUpper(w) + "y", "s." + strings.ToUpper(w[:1]) + w[1:]} {
			if !dedupeIdent(name) {
				t.Errorf("dedupeIdent(%q) = false, want true (word %q)", name, w)
			}
		}
	}
	for _, name := range []string{"", "user", "processed", "dedu", "unique", "markProcess"} {
		if dedupeIdent(name) {
			t.Errorf("dedupeIdent(%q) = true, want false", name)
		}
	}
}
