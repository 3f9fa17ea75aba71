package config

import (
	"testing"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/review/patch"
)

// Flags win over the config, the config over the defaults.
func TestResolveOrder(t *testing.T) {
	cfg := Config{Filter: patch.FilterFile, FailOn: finding.SeverityWarning, MaxComments: 5}
	cases := []struct {
		name   string
		cfg    Config
		flags  Flags
		filter patch.Filter
		failOn finding.Severity
		max    int
	}{
		{"defaults", Config{}, Flags{}, patch.FilterAdded, finding.SeverityError, 30},
		{"config", cfg, Flags{}, patch.FilterFile, finding.SeverityWarning, 5},
		{"flags", cfg, Flags{Filter: "nofilter", FailOn: "none", MaxComments: 2}, patch.FilterNone, finding.SeverityNone, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := Resolve(c.cfg, c.flags)
			if err != nil {
				t.Fatal(err)
			}
			if e.Filter != c.filter || e.FailOn != c.failOn || e.MaxComments != c.max {
				t.Fatalf("Resolve = %s %s %d; want %s %s %d", e.Filter, e.FailOn, e.MaxComments, c.filter, c.failOn, c.max)
			}
		})
	}
}

func TestResolveRejectsBadFlags(t *testing.T) {
	for _, f := range []Flags{{Filter: "some"}, {FailOn: "fatal"}, {MaxComments: -1}} {
		if _, err := Resolve(Config{}, f); err == nil {
			t.Errorf("Resolve(%+v) accepted a bad value", f)
		}
	}
}
