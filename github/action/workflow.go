package action

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/review/report"
)

// Workflow commands are lines on stdout that the runner interprets. Their
// escaping rules are GitHub's (toolkit's command.ts): in data, % CR LF; in
// property values also : and ,.

// EscapeData escapes a workflow command's message.
func EscapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// EscapeProperty escapes a workflow command's property value.
func EscapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// command formats ::name k=v,...::message.
func command(name string, props [][2]string, msg string) string {
	var b strings.Builder
	b.WriteString("::" + name)
	for i, p := range props {
		if i == 0 {
			b.WriteString(" ")
		} else {
			b.WriteString(",")
		}
		b.WriteString(p[0] + "=" + EscapeProperty(p[1]))
	}
	b.WriteString("::" + EscapeData(msg) + "\n")
	return b.String()
}

// WriteAnnotations writes one ::error/::warning/::notice per finding, in the
// github-actions report format.
func WriteAnnotations(w io.Writer, rep *finding.Report) error {
	var b strings.Builder
	for _, f := range rep.Findings {
		b.WriteString(report.WorkflowCommand(f) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Notice formats a ::notice:: line.
func Notice(msg string) string { return command("notice", [][2]string{{"title", "prodready"}}, msg) }

// appendFile appends text to the file named by an Actions variable
// (GITHUB_STEP_SUMMARY, GITHUB_OUTPUT); an unset variable is no error.
func appendFile(path, text string) error {
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	return nil
}

// WriteOutputs appends step outputs to GITHUB_OUTPUT's file.
func WriteOutputs(path string, kv [][2]string) error {
	var b strings.Builder
	for _, p := range kv {
		// Values are single-line by construction (a count, a path).
		fmt.Fprintf(&b, "%s=%s\n", p[0], strings.ReplaceAll(p[1], "\n", " "))
	}
	return appendFile(path, b.String())
}
