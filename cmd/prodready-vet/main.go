// Command prodready-vet runs prodready's deterministic checks as a go vet
// tool:
//
//	go build -o prodready-vet ./cmd/prodready-vet
//	go vet -vettool=$(pwd)/prodready-vet ./...
//
// Each finding's message starts with its check ID in brackets, and a
// //prodready:ignore <check-id> <reason> comment on the finding's line or the
// line above suppresses it, as in prodready review.
package main

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/prodready/prodready/checklist"
)

func main() {
	unitchecker.Main(vetAnalyzers(checklist.Catalog())...)
}

// ignoreDirective matches review.IgnoreDirective; it is repeated here so that
// the vet tool does not link the whole review pipeline.
const ignoreDirective = "//prodready:ignore"

// vetAnalyzers wraps each distinct analyzer of checks so that its
// diagnostics name their check and honour suppression comments.
func vetAnalyzers(checks []*checklist.Check) []*analysis.Analyzer {
	byAnalyzer := map[*analysis.Analyzer]string{}
	ids := map[string]bool{}
	for _, c := range checks {
		ids[c.ID] = true
		if _, ok := byAnalyzer[c.Analyzer]; !ok {
			byAnalyzer[c.Analyzer] = c.ID
		}
	}
	var out []*analysis.Analyzer
	for _, a := range checklist.Analyzers(checks) {
		inner := a
		wrapped := *inner
		wrapped.Run = func(pass *analysis.Pass) (any, error) {
			report := pass.Report
			pass.Report = func(d analysis.Diagnostic) {
				id := byAnalyzer[inner]
				if ids[d.Category] {
					id = d.Category
				}
				if suppressed(pass, d.Pos, id) {
					return
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

// suppressed reports whether an ignore directive naming id (with a reason)
// sits on pos's line or the line above.
func suppressed(pass *analysis.Pass, pos token.Pos, id string) bool {
	p := pass.Fset.Position(pos)
	for _, f := range pass.Files {
		if pass.Fset.File(f.Pos()) != pass.Fset.File(pos) {
			continue
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				line := pass.Fset.Position(c.Pos()).Line
				if (line == p.Line || line == p.Line-1) && directiveFor(c, id) {
					return true
				}
			}
		}
	}
	return false
}

func directiveFor(c *ast.Comment, id string) bool {
	rest, ok := strings.CutPrefix(c.Text, ignoreDirective)
	if !ok {
		return false
	}
	fields := strings.Fields(rest)
	return len(fields) >= 2 && (fields[0] == id || fields[0] == "all")
}
