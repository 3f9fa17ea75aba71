package ground

import (
	"go/scanner"
	"go/token"
	"go/types"
	"strings"

	"github.com/prodready/prodready/review/llm/units"
)

// newInSuggestion returns the first thing a suggestion brings that the unit
// does not already hold, or "" when the suggestion only rearranges what is
// there. A one-click suggestion is code a reviewer may commit without
// reading closely, so it may not add an identifier (and so no new call,
// package or field), an import, or a URL anywhere (strings and comments
// included). The identifiers of the lines the change deleted, of the
// context shown beside the unit (receiver and parameter types, signatures of
// the functions it calls) and Go's predeclared names (nil, len, error...)
// count as held.
func newInSuggestion(u *units.Unit, suggestion string) string {
	held, text := heldIdents(u)
	var s scanner.Scanner
	fset := token.NewFileSet()
	src := []byte(suggestion)
	bad := ""
	s.Init(fset.AddFile("", -1, len(src)), src, func(token.Position, string) { bad = "text Go cannot read" }, scanner.ScanComments)
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF || bad != "" {
			break
		}
		switch {
		case tok == token.IDENT && !held[lit] && types.Universe.Lookup(lit) == nil:
			return "identifier " + lit
		case tok == token.IMPORT:
			return "an import"
		case tok == token.GO && !held["go"]:
			return "a go statement"
		case (tok == token.STRING || tok == token.COMMENT || tok == token.CHAR) && bareURLRE.MatchString(lit) && !strings.Contains(text, lit):
			return "a URL"
		}
	}
	return bad
}

// heldIdents collects the identifiers of the unit's code and of the context
// its prompt shows ("go" stands for a go statement), and returns that text.
func heldIdents(u *units.Unit) (map[string]bool, string) {
	held := map[string]bool{"_": true}
	var b strings.Builder
	for n := u.Start; n <= u.End; n++ {
		b.WriteString(u.Source.Line(n))
		b.WriteByte('\n')
	}
	for _, texts := range u.Deleted {
		// Putting back what the change removed is the plainest fix.
		for _, t := range texts {
			b.WriteString(t)
			b.WriteByte('\n')
		}
	}
	for _, t := range u.Types {
		b.WriteString(t)
		b.WriteByte('\n')
	}
	for _, c := range u.Callees {
		b.WriteString(c)
		b.WriteByte('\n')
	}
	src := []byte(b.String())
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", -1, len(src)), src, nil, 0)
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.IDENT:
			held[lit] = true
		case token.GO:
			held["go"] = true
		}
	}
	return held, b.String()
}
