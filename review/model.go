package review

import (
	"fmt"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/prodready/prodready/checklist"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/review/load"
)

// models gathers the program model of a checker run's root packages.
type models struct {
	fset   *token.FileSet
	list   []*program.Model
	failed []finding.Note // checks that failed on a package
}

// add keeps act's result if act is the program model's; it reports whether
// it was.
func (ms *models) add(act *checker.Action) bool {
	if act.Analyzer != program.Analyzer {
		return false
	}
	if m, ok := act.Result.(*program.Model); ok {
		ms.list = append(ms.list, m)
		ms.fset = act.Package.Fset
	}
	return true
}

// fail records that the analyzer called name, a check (or what the checks
// need) on one package, failed with err: its findings there are missing. A
// failure of what the checks need (the program model) fails every check on
// the package; the first error says it.
func (ms *models) fail(root string, pkg *packages.Package, name string, err error) {
	dir := load.PackageDir(root, pkg)
	for _, n := range ms.failed {
		if n.Path == dir {
			return // one note a package
		}
	}
	ms.failed = append(ms.failed, finding.Note{Kind: finding.NoteCheckFailed, Path: dir,
		Reason: fmt.Sprintf("%s did not run on %s: %v", name, pkg.PkgPath, err)})
}

// Reach returns the chains-to-a-function view of the model, for the LLM
// stage; nil when no model was computed.
func (ms *models) Reach() *program.Reach {
	if ms == nil || ms.fset == nil {
		return nil
	}
	return program.NewReach(ms.fset, ms.list)
}

// access resolves, over every root package's model, which request
// handlers are registered on public routes.
func (ms *models) access() *program.Access {
	if ms == nil {
		return nil
	}
	return program.NewAccess(ms.list)
}

// publicNote says where the handler a route-gated diagnostic is reached
// from is registered without authentication: "" when it is not (the
// finding is info) or the diagnostic is not route-gated.
func (ms *models) publicNote(root string, a *program.Access, d analysis.Diagnostic) string {
	if strings.HasPrefix(d.Category, checklist.LoggedInInfo) {
		if checklist.SeverityOf(finding.SeverityWarning, d, a) == finding.SeverityInfo {
			return " (info: every route seen reaching it asks for a login first, so a replay takes a session already)"
		}
		return ""
	}
	for _, k := range checklist.RouteKeys(d) {
		pos, webhook, ok := a.PublicAt(k)
		if !ok || ms.fset == nil {
			continue
		}
		if webhook {
			return " (a webhook route: anyone can reach it)"
		}
		p := ms.fset.Position(pos)
		if rel, ok := relPath(root, p.Filename); ok && p.IsValid() {
			return fmt.Sprintf(" (the route is registered without authentication at %s:%d)", rel, p.Line)
		}
	}
	return ""
}

// maxCutNotes bounds the notes about chains cut short.
const maxCutNotes = 10

// cutNotes says which checks failed on a package, and which entry points' chains were cut short because a callee's
// package was not analysed (it did not load, or was outside what the review
// loaded), so that a silent runs-twice answer is not read as a clean one.
func (ms *models) cutNotes() []finding.Note {
	if ms == nil {
		return nil
	}
	var notes []finding.Note
	more := 0
	for _, m := range ms.list {
		for _, e := range m.Entries {
			if e.Summary == nil || len(e.Summary.Cut) == 0 || e.Delivery == program.TestOnly || e.Delivery == program.Once {
				continue
			}
			if len(notes) == maxCutNotes {
				more++
				continue
			}
			n := fmt.Sprintf("chains from the %s `%s` (%s) were cut short: %s", e.Label, e.Name, program.ShortPos(ms.fset, e.Pos), e.Summary.Cut[0])
			if k := len(e.Summary.Cut) - 1; k > 0 {
				n += fmt.Sprintf(" (and %d more)", k)
			}
			notes = append(notes, finding.Note{Kind: finding.NoteChainsCut, Reason: n})
		}
	}
	if more > 0 {
		notes = append(notes, finding.Note{Kind: finding.NoteChainsCut, Reason: fmt.Sprintf("chains from %d more entry points were cut short", more)})
	}
	return append(slices.Clone(ms.failed), notes...)
}
