package review

import (
	"strings"

	"github.com/prodready/prodready/finding"
)

// PartialLoad starts the reason of a "skipped" entry of the JSON report for a
// package that did not fully load (it was checked at syntax level only); see
// finding.Note.Skipped.
const PartialLoad = "partial load: "

// noModule is the load's reason for a directory outside any module: checked
// for syntax only by design, so it is no broken build.
const noModule = "no go.mod above it"

// BrokenLoads returns the partial-load notes of packages that did not compile
// or whose dependencies did not load: code that was not fully checked, which
// a gate may fail on.
func BrokenLoads(rep *finding.Report) []finding.Note {
	var out []finding.Note
	for _, n := range rep.Notes {
		if n.Kind == finding.NotePartialLoad && !strings.HasPrefix(n.Reason, noModule) {
			out = append(out, n)
		}
	}
	return out
}
