package review

import (
	"sort"
	"strconv"
	"strings"

	"github.com/prodready/prodready/finding"
)

// collapseRepeats keeps one posted comment per check and function: where a
// check posts the same defect several times in one function (three
// requests on one client with no timeout, a chain of writers whose closes
// go unchecked), the reviewer wants one comment that names the other
// lines, not a comment every few lines (reads N and O judged such repeats
// unwanted). The first posted finding of each group keeps its severity and
// lists the other lines; the rest become info and point at it. Findings
// outside a function and the LLM's are left alone; so is anything already
// info. It works on the findings a report will hold (after the change's
// scope is applied), so a repeat on a changed line is posted when the
// first is out of scope.
func collapseRepeats(fs []finding.Finding) {
	type key struct{ path, within, check string }
	groups := map[key][]int{}
	for i, f := range fs {
		if f.Within == "" || f.Source != finding.SourceChecklist || f.Severity.Rank() <= finding.SeverityInfo.Rank() {
			continue
		}
		k := key{f.Path, f.Within, f.Check}
		groups[k] = append(groups[k], i)
	}
	for _, idx := range groups {
		if len(idx) < 2 {
			continue
		}
		sort.Slice(idx, func(a, b int) bool { return fs[idx[a]].Line < fs[idx[b]].Line })
		first := &fs[idx[0]]
		var others []string
		for _, i := range idx[1:] {
			if fs[i].Line == first.Line {
				continue
			}
			others = append(others, strconv.Itoa(fs[i].Line))
		}
		for _, i := range idx[1:] {
			fs[i].Severity = finding.SeverityInfo
			fs[i].Message += " (info: the same as line " + strconv.Itoa(first.Line) + " of " + first.Function + ", where it is posted once for the function)"
		}
		if len(others) > 0 {
			first.Message += " (the same holds at " + lineList(others) + " of this function)"
		}
	}
}

// lineList writes lines as "line 7", "lines 7 and 9" or "lines 7, 9 and 12".
func lineList(lines []string) string {
	switch len(lines) {
	case 1:
		return "line " + lines[0]
	case 2:
		return "lines " + lines[0] + " and " + lines[1]
	}
	return "lines " + strings.Join(lines[:len(lines)-1], ", ") + " and " + lines[len(lines)-1]
}
