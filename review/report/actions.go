package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/prodready/prodready/finding"
)

// writeGitHubActions writes one workflow command per finding
// (::error file=…,line=…,title=…::message), which GitHub shows as annotations.
func writeGitHubActions(w io.Writer, rep *finding.Report) error {
	var b strings.Builder
	for _, f := range rep.Findings {
		b.WriteString(WorkflowCommand(f))
		b.WriteByte('\n')
	}
	for _, n := range rep.Warnings() {
		fmt.Fprintf(&b, "::notice title=prodready::%s\n", escapeData(n.String()))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WorkflowCommand renders f as a GitHub Actions workflow command.
func WorkflowCommand(f finding.Finding) string {
	cmd := "notice"
	switch f.Severity {
	case finding.SeverityError:
		cmd = "error"
	case finding.SeverityWarning:
		cmd = "warning"
	}
	title := fmt.Sprintf("prodready %s (%s)", f.Check, f.Question)
	props := fmt.Sprintf("file=%s,line=%d,endLine=%d", escapeProperty(f.Path), f.Line, max(f.EndLine, f.Line))
	if f.Column > 0 {
		props += fmt.Sprintf(",col=%d", f.Column)
	}
	props += ",title=" + escapeProperty(title)
	return fmt.Sprintf("::%s %s::%s", cmd, props, escapeData(f.Message))
}

// escapeData escapes a workflow command's message as the runner expects.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
