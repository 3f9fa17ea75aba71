package review

import (
	"strings"

	"github.com/prodready/prodready/review/finding"
)

// PartialLoad starts the reason of a skipped entry for a package that did
// not fully load (it was checked at syntax level only).
const PartialLoad = "partial load: "

// noModule is the load's reason for a directory outside any module: checked
// for syntax only by design, so it is no broken build.
const noModule = "no go.mod above it"

// BrokenLoads returns the skipped entries of packages that did not compile
// or whose dependencies did not load: code that was not fully checked, which
// a gate may fail on.
func BrokenLoads(rep *finding.Report) []finding.Skipped {
	var out []finding.Skipped
	for _, s := range rep.Skipped {
		if strings.HasPrefix(s.Reason, PartialLoad) && !strings.HasPrefix(strings.TrimPrefix(s.Reason, PartialLoad), noModule) {
			out = append(out, s)
		}
	}
	return out
}
