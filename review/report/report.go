// Package report writes a review's findings in the formats prodready offers:
// text, json, sarif, rdjsonl and github-actions.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/prodready/prodready/finding"
)

// Format names an output format.
type Format string

// Formats.
const (
	Text          Format = "text"
	JSON          Format = "json"
	SARIF         Format = "sarif"
	RDJSONL       Format = "rdjsonl"
	GitHubActions Format = "github-actions"
)

// Formats lists every format, in the order --help shows them.
func Formats() []Format { return []Format{Text, JSON, SARIF, RDJSONL, GitHubActions} }

// ParseFormat parses a --format value; "" means Text.
func ParseFormat(s string) (Format, error) {
	if s == "" {
		return Text, nil
	}
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q: want text, json, sarif, rdjsonl or github-actions", s)
}

// Rule describes a check for formats that carry rule metadata (SARIF).
type Rule struct {
	ID, Question, Severity, Title, Rationale, Fix string
}

// Options tune the output.
type Options struct {
	// Color turns on ANSI colour in text output; set it only for a terminal.
	Color bool
	// Rules describes the checks, for SARIF.
	Rules []Rule
	// Version is prodready's version, for SARIF's tool block.
	Version string
}

// Write writes rep to w in format f.
func Write(w io.Writer, f Format, rep *finding.Report, opts Options) error {
	switch f {
	case JSON:
		return writeJSON(w, rep)
	case Text, "":
		return writeText(w, rep, opts)
	case SARIF:
		return writeSARIF(w, rep, opts)
	case RDJSONL:
		return writeRDJSONL(w, rep)
	case GitHubActions:
		return writeGitHubActions(w, rep)
	}
	return fmt.Errorf("unknown format %q", f)
}

func writeJSON(w io.Writer, rep *finding.Report) error {
	// The contract has arrays, never null.
	out := *rep
	if out.Findings == nil {
		out.Findings = []finding.Finding{}
	}
	// Version 1 has one "skipped" list: the paths not read, then the notes.
	out.Skipped = rep.SkippedAndNotes()
	rep = &out
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
)

func writeText(w io.Writer, rep *finding.Report, opts Options) error {
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return code + s + ansiReset
	}
	var b strings.Builder
	for _, f := range rep.Findings {
		col := f.Column
		if col < 1 {
			col = 1
		}
		sev := string(f.Severity)
		switch f.Severity {
		case finding.SeverityError:
			sev = paint(ansiRed, sev)
		case finding.SeverityWarning:
			sev = paint(ansiYellow, sev)
		default:
			sev = paint(ansiCyan, sev)
		}
		fmt.Fprintf(&b, "%s:%d:%d: [%s] %s\n", paint(ansiBold, f.Path), f.Line, col, f.Check, f.Message)
		fmt.Fprintf(&b, "    %s %s %s\n", paint(ansiDim, "question:"), f.Question, sev)
		if f.Suggestion != "" {
			fmt.Fprintf(&b, "    %s %s\n", paint(ansiDim, "suggestion:"), strings.ReplaceAll(f.Suggestion, "\n", "\n        "))
		}
	}
	for _, s := range rep.Skipped {
		p := s.Path
		if p == "" {
			p = "(review)"
		}
		fmt.Fprintf(&b, "%s %s: %s\n", paint(ansiDim, "skipped"), p, s.Reason)
	}
	writeVerdicts(&b, rep.LLM.Verdicts, paint)
	for _, n := range rep.Notes {
		fmt.Fprintf(&b, "%s %s\n", paint(ansiDim, "note:"), n.String())
	}
	fmt.Fprintf(&b, "%d finding(s) in %d file(s), %d package(s)", len(rep.Findings), rep.Stats.Files, rep.Stats.Packages)
	if rep.Stats.LLMCalls > 0 || rep.LLM.CachedHits > 0 {
		fmt.Fprintf(&b, "; LLM: %d call(s), %d cached, %d tokens in, %d out, %d dropped as ungrounded",
			rep.Stats.LLMCalls, rep.LLM.CachedHits, rep.Stats.LLMTokensIn, rep.Stats.LLMTokensOut, rep.Stats.DroppedUngrounded)
		for _, k := range slices.Sorted(maps.Keys(rep.Stats.DroppedByReason)) {
			fmt.Fprintf(&b, ", %s %d", k, rep.Stats.DroppedByReason[k])
		}
		if rep.LLM.CostUSD > 0 {
			fmt.Fprintf(&b, ", about $%.4f", rep.LLM.CostUSD)
		}
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeVerdicts prints the LLM's answer to each question, one changed
// function a line: "path Func: runs-twice no finding; fails-halfway risk (reason); …".
func writeVerdicts(b *strings.Builder, vs []finding.Verdict, paint func(code, s string) string) {
	if len(vs) == 0 {
		return
	}
	type key struct{ path, fn string }
	var order []key
	byFunc := map[key]map[finding.Question]finding.Verdict{}
	for _, v := range vs {
		k := key{v.Path, v.Function}
		if byFunc[k] == nil {
			byFunc[k] = map[finding.Question]finding.Verdict{}
			order = append(order, k)
		}
		byFunc[k][v.Question] = v
	}
	fmt.Fprintf(b, "%s\n", paint(ansiBold, "three questions, per changed function:"))
	for _, k := range order {
		var parts []string
		for _, q := range finding.Questions() {
			v, ok := byFunc[k][q]
			switch {
			case !ok:
				parts = append(parts, fmt.Sprintf("%s n/a", q))
			case v.Verdict == "risk" && v.Reason != "":
				parts = append(parts, fmt.Sprintf("%s %s (%s)", q, paint(ansiRed, v.Verdict), v.Reason))
			case v.Verdict == "ok":
				// The model's "ok" is unverified: nothing found, not "safe".
				parts = append(parts, fmt.Sprintf("%s no finding", q))
			default:
				parts = append(parts, fmt.Sprintf("%s %s", q, v.Verdict))
			}
		}
		fmt.Fprintf(b, "  %s %s: %s\n", k.path, k.fn, strings.Join(parts, "; "))
	}
}
