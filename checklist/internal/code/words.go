package code

import (
	"strings"
	"unicode"
)

// IdentWords splits an identifier into lower-case words at case changes,
// digits and underscores.
func IdentWords(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == '_' || unicode.IsDigit(r):
			flush()
			continue
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]) && !pluralS(rs, i+1))):
			flush()
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// pluralS reports whether rs[i] is the s of a plural acronym (URLs, IDs):
// a lower-case s that ends the identifier or a word.
func pluralS(rs []rune, i int) bool {
	return rs[i] == 's' && (i+1 == len(rs) || !unicode.IsLower(rs[i+1]))
}

// TextWords splits a text (SQL, a chain of names, a URL) into the lower-case
// words of its identifiers: at every character that is not a letter, a
// digit or an underscore, then as IdentWords does.
func TextWords(s string) []string {
	var words []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool {
		return !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r))
	}) {
		words = append(words, IdentWords(part)...)
	}
	return words
}
