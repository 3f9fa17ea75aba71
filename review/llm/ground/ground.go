package ground

import (
	"fmt"
	"go/parser"
	"go/token"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/review/llm/units"
)

// Caps on what a comment may carry.
const (
	// MaxBody caps a comment body in bytes; longer bodies are cut with a note.
	MaxBody = 2000
	// MaxReason caps a verdict's reason.
	MaxReason = 200
	// MaxSuggestionLines caps a suggestion; a longer one is removed.
	MaxSuggestionLines = 40
	// minQuote is the least number of non-space bytes a quote must have,
	// unless it is the whole line: "(" proves nothing.
	minQuote = 4
)

// Drop kinds: the short reason a model comment, or part of one, was not
// posted. Stats and the summary count drops by kind.
const (
	KindUnreadable  = "unreadable"          // not an entry of the answer's shape, or past MaxParsed
	KindBadAnswer   = "bad-answer"          // the whole answer could not be used
	KindNoUnit      = "no-unit"             // no unit was asked
	KindWrongPath   = "wrong-path"          // another file
	KindNoQuestion  = "no-question"         // not one of the three questions
	KindOffDiff     = "off-diff"            // not a changed line of the unit
	KindMisquoted   = "misquoted"           // the quote is not in the line
	KindCommentLine = "comment-line"        // the line is only a comment, or blank
	KindEmpty       = "empty"               // no body
	KindSameLine    = "same-line"           // a second comment on one line
	KindOverCap     = "over-cap"            // past the comments allowed per unit
	KindSuggestion  = "suggestion-kept-out" // a suggestion taken off a kept comment
	KindVerdict     = "verdict"             // a verdict on no function asked, a doubled or unknown one
)

// Drop is one model comment or verdict that was not kept, and why.
type Drop struct {
	Line int
	// Kind is one of the Kind constants.
	Kind   string
	Reason string
}

// Result is what grounding one answer for one unit yields.
type Result struct {
	// Findings are the grounded comments, Source llm, fingerprint-ready.
	Findings []finding.Finding
	// Verdicts are the model's verdicts for this unit, one per question at
	// most, normalised. Missing questions are absent.
	Verdicts []finding.Verdict
	// Drops are the comments and unreadable entries not kept; they count as
	// dropped_ungrounded.
	Drops []Drop
	// VerdictDrops are verdicts not kept (another unit's, an unknown word).
	VerdictDrops []Drop
	// SuggestionDrops are suggestions taken off kept comments: they do not
	// parse, or they bring code the unit does not hold. Kind is
	// KindSuggestion.
	SuggestionDrops []Drop
}

// Ground keeps the comments of a that are anchored in one of the units
// asked (batch: units of one file), at most max per unit and one per line,
// and the verdicts that name one of its functions. Model text is stripped of
// links, images and HTML.
func Ground(a *Answer, batch []*units.Unit, max int) Result {
	var r Result
	for i := 0; i < a.Unreadable; i++ {
		r.Drops = append(r.Drops, Drop{Kind: KindUnreadable, Reason: "entry is not an object of the answer's shape"})
	}
	for i := 0; i < a.Overflow; i++ {
		r.Drops = append(r.Drops, Drop{Kind: KindUnreadable, Reason: fmt.Sprintf("past the %d entries read from one answer", MaxParsed)})
	}
	if len(batch) == 0 {
		for _, c := range a.Comments {
			r.Drops = append(r.Drops, Drop{Line: int(c.Line), Kind: KindNoUnit, Reason: "no unit was asked"})
		}
		return r
	}
	seen := map[int]bool{}
	kept := map[*units.Unit]int{}
	for _, c := range a.Comments {
		u := pick(c, batch)
		f, d := groundOne(c, u)
		if d.Kind != "" {
			r.Drops = append(r.Drops, d)
			continue
		}
		if seen[f.Line] {
			r.Drops = append(r.Drops, Drop{Line: f.Line, Kind: KindSameLine, Reason: "another comment is already on this line"})
			continue
		}
		if kept[u] >= max {
			r.Drops = append(r.Drops, Drop{Line: f.Line, Kind: KindOverCap, Reason: fmt.Sprintf("past the cap of %d comments per unit", max)})
			continue
		}
		seen[f.Line] = true
		kept[u]++
		if f.Suggestion != "" {
			why := ""
			if !suggestionParses(u, f.Line, f.EndLine, f.Suggestion) {
				why = "the file does not parse with it applied"
			} else if what := newInSuggestion(u, f.Suggestion); what != "" {
				why = "it adds " + what + " the unit does not hold"
			}
			if why != "" {
				f.Suggestion = ""
				r.SuggestionDrops = append(r.SuggestionDrops, Drop{Line: f.Line, Kind: KindSuggestion, Reason: "suggestion removed: " + why})
			}
		}
		r.Findings = append(r.Findings, f)
	}
	var funcs []*units.Unit
	for _, u := range batch {
		if u.IsFunction() {
			funcs = append(funcs, u)
		}
	}
	got := map[string]bool{}
	for _, v := range a.Verdicts {
		fv, why := verdictOne(v, funcs)
		if why != "" {
			r.VerdictDrops = append(r.VerdictDrops, Drop{Kind: KindVerdict, Reason: why})
			continue
		}
		key := fv.Function + "/" + string(fv.Question)
		if got[key] {
			r.VerdictDrops = append(r.VerdictDrops, Drop{Kind: KindVerdict, Reason: "a second verdict on one function and question"})
			continue
		}
		got[key] = true
		r.Verdicts = append(r.Verdicts, fv)
	}
	return r
}

// pick returns the unit of batch a comment's line belongs to: the one that
// changed it, else the one whose span holds it, else the first (whose checks
// then say why the comment does not ground).
func pick(c Comment, batch []*units.Unit) *units.Unit {
	line := int(c.Line)
	for _, u := range batch {
		if u.Changed[line] {
			return u
		}
	}
	for _, u := range batch {
		if line >= u.Start && line <= u.End {
			return u
		}
	}
	return batch[0]
}

// groundOne checks one comment; it returns the finding, or the drop saying
// why it was not kept.
func groundOne(c Comment, u *units.Unit) (finding.Finding, Drop) {
	line := int(c.Line)
	drop := func(kind, why string) (finding.Finding, Drop) {
		return finding.Finding{}, Drop{Line: line, Kind: kind, Reason: why}
	}
	p := cleanPath(c.Path)
	if p == "" {
		p = u.Path
	}
	if p != u.Path {
		return drop(KindWrongPath, fmt.Sprintf("path %q is not the unit's %s", truncate(c.Path, 80), u.Path))
	}
	q := finding.Question(normWord(c.Question))
	if !q.Valid() {
		return drop(KindNoQuestion, fmt.Sprintf("question %q is not one of the three", truncate(c.Question, 40)))
	}
	if !u.Changed[line] {
		if line >= u.Start && line <= u.End {
			return drop(KindOffDiff, fmt.Sprintf("line %d is not a changed line", line))
		}
		return drop(KindOffDiff, fmt.Sprintf("line %d is outside the unit (%d-%d)", line, u.Start, u.End))
	}
	text := u.Source.Line(line)
	if !u.Source.HasCode(line) {
		// A comment line is where text aimed at a reviewer hides; a remark
		// on code belongs on the code.
		return drop(KindCommentLine, fmt.Sprintf("line %d is only a comment or blank", line))
	}
	if !quoted(c.Quote, text) {
		return drop(KindMisquoted, fmt.Sprintf("quote %q is not in line %d", truncate(c.Quote, 60), line))
	}
	body := strings.TrimSpace(StripMarkup(c.Body))
	if body == "" {
		return drop(KindEmpty, "empty body")
	}
	end := int(c.EndLine)
	if end < line || end > u.End || !sameBlock(u, line, end) {
		end = line
	}
	sev := finding.Severity(normWord(c.Severity))
	if !sev.Valid() {
		sev = finding.SeverityWarning
	}
	f := finding.Finding{
		Path: u.Path, Line: line, EndLine: end, Check: "llm", Question: q, Severity: sev,
		Message: Defuse(Cap(body, MaxBody)), Source: finding.SourceLLM,
		Function: u.Function, LineText: text, Title: "LLM review: " + string(q),
	}
	if s := strings.TrimRight(c.Suggestion, "\n"); strings.TrimSpace(s) != "" && acceptableSuggestion(s) {
		f.Suggestion = s
	}
	f.SetFingerprint()
	return f, Drop{}
}

// sameBlock reports whether lines from..to are all changed, so that a
// multi-line comment covers only what the change touched.
func sameBlock(u *units.Unit, from, to int) bool {
	for n := from; n <= to; n++ {
		if !u.Changed[n] {
			return false
		}
	}
	return true
}

// verdictOne checks a verdict and finds the function of funcs it is about.
func verdictOne(v Verdict, funcs []*units.Unit) (finding.Verdict, string) {
	if len(funcs) == 0 {
		return finding.Verdict{}, "no function was asked"
	}
	var u *units.Unit
	fn := strings.TrimSpace(v.Function)
	switch {
	case fn == "" && len(funcs) == 1:
		u = funcs[0]
	case fn == "":
		return finding.Verdict{}, "names no function, and several were asked"
	default:
		for _, cand := range funcs {
			if sameFunction(fn, cand) {
				u = cand
				break
			}
		}
		if u == nil {
			return finding.Verdict{}, fmt.Sprintf("function %q was not asked", truncate(fn, 60))
		}
	}
	if p := cleanPath(v.Path); p != "" && p != u.Path {
		return finding.Verdict{}, fmt.Sprintf("path %q is not the unit's", truncate(v.Path, 80))
	}
	q := finding.Question(normWord(v.Question))
	if !q.Valid() {
		return finding.Verdict{}, fmt.Sprintf("question %q is not one of the three", truncate(v.Question, 40))
	}
	word := normWord(v.Verdict)
	switch word {
	case "risk", "ok", "unclear", "n/a":
	case "na", "n-a", "not-applicable":
		word = "n/a"
	default:
		return finding.Verdict{}, fmt.Sprintf("verdict %q is not risk, ok, unclear or n/a", truncate(v.Verdict, 40))
	}
	return finding.Verdict{Path: u.Path, Function: u.Name, Question: q, Verdict: word, Reason: OneLine(v.Reason, MaxReason)}, ""
}

// sameFunction accepts "Name", "Recv.Name", "(*Recv).Name" and "(Recv).Name"
// for a function, and the full name or the variable's name for a literal.
func sameFunction(fn string, u *units.Unit) bool {
	fn = strings.NewReplacer("(", "", ")", "", "*", "", " ", "").Replace(fn)
	if fn == strings.ReplaceAll(u.Name, " ", "") || (u.Function != "" && fn == u.Function) {
		return true
	}
	if u.Kind == units.Func {
		if i := strings.LastIndexByte(u.Function, '.'); i >= 0 && fn == u.Function[i+1:] {
			return true
		}
		return false
	}
	fields := strings.Fields(u.Name)
	return len(fields) > 0 && fn == fields[len(fields)-1]
}

// cleanPath normalises a model-given path: slashes, no ./, a/ or b/ prefix.
func cleanPath(p string) string {
	p = strings.TrimSpace(strings.ReplaceAll(p, `\`, "/"))
	if p == "" {
		return ""
	}
	p = strings.TrimPrefix(p, "./")
	for _, pre := range []string{"a/", "b/"} {
		// Diff-style prefixes; only strip when what remains still names a path.
		if strings.HasPrefix(p, pre) && strings.Contains(p[2:], "/") {
			p = p[2:]
		}
	}
	return path.Clean(p)
}

// normWord lower-cases and maps "runs_twice" or "Runs Twice" to "runs-twice".
func normWord(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer("_", "-", " ", "-").Replace(s)
}

// quoted reports whether quote, whitespace-normalised and stripped of the
// quotes or backticks models wrap around it, appears in line.
func quoted(quote, line string) bool {
	q := finding.NormalizeSpace(quote)
	for {
		t := strings.TrimSpace(strings.Trim(q, "`\"'"))
		if t == q {
			break
		}
		q = t
	}
	l := finding.NormalizeSpace(line)
	if q == "" || l == "" || !strings.Contains(l, q) {
		return false
	}
	return q == l || len(strings.ReplaceAll(q, " ", "")) >= minQuote
}

// mentionRE finds an @ that GitHub would read as a mention: one that starts
// a word (an e-mail address's @ follows a word character).
var mentionRE = regexp.MustCompile(`(^|\W)@([A-Za-z0-9])`)

// Defuse makes text safe to post: @mentions no longer notify anyone (a
// zero-width joiner follows the @), and HTML comment markers cannot open or
// close a hidden block, so no text can forge prodready's own markers.
func Defuse(s string) string {
	s = mentionRE.ReplaceAllString(s, "$1@\u2060$2")
	s = strings.ReplaceAll(s, "<!--", "&lt;!--")
	s = strings.ReplaceAll(s, "-->", "--&gt;")
	return s
}

// Cap cuts s to at most n bytes on a rune boundary, saying so.
func Cap(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const note = " … (cut)"
	cut := n - len(note)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + note
}

// OneLine flattens s to one defused line of at most n bytes, stripped of
// links, images and HTML.
func OneLine(s string, n int) string {
	return Defuse(Cap(finding.NormalizeSpace(StripMarkup(s)), n))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// acceptableSuggestion rejects suggestions that could break out of a GitHub
// suggestion block or are too long to review.
func acceptableSuggestion(s string) bool {
	return !strings.Contains(s, "```") && strings.Count(s, "\n") < MaxSuggestionLines && utf8.ValidString(s)
}

// suggestionParses applies the suggestion to lines from..to of the unit's
// file and reports whether the file still parses (go/parser). A unit of a
// file that did not parse before cannot vouch for any suggestion.
func suggestionParses(u *units.Unit, from, to int, suggestion string) bool {
	if !strings.HasSuffix(u.Path, ".go") {
		return false
	}
	lines := u.Source.Lines
	if from < 1 || to > len(lines) || from > to {
		return false
	}
	var b strings.Builder
	for _, l := range lines[:from-1] {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	b.WriteString(suggestion)
	b.WriteByte('\n')
	for _, l := range lines[to:] {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	_, err := parser.ParseFile(token.NewFileSet(), u.Path, b.String(), parser.SkipObjectResolution)
	return err == nil
}
