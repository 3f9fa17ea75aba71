package checklist

import (
	"slices"
	"strings"
	"testing"
)

// TestSuppress holds the one suppression rule every driver uses: a reasoned
// //prodready:ignore for the check (or all) on the line or the line above
// silences it, one without a reason does not and is named by its line, and
// a //nolint silences a check only for a peer linter, all, or bare.
func TestSuppress(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		id        string
		want      Suppression
	}{
		{"reason above", "//prodready:ignore http-no-timeout bounded by the caller\ncall()", "http-no-timeout", Suppression{Suppressed: true}},
		{"reason on the line", "call() //prodready:ignore all the process exits next", "http-no-timeout", Suppression{Suppressed: true}},
		{"no reason", "//prodready:ignore http-no-timeout\ncall()", "http-no-timeout", Suppression{Unreasoned: 1}},
		{"another check", "//prodready:ignore query-in-loop one row\ncall()", "http-no-timeout", Suppression{}},
		{"two lines above", "//prodready:ignore http-no-timeout reason\n\ncall()", "http-no-timeout", Suppression{}},
		{"peer nolint", "resp, _ := c.Do(req) //nolint:bodyclose", "http-body-not-closed", Suppression{Suppressed: true}},
		{"peer nolint above", "//nolint:errcheck,bodyclose // closed by the caller\ncall()", "http-body-not-closed", Suppression{Suppressed: true}},
		{"nolint after code above", "x() //nolint:bodyclose\ncall()", "http-body-not-closed", Suppression{}},
		{"other linter", "call() //nolint:gosec", "http-body-not-closed", Suppression{}},
		{"no peer", "call() //nolint:bodyclose", "http-no-timeout", Suppression{}},
		{"bare nolint", "call() //nolint", "http-no-timeout", Suppression{Suppressed: true}},
		{"nolint all", "call() //nolint:all", "http-no-timeout", Suppression{Suppressed: true}},
		{"look-alike", "call() //nolintx", "http-no-timeout", Suppression{}},
		{"older spelling", "go http.ListenAndServe(\":8080\", nil) // nolint:errcheck,gosec", "server-no-timeouts", Suppression{Suppressed: true}},
		{"older spelling, other linter", "go srv.ListenAndServe() // nolint:errcheck", "server-no-timeouts", Suppression{}},
	} {
		lines := strings.Split(tc.src, "\n")
		text := func(n int) string {
			if n < 1 || n > len(lines) {
				return ""
			}
			return lines[n-1]
		}
		if got := Suppress(text, len(lines), tc.id); got != tc.want {
			t.Errorf("%s: Suppress = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestExcludedRules(t *testing.T) {
	cfg := "linters-settings:\n  gosec:\n    excludes:\n      - G112 # metrics ports are internal\n      - G1145\n"
	if got := ExcludedRules(cfg, "server-no-timeouts"); !slices.Equal(got, []string{"G112"}) {
		t.Errorf("ExcludedRules = %v, want [G112]", got)
	}
	if got := ExcludedRules("issues:\n  exclude-rules:\n    - text: \"G114:\"\n", "server-no-timeouts"); !slices.Equal(got, []string{"G114"}) {
		t.Errorf("ExcludedRules(exclude-rules) = %v, want [G114]", got)
	}
	if got := ExcludedRules("linters:\n  enable: [gosec]\n", "server-no-timeouts"); got != nil {
		t.Errorf("ExcludedRules(no rule named) = %v, want none", got)
	}
	if got := ExcludedRules(cfg, "http-body-not-closed"); got != nil {
		t.Errorf("ExcludedRules(other check) = %v, want none", got)
	}
}
