// Package finding holds the vocabulary every stage of a review shares: the three
// questions, severities, a finding, and the version-1 JSON report.
package finding

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// Question is one of the three questions prodready puts to a change.
type Question string

// The three questions.
const (
	RunsTwice    Question = "runs-twice"
	FailsHalfway Question = "fails-halfway"
	UnderLoad    Question = "under-load"
)

// Questions lists the three questions in their canonical order.
func Questions() []Question { return []Question{RunsTwice, FailsHalfway, UnderLoad} }

// Valid reports whether q is one of the three questions.
func (q Question) Valid() bool {
	switch q {
	case RunsTwice, FailsHalfway, UnderLoad:
		return true
	}
	return false
}

// Severity ranks a finding.
type Severity string

// Severities, from most to least severe. SeverityNone is only meaningful as a
// --fail-on threshold: nothing reaches it.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
	SeverityNone    Severity = "none"
)

// Rank orders severities: error 3, warning 2, info 1, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case SeverityError:
		return 3
	case SeverityWarning:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// Valid reports whether s is error, warning or info.
func (s Severity) Valid() bool { return s.Rank() > 0 }

// ParseSeverity parses a --fail-on style threshold: none, info, warning or error.
func ParseSeverity(s string) (Severity, error) {
	switch v := Severity(strings.ToLower(strings.TrimSpace(s))); v {
	case SeverityError, SeverityWarning, SeverityInfo, SeverityNone:
		return v, nil
	}
	return "", fmt.Errorf("unknown severity %q: want none, info, warning or error", s)
}

// AtOrAbove reports whether s reaches threshold. Nothing reaches SeverityNone.
func (s Severity) AtOrAbove(threshold Severity) bool {
	if threshold == SeverityNone || threshold.Rank() == 0 {
		return false
	}
	return s.Rank() >= threshold.Rank()
}

// Source says which stage produced a finding.
type Source string

// Sources.
const (
	SourceChecklist Source = "checklist"
	SourceLLM       Source = "llm"
)

// Finding is one grounded remark about one changed line. Its JSON form is the
// contract of DESIGN.md; fields tagged "-" are carried between stages only.
type Finding struct {
	Path        string   `json:"path"`
	Line        int      `json:"line"`
	EndLine     int      `json:"end_line"`
	Check       string   `json:"check"`
	Question    Question `json:"question"`
	Severity    Severity `json:"severity"`
	Message     string   `json:"message"`
	Suggestion  string   `json:"suggestion,omitempty"`
	Source      Source   `json:"source"`
	Fingerprint string   `json:"fingerprint"`

	// Column is the 1-based column of the start, or 0 when unknown.
	Column int `json:"-"`
	// Function is the name of the enclosing function ("Type.Method" for
	// methods), or "" at file level.
	Function string `json:"-"`
	// Within names the innermost function around the line for grouping one
	// function's findings: Function, and the line of the function literal
	// inside it that holds the finding, if any ("Serve@42").
	Within string `json:"-"`
	// LineText is the new-file text of Line, used for the fingerprint and quotes.
	LineText string `json:"-"`
	// Title is the check's one-line title, for formats that show one.
	Title string `json:"-"`
	// Chain holds other places the finding may be anchored when its own line
	// is outside a change: the calls of a chain from an entry point down to
	// the flagged line, the closest to it last.
	Chain []Place `json:"-"`
}

// Place is a line of a file, relative to the repository root.
type Place struct {
	Path string
	Line int
}

// Fingerprint hashes what identifies a finding independently of where the code
// sits: the check (or question), the path, the enclosing function and the
// whitespace-normalised text of the flagged line. It is 16 hex digits.
func Fingerprint(check, path, function, lineText string) string {
	h := sha256.New()
	for _, part := range []string{check, path, function, NormalizeSpace(lineText)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// SetFingerprint fills f.Fingerprint from its other fields.
func (f *Finding) SetFingerprint() {
	key := f.Check
	if key == "" || key == "llm" {
		key = "llm:" + string(f.Question)
	}
	f.Fingerprint = Fingerprint(key, f.Path, f.Function, f.LineText)
}

// NormalizeSpace collapses every run of white space to one space and trims the ends.
func NormalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// Skipped names a file, package or unit that was not reviewed, and why.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Stats counts what a review did.
type Stats struct {
	Packages          int `json:"packages"`
	Files             int `json:"files"`
	LLMCalls          int `json:"llm_calls"`
	LLMTokensIn       int `json:"llm_tokens_in"`
	LLMTokensOut      int `json:"llm_tokens_out"`
	DroppedUngrounded int `json:"dropped_ungrounded"`
	// DroppedByReason splits DroppedUngrounded by reason (off-diff,
	// misquoted, comment-line, suggestion-kept-out...); absent when nothing
	// was dropped. An addition to version 1: readers that do not know it
	// ignore it.
	DroppedByReason map[string]int `json:"dropped_by_reason,omitempty"`
}

// Verdict is the LLM's answer to one question for one changed function.
type Verdict struct {
	Path     string   `json:"path"`
	Function string   `json:"function"`
	Question Question `json:"question"`
	// Verdict is "risk", "ok", "unclear" or "n/a".
	Verdict string `json:"verdict"`
	Reason  string `json:"reason"`
}

// LLMInfo describes the LLM stage of a review beyond the contract's stats.
type LLMInfo struct {
	// Mode is "off" when the stage did not run, otherwise the model name.
	Model string
	// Unavailable is the cause when the model could not be reached; the
	// review then holds the deterministic findings only.
	Unavailable string
	CachedHits  int
	// CostUSD is an estimate from the configured price table, 0 if unknown.
	CostUSD float64
	// NotAsked lists units the gate or the budget left out, as the LLM stage
	// returns them; review.Run moves them into Report.Notes.
	NotAsked []Skipped
	Verdicts []Verdict
	// Dropped counts what grounding did not post, by reason; the values sum
	// to Stats.DroppedUngrounded.
	Dropped map[string]int
}

// Report is the result of one review. Its JSON encoding is version 1 of the
// report contract; fields tagged "-" feed the text output and the summary.
type Report struct {
	Version  int       `json:"version"`
	Base     string    `json:"base"`
	Head     string    `json:"head"`
	Findings []Finding `json:"findings"`
	// Skipped are the paths the review did not read (binary, vendored,
	// generated, excluded). The JSON form's "skipped" also lists the notes;
	// see SkippedAndNotes.
	Skipped []Skipped `json:"skipped"`
	Stats   Stats     `json:"stats"`

	// Notes say how the review ran where it fell short of a full one: units
	// the LLM was not asked about, packages loaded only partly, an LLM that
	// could not be used. A note does not mean a path went unread.
	Notes []Note  `json:"-"`
	LLM   LLMInfo `json:"-"`
}

// NoteKind says what a Note is about.
type NoteKind string

// Note kinds.
const (
	// NoteNotAsked: the LLM stage left a unit out (gate, budget, refusal).
	// Path is the unit's file; Reason starts with "not asked:".
	NoteNotAsked NoteKind = "not-asked"
	// NotePartialLoad: a package had errors; checks needing types did not
	// run on it. Path is the package's directory.
	NotePartialLoad NoteKind = "partial-load"
	// NoteLLMUnavailable: the model could not be used; Path is "".
	NoteLLMUnavailable NoteKind = "llm-unavailable"
	// NoteChainsCut: the program model could not follow some entry points'
	// call chains (a callee's package was not analysed), so a silent
	// runs-twice answer there is not a clean one. Path is "".
	NoteChainsCut NoteKind = "chains-cut"
	// NoteCheckFailed: a check failed on a package (an internal error,
	// such as a panic on code it did not expect), so its silence there is
	// not a clean answer. Path is the package's directory.
	NoteCheckFailed NoteKind = "check-failed"
)

// Note is one remark about how a review ran.
type Note struct {
	Kind   NoteKind
	Path   string
	Reason string
}

// Skipped renders n as an entry of the JSON report's "skipped" list, the
// shape version 1 of the contract gives it.
func (n Note) Skipped() Skipped {
	switch n.Kind {
	case NotePartialLoad:
		return Skipped{Path: n.Path, Reason: "partial load: " + n.Reason}
	case NoteLLMUnavailable:
		return Skipped{Path: n.Path, Reason: "LLM unavailable: " + n.Reason}
	case NoteCheckFailed:
		return Skipped{Path: n.Path, Reason: "check failed: " + n.Reason}
	}
	return Skipped{Path: n.Path, Reason: n.Reason}
}

// String is n as one line for a human.
func (n Note) String() string {
	switch n.Kind {
	case NotePartialLoad:
		return fmt.Sprintf("package %s loaded only partly (syntax-level checks only where types are missing): %s", n.Path, n.Reason)
	case NoteLLMUnavailable:
		return "LLM unavailable: " + n.Reason + "; this review holds the deterministic findings only"
	case NoteCheckFailed:
		return fmt.Sprintf("package %s: a check failed, so its findings there are missing: %s", n.Path, n.Reason)
	}
	if n.Path == "" {
		return n.Reason
	}
	return n.Path + ": " + n.Reason
}

// SkippedAndNotes is the JSON report's "skipped" list: the skipped paths,
// then every note in the same shape.
func (r *Report) SkippedAndNotes() []Skipped {
	out := make([]Skipped, 0, len(r.Skipped)+len(r.Notes))
	out = append(out, r.Skipped...)
	for _, n := range r.Notes {
		out = append(out, n.Skipped())
	}
	return out
}

// Warnings are the notes worth a line beside a machine-readable report:
// all but the units not asked, which the report itself lists.
func (r *Report) Warnings() []Note {
	var out []Note
	for _, n := range r.Notes {
		if n.Kind != NoteNotAsked {
			out = append(out, n)
		}
	}
	return out
}

// NewReport returns an empty version-1 report with non-nil slices, so that the
// JSON form has [] rather than null.
func NewReport(base, head string) *Report {
	return &Report{Version: 1, Base: base, Head: head, Findings: []Finding{}, Skipped: []Skipped{}}
}

// Sort orders findings by path, then line, then check, as the contract says.
func (r *Report) Sort() {
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Check < b.Check
	})
}

// Count returns how many findings are at or above threshold.
func (r *Report) Count(threshold Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity.AtOrAbove(threshold) {
			n++
		}
	}
	return n
}
