package program

import "testing"

// TestLoggingWord: package and type names about logging count; names that
// only contain the letters do not.
func TestLoggingWord(t *testing.T) {
	for name, want := range map[string]bool{
		"log": true, "logger": true, "logging": true, "Logger": true, "ExtraLogger": true, "slog": true,
		"zerolog": true, "logrus": true, "loggers": true,
		"catalog": false, "blog": false, "login": false, "dialog": false, "changelog": false, "backlog": false,
	} {
		if got := loggingWord(name); got != want {
			t.Errorf("loggingWord(%q) = %v, want %v", name, got, want)
		}
	}
}
