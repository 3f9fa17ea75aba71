package code

import (
	"slices"
	"testing"
)

func TestIdentWords(t *testing.T) {
	for in, want := range map[string][]string{
		"URLs":          {"urls"},
		"IDs":           {"ids"},
		"parseURLsFast": {"parse", "urls", "fast"},
		"urlToFilename": {"url", "to", "filename"},
		"HTTPServer":    {"http", "server"},
		"cursorByShard": {"cursor", "by", "shard"},
		"retry_count2":  {"retry", "count"},
	} {
		if got := IdentWords(in); !slices.Equal(got, want) {
			t.Errorf("IdentWords(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextWords(t *testing.T) {
	got := TextWords("UPDATE alert_notification SET sentAt = $1")
	if want := []string{"update", "alert", "notification", "set", "sent", "at"}; !slices.Equal(got, want) {
		t.Errorf("TextWords = %q, want %q", got, want)
	}
}
