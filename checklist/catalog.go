// Package checklist holds prodready's deterministic checks: one
// golang.org/x/tools/go/analysis Analyzer per check, each answering one of the
// three questions, and the catalog that describes them.
package checklist

import (
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/finding"
)

// Check is one entry of the catalog.
type Check struct {
	// ID is the readable, stable name users write in config and suppressions.
	// It is the analyzer's Name (see IDOf), filled in by Catalog.
	ID       string
	Question finding.Question
	// Severity is the default severity.
	Severity finding.Severity
	// Title is one line saying what is wrong.
	Title string
	// Rationale names the production failure the check prevents.
	Rationale string
	// Fix is the one-line fix.
	Fix string
	// Bad and Good are short examples of the problem and of its fix.
	Bad, Good string
	// Analyzer finds it: one analyzer per check, named for it.
	Analyzer *analysis.Analyzer
	// SpeaksIn says in which contexts the check reports and at what
	// severity; SeverityReason says why its default severity is what it
	// is. Catalog fills both from the table in contexts.go.
	SpeaksIn, SeverityReason string
}

// Catalog returns every check, in catalog order. Each call returns a fresh
// slice; the checks themselves are shared and must not be modified.
func Catalog() []*Check {
	var out []*Check
	out = append(out, runsTwiceChecks()...)
	out = append(out, failsHalfwayChecks()...)
	out = append(out, underLoadChecks()...)
	for _, c := range out {
		c.ID = IDOf(c.Analyzer)
		c.SpeaksIn, c.SeverityReason = speech[c.ID].where, speech[c.ID].why
	}
	return out
}

// IDOf returns the ID of the check analyzer a finds: its Name, spelt with
// hyphens. An analyzer's name must be a Go identifier, so the check
// http-no-timeout is found by the analyzer http_no_timeout: one identity in
// the two spellings that the JSON contract and go vet's flags allow.
func IDOf(a *analysis.Analyzer) string { return strings.ReplaceAll(a.Name, "_", "-") }

// Lookup returns the check with id, or nil.
func Lookup(id string) *Check {
	for _, c := range Catalog() {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// Analyzers returns the distinct analyzers behind checks, in order, each
// behind a panic guard: what the vet tool runs side by side. Reviews run
// them through Bundle instead.
func Analyzers(checks []*Check) []*analysis.Analyzer {
	seen := map[*analysis.Analyzer]bool{}
	var out []*analysis.Analyzer
	for _, c := range checks {
		if c.Analyzer != nil && !seen[c.Analyzer] {
			seen[c.Analyzer] = true
			out = append(out, guarded(c.Analyzer))
		}
	}
	return out
}

// guarded returns a copy of a check's analyzer whose Run turns a panic into
// the action's error: one check failing on code it did not foresee costs
// that check's findings on that package, which the report names, not the
// run. Checks are roots of the analysis graph (nothing requires them), so a
// copy stands in for the original everywhere it is used.
func guarded(a *analysis.Analyzer) *analysis.Analyzer {
	g := *a
	g.Run = code.Guard(a.Name, a.Run)
	return &g
}
