package ground

import (
	"regexp"
	"strings"
)

// The model's prose is posted as GitHub Markdown. StripMarkup keeps what a
// reviewer needs (text, code spans, code blocks) and removes what could carry
// an attacker's payload: links, images, autolinks, bare URLs and raw HTML.
//
// It is hand-rolled on purpose: a Markdown library (goldmark) parses but does
// not render Markdown back, and an HTML sanitiser works on rendered HTML,
// which is not what GitHub receives. The rules below only ever delete or
// unwrap, so a mistake leaves text plainer, never richer.
var (
	imageRE      = regexp.MustCompile(`!\[[^\]]*\](\([^)]*\)|\[[^\]]*\])`)
	linkRE       = regexp.MustCompile(`\[([^\[\]]*)\](\([^)]*\)|\[[^\]]*\])`)
	linkDefRE    = regexp.MustCompile(`(?m)^[ \t]{0,3}\[[^\]]+\]:[ \t]*\S.*$`)
	autolinkRE   = regexp.MustCompile(`(?i)<[a-z][a-z0-9+.-]{1,31}:[^<>\s]*>`)
	htmlRE       = regexp.MustCompile(`(?is)<!--.*?(-->|$)|</?[a-z][a-z0-9-]*(\s[^<>]*)?/?>`)
	bareURLRE    = regexp.MustCompile(`(?i)\b(?:[a-z][a-z0-9+.-]{1,31}://|www\.)[^\s<>()\[\]]*`)
	fenceOpenRE  = regexp.MustCompile("^[ \t]{0,3}(`{3,}|~{3,})(.*)$")
	linkReplaced = "(link removed)"
)

// StripMarkup removes links (keeping their text), images, autolinks, bare
// URLs and raw HTML from model text. Code spans and fenced code blocks stay as
// written, except that a fence's info string is dropped, so that a body
// cannot smuggle in a ```suggestion block of its own.
func StripMarkup(s string) string {
	var b strings.Builder
	lines := strings.SplitAfter(s, "\n")
	var prose strings.Builder
	flush := func() {
		b.WriteString(stripProse(prose.String()))
		prose.Reset()
	}
	for i := 0; i < len(lines); i++ {
		m := fenceOpenRE.FindStringSubmatch(strings.TrimRight(lines[i], "\r\n"))
		if m == nil {
			prose.WriteString(lines[i])
			continue
		}
		flush()
		marker := m[1]
		b.WriteString(marker + "\n")
		closed := false
		for i++; i < len(lines); i++ {
			t := strings.TrimSpace(lines[i])
			if strings.HasPrefix(t, marker[:3]) && strings.Trim(t, marker[:1]) == "" && len(t) >= len(marker) {
				b.WriteString(marker)
				if strings.HasSuffix(lines[i], "\n") {
					b.WriteString("\n")
				}
				closed = true
				break
			}
			b.WriteString(lines[i])
		}
		if !closed {
			if !strings.HasSuffix(b.String(), "\n") {
				b.WriteString("\n")
			}
			b.WriteString(marker)
		}
	}
	flush()
	return b.String()
}

// stripProse cleans text outside fenced blocks, leaving code spans alone.
func stripProse(s string) string {
	var b strings.Builder
	for _, seg := range splitCodeSpans(s) {
		if seg.code {
			b.WriteString(seg.text)
			continue
		}
		b.WriteString(cleanText(seg.text))
	}
	return b.String()
}

func cleanText(t string) string {
	t = htmlRE.ReplaceAllString(t, "")
	t = autolinkRE.ReplaceAllString(t, linkReplaced)
	for prev := ""; prev != t; {
		prev = t
		t = imageRE.ReplaceAllString(t, "")
		t = linkRE.ReplaceAllString(t, "$1")
	}
	t = linkDefRE.ReplaceAllString(t, "")
	return bareURLRE.ReplaceAllString(t, linkReplaced)
}

type segment struct {
	text string
	code bool
}

// splitCodeSpans cuts s into prose and code spans as CommonMark reads them:
// a run of n backticks opens a span that the next run of exactly n closes;
// a run with no closer is literal text.
func splitCodeSpans(s string) []segment {
	var out []segment
	start := 0 // start of the current prose segment
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		n := runLen(s, i)
		closeAt := -1
		for j := i + n; j < len(s); {
			if s[j] != '`' {
				j++
				continue
			}
			m := runLen(s, j)
			if m == n {
				closeAt = j
				break
			}
			j += m
		}
		if closeAt < 0 {
			i += n
			continue
		}
		if i > start {
			out = append(out, segment{text: s[start:i]})
		}
		out = append(out, segment{text: s[i : closeAt+n], code: true})
		i = closeAt + n
		start = i
	}
	if start < len(s) {
		out = append(out, segment{text: s[start:]})
	}
	return out
}

func runLen(s string, i int) int {
	n := 0
	for i+n < len(s) && s[i+n] == '`' {
		n++
	}
	return n
}
