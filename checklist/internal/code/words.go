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
