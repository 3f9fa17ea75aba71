package checklist

import (
	"go/ast"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/finding"
)

// A check has one default severity, but some of its findings matter less
// where they are: a whole read of a response from an upstream the service
// chose is worth knowing, not worth a comment, while the same read of a
// client's request body is. go/analysis diagnostics carry no severity, so a
// check says so through Diagnostic.Category, which is independent of the
// message (messages change; the marker does not): a category naming a
// severity caps the finding at that severity. The review driver and the vet
// tool honour it through [SeverityOf].
const (
	// AtMostWarning caps a diagnostic at warning.
	AtMostWarning = "prodready:at-most-warning"
	// AtMostInfo caps a diagnostic at info: listed in the summary, not
	// posted inline by default.
	AtMostInfo = "prodready:at-most-info"
)

// SeverityOf returns the severity of a diagnostic whose check has severity
// s (its default, or what the configuration set): s, or the cap the
// diagnostic's Category names when that is lower.
func SeverityOf(s finding.Severity, d analysis.Diagnostic) finding.Severity {
	var most finding.Severity
	switch d.Category {
	case AtMostWarning:
		most = finding.SeverityWarning
	case AtMostInfo:
		most = finding.SeverityInfo
	default:
		return s
	}
	if s.Rank() > most.Rank() {
		return most
	}
	return s
}

// reportIn reports msg at n, capped at cat (AtMostWarning, AtMostInfo, or
// "" for the check's own severity).
func reportIn(pass *analysis.Pass, n ast.Node, cat, msg string) {
	pass.Report(analysis.Diagnostic{Pos: n.Pos(), End: n.End(), Message: msg, Category: cat})
}
