package units

import (
	"go/scanner"
	"go/token"
	"strings"
)

// NewSource splits a file's text into a Source (tests, and callers that hold
// the text already).
func NewSource(path string, data []byte) *Source {
	src := &Source{Path: path, Lines: strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n"), "\n")}
	if strings.HasSuffix(path, ".go") {
		src.code = codeLines(data)
	}
	return src
}

// HasCode reports whether line n holds Go code: a line that is blank or only
// a comment (including the inside of a /* */ block) does not. Without a
// scan of the file, only blank and //-comment lines count as not code.
func (s *Source) HasCode(n int) bool {
	if s.code == nil {
		t := strings.TrimSpace(s.Line(n))
		return t != "" && !strings.HasPrefix(t, "//")
	}
	return s.code[n]
}

// codeLines marks the lines of a Go file on which a token other than a
// comment starts or continues (a raw string spans lines).
func codeLines(src []byte) map[int]bool {
	out := map[int]bool{}
	fset := token.NewFileSet()
	f := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(f, src, func(token.Position, string) {}, 0)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue // inserted at a line's end, after a token already counted
		}
		line := f.Line(pos)
		out[line] = true
		for i := 0; i < strings.Count(lit, "\n"); i++ {
			out[line+i+1] = true
		}
	}
	return out
}
