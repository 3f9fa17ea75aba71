// Command prodready-vet runs prodready's deterministic checks as a go vet
// tool:
//
//	go build -o prodready-vet ./cmd/prodready-vet
//	go vet -vettool=$(pwd)/prodready-vet ./...
//
// Each finding's message starts with its check ID in brackets. Suppression
// is the checklist's, as in prodready review and check: a
// //prodready:ignore <check-id> <reason> comment on the finding's line or
// the line above, or a //nolint for a peer linter, silences it, and a
// //prodready:ignore without a reason is reported as ignore-without-reason.
// A finding its context lowers (checklist.SeverityOf) says so after the ID:
// "[read-unbounded] (info) ...".
package main

import (
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/prodready/prodready/checklist"
	"github.com/prodready/prodready/finding"
)

func main() {
	unitchecker.Main(vetAnalyzers(checklist.Catalog())...)
}

// vetAnalyzers wraps each distinct analyzer of checks so that its
// diagnostics name their check and honour suppression comments.
func vetAnalyzers(checks []*checklist.Check) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	for _, a := range checklist.Analyzers(checks) {
		inner := a
		id := checklist.IDOf(inner)
		wrapped := *inner
		wrapped.Run = func(pass *analysis.Pass) (any, error) {
			report := pass.Report
			lines := map[string][]string{}
			pass.Report = func(d analysis.Diagnostic) {
				pos := pass.Fset.Position(d.Pos)
				text := func(n int) string { return lineOf(pass, lines, pos.Filename, n) }
				sup := checklist.Suppress(text, pos.Line, id)
				if sup.Suppressed {
					return
				}
				if sup.Unreasoned > 0 {
					if tf := pass.Fset.File(d.Pos); tf != nil {
						report(analysis.Diagnostic{
							Pos:     tf.LineStart(sup.Unreasoned),
							Message: "[" + checklist.IgnoreWithoutReason + "] " + checklist.UnreasonedMessage(id),
						})
					}
				}
				// vet has no severity; say when context lowered it. A unit
				// checker sees one package, never the router that registers
				// a handler in another, so a finding posted only on a public
				// route (checklist.PublicRouteOnly) is info here: nil routes.
				if s := checklist.SeverityOf(finding.SeverityError, d, nil); s != finding.SeverityError {
					d.Message = "(" + string(s) + ") " + d.Message
				}
				d.Message = "[" + id + "] " + d.Message
				report(d)
			}
			return inner.Run(pass)
		}
		out = append(out, &wrapped)
	}
	return out
}

// lineOf returns 1-based line n of file, read once through the pass and
// kept in lines, or "" when it cannot be read.
func lineOf(pass *analysis.Pass, lines map[string][]string, file string, n int) string {
	ls, ok := lines[file]
	if !ok {
		if src, err := pass.ReadFile(file); err == nil {
			ls = strings.Split(string(src), "\n")
			for i, l := range ls {
				ls[i] = strings.TrimSuffix(l, "\r")
			}
		}
		lines[file] = ls
	}
	if n < 1 || n > len(ls) {
		return ""
	}
	return ls[n-1]
}
