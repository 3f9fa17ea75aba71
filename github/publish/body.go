package publish

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/prodready/prodready/finding"
)

// Markers hidden in comment bodies.
const (
	// SummaryMarker opens the sticky summary comment.
	SummaryMarker = "<!-- prodready:summary -->"
	// fixedMarker ends prodready's "Fixed in" replies.
	fixedMarker = "<!-- prodready:fixed -->"
	// llmMarker marks a comment written by the LLM stage, so that a run
	// without the LLM does not take its absence for a fix.
	llmMarker = "<!-- prodready:src=llm -->"
)

// Size caps. GitHub refuses bodies over 65536 characters; a comment should
// be far shorter, and the summary must leave room for its table.
const (
	maxMessage    = 4000
	maxSuggestion = 8000
	maxSummary    = 60000
)

var (
	fpRE     = regexp.MustCompile(`<!-- prodready:fp=([0-9a-f]{16}) -->\s*$`)
	listedRE = regexp.MustCompile(`<!-- prodready:listed=([0-9a-f,]*) -->`)
	hex16RE  = regexp.MustCompile(`^[0-9a-f]{16}$`)
	// mentionRE finds @user and @org/team mentions and #123 / GH-123 style
	// cross-references are left alone; only pings are defused.
	mentionRE = regexp.MustCompile(`@([A-Za-z0-9][A-Za-z0-9-]*)`)
)

// Marker returns the hidden fingerprint marker a comment body ends with.
func Marker(fp string) string { return "<!-- prodready:fp=" + fp + " -->" }

// FingerprintOf returns the fingerprint a comment body ends with, or "".
func FingerprintOf(body string) string {
	if m := fpRE.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// ValidFingerprint reports whether fp is 16 lower-case hex digits.
func ValidFingerprint(fp string) bool { return hex16RE.MatchString(fp) }

// DefuseMentions breaks @-mentions with a zero-width joiner so that a
// comment quoting code or model output pings nobody. It also breaks HTML
// comment openers, so that text from a finding cannot forge prodready's
// hidden markers.
func DefuseMentions(s string) string {
	s = strings.ReplaceAll(s, "<!--", "<\u200d!--")
	return mentionRE.ReplaceAllString(s, "@\u200d$1")
}

// capText cuts s to at most n bytes on a rune boundary, saying so.
func capText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + " …(truncated)"
}

// fence returns a code fence longer than any run of backticks in s.
func fence(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			if run > longest {
				longest = run
			}
		} else {
			run = 0
		}
	}
	if longest < 3 {
		return "```"
	}
	return strings.Repeat("`", longest+1)
}

// questionLabel is the heading word for a question.
func questionLabel(q finding.Question) string {
	switch q {
	case finding.RunsTwice:
		return "What if it runs twice?"
	case finding.FailsHalfway:
		return "What if it fails halfway?"
	case finding.UnderLoad:
		return "How does it behave under load?"
	}
	return string(q)
}

func severityIcon(s finding.Severity) string {
	switch s {
	case finding.SeverityError:
		return "🔴"
	case finding.SeverityWarning:
		return "🟠"
	}
	return "🔵"
}

// commentBody renders one finding as a review comment. suggest says whether a
// ```suggestion block is right: only when the comment's anchor covers exactly
// the lines the suggestion replaces. note is an optional first line (a
// file-level comment names its line there).
func commentBody(f finding.Finding, suggest bool, note string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s **%s** · %s · `%s`\n\n", severityIcon(f.Severity), questionLabel(f.Question), f.Severity, f.Check)
	if note != "" {
		b.WriteString(note + "\n\n")
	}
	b.WriteString(DefuseMentions(capText(strings.TrimSpace(f.Message), maxMessage)))
	b.WriteString("\n")
	if f.Suggestion != "" {
		sug := capText(f.Suggestion, maxSuggestion)
		fe := fence(sug)
		lang := "suggestion"
		if !suggest {
			lang = "go"
			b.WriteString("\nSuggested change:\n")
		}
		fmt.Fprintf(&b, "\n%s%s\n%s\n%s\n", fe, lang, strings.TrimSuffix(sug, "\n"), fe)
	}
	if f.Source == finding.SourceLLM {
		b.WriteString("\n" + llmMarker)
	}
	b.WriteString("\n" + Marker(f.Fingerprint))
	return b.String()
}

// fixedBody is the reply to a comment whose finding is gone.
func fixedBody(sha string) string {
	return fmt.Sprintf("Fixed in %s. 🎉\n%s", sha, fixedMarker)
}
