package review

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/prodready/prodready/checklist"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/finding"
)

// IgnoreDirective is the comment that suppresses a finding on its line or the
// line below: //prodready:ignore <check-id> <reason>.
const IgnoreDirective = "//prodready:ignore"

// Analyze runs checks over pkgs through golang.org/x/tools/go/analysis/checker
// and turns their diagnostics into findings with paths relative to root.
// Suppression directives are applied; a directive without a reason is itself
// reported.
func Analyze(root string, pkgs []*packages.Package, checks []*checklist.Check, cfg config.Config) ([]finding.Finding, error) {
	analyzers := checklist.Analyzers(checks)
	if len(analyzers) == 0 || len(pkgs) == 0 {
		return nil, nil
	}
	byAnalyzer := map[*analysis.Analyzer]*checklist.Check{}
	byID := map[string]*checklist.Check{}
	for _, c := range checks {
		byID[c.ID] = c
		if _, ok := byAnalyzer[c.Analyzer]; !ok {
			byAnalyzer[c.Analyzer] = c
		}
	}
	graph, err := checker.Analyze(analyzers, pkgs, &checker.Options{})
	if err != nil {
		return nil, fmt.Errorf("run checks: %w", err)
	}
	src := newSources(root)
	seen := map[string]bool{}
	var out []finding.Finding
	for _, act := range graph.Roots {
		if act.Err != nil {
			// One analyzer failing on one package must not sink the review.
			continue
		}
		if testSupport(act.Package) {
			continue
		}
		for _, d := range act.Diagnostics {
			c := byID[d.Category]
			if c == nil {
				c = byAnalyzer[act.Analyzer]
			}
			if c == nil || !cfg.CheckEnabled(c.ID) {
				continue
			}
			pos := act.Package.Fset.Position(d.Pos)
			if !pos.IsValid() || pos.Filename == "" {
				continue
			}
			rel, ok := relPath(root, pos.Filename)
			if !ok {
				continue
			}
			end := pos.Line
			if d.End.IsValid() {
				if e := act.Package.Fset.Position(d.End); e.Filename == pos.Filename && e.Line >= pos.Line {
					end = e.Line
				}
			}
			f := finding.Finding{
				Path: rel, Line: pos.Line, EndLine: end, Column: pos.Column,
				Check: c.ID, Question: c.Question,
				Severity: cfg.SeverityOf(c.ID, c.Severity),
				Message:  d.Message, Source: finding.SourceChecklist,
				Title:    c.Title,
				Function: enclosingFunc(act.Package, d.Pos),
				LineText: src.line(pos.Filename, pos.Line),
			}
			if len(d.SuggestedFixes) > 0 && len(d.SuggestedFixes[0].TextEdits) == 1 {
				f.Suggestion = suggestion(src, act.Package.Fset, d.SuggestedFixes[0].TextEdits[0])
			}
			key := fmt.Sprintf("%s:%d:%s", f.Path, f.Line, f.Check)
			if seen[key] {
				continue // a test variant and its package report the same line
			}
			seen[key] = true
			if nolinted(src, pos.Filename, pos.Line, checklist.PeerLinters(c.ID)) {
				continue
			}
			if sup, ok := suppressed(src, pos.Filename, pos.Line, c.ID); ok {
				if sup.reason != "" {
					continue
				}
				bad := f
				bad.Line, bad.EndLine, bad.Column = sup.line, sup.line, 0
				bad.Check = "ignore-without-reason"
				bad.Severity = finding.SeverityWarning
				bad.Message = fmt.Sprintf("//prodready:ignore %s needs a reason: say why this %s finding does not apply, so the next reader can judge it", c.ID, c.ID)
				bad.Title = "suppression without a reason"
				bad.Suggestion = ""
				bad.LineText = src.line(pos.Filename, sup.line)
				out = append(out, bad)
			}
			out = append(out, f)
		}
	}
	return out, nil
}

// TestSupport reports whether a package is code only tests run — named as
// fakes, test helpers or end-to-end frameworks (e2e…) are, importing "testing" outside _test.go files, or
// named like net/http/httptest (a "...test" package) and importing httptest —
// so that the production questions do not apply to it.
func TestSupport(name string, imports []string) bool {
	switch name {
	case "fake", "fakes", "testing", "testutil", "testutils", "testhelpers", "testhelper", "testsuite":
		return true
	}
	if strings.HasPrefix(name, "e2e") {
		return true // an end-to-end test framework: e2e, e2eutil, e2ecortex
	}
	for _, imp := range imports {
		switch {
		case imp == "testing":
			return true
		case imp == "net/http/httptest" && strings.HasSuffix(name, "test"):
			return true // clickhousetest.NewServer: a stand-in server for tests
		}
	}
	return false
}

func testSupport(p *packages.Package) bool {
	if p.ForTest != "" {
		return false // a test variant: its _test.go files import testing
	}
	var imports []string
	for path := range p.Imports {
		imports = append(imports, path)
	}
	if len(imports) == 0 {
		// Syntax-only packages have no import graph: read the files' imports.
		for _, f := range p.Syntax {
			for _, s := range f.Imports {
				imports = append(imports, strings.Trim(s.Path.Value, `"`))
			}
		}
	}
	return TestSupport(p.Name, imports)
}

// suggestion renders a single-edit fix as the full replacement text of the
// flagged lines, which is what a GitHub suggestion block needs.
func suggestion(src *sources, fset *token.FileSet, e analysis.TextEdit) string {
	start, end := fset.Position(e.Pos), fset.Position(e.End)
	if !start.IsValid() || !end.IsValid() || start.Filename != end.Filename {
		return ""
	}
	var b strings.Builder
	for l := start.Line; l <= end.Line; l++ {
		text := src.line(start.Filename, l)
		from, to := 0, len(text)
		if l == start.Line {
			from = min(start.Column-1, len(text))
		}
		if l == end.Line {
			to = min(end.Column-1, len(text))
		}
		if l == start.Line {
			b.WriteString(text[:from])
			b.Write(e.NewText)
		}
		if l == end.Line {
			b.WriteString(text[to:])
		}
	}
	return b.String()
}

type suppression struct {
	line   int
	reason string
}

// suppressed looks for an ignore directive naming id on line or the line above.
func suppressed(src *sources, file string, line int, id string) (suppression, bool) {
	for _, l := range []int{line, line - 1} {
		if l < 1 {
			continue
		}
		text := src.line(file, l)
		i := strings.Index(text, IgnoreDirective)
		if i < 0 {
			continue
		}
		fields := strings.Fields(text[i+len(IgnoreDirective):])
		if len(fields) == 0 || (fields[0] != id && fields[0] != "all") {
			continue
		}
		return suppression{line: l, reason: strings.Join(fields[1:], " ")}, true
	}
	return suppression{}, false
}

// nolinted reports whether line, or a line of its own just above, carries a
// golangci-lint directive that covers a check whose peer linters are peers: a bare
// //nolint, //nolint:all, or //nolint:<list> naming one of them. A reason
// is not required here; golangci-lint's own nolintlint polices that.
func nolinted(src *sources, file string, line int, peers []string) bool {
	for _, l := range []int{line, line - 1} {
		if l < 1 {
			continue
		}
		text := src.line(file, l)
		i := strings.Index(text, "//nolint")
		if i < 0 || (l != line && strings.TrimSpace(text[:i]) != "") {
			continue // on the line above, only a directive on a line of its own counts
		}
		rest := text[i+len("//nolint"):]
		if rest == "" || rest[0] == ' ' || rest[0] == '\t' {
			return true // bare //nolint: every linter
		}
		if rest[0] != ':' {
			continue // //nolintfoo is not a directive
		}
		list, _, _ := strings.Cut(rest[1:], " ")
		for _, name := range strings.Split(list, ",") {
			name = strings.TrimSpace(name)
			if name == "all" || slices.Contains(peers, name) {
				return true
			}
		}
	}
	return false
}

// enclosingFunc names the function declaration holding pos: "Name", or
// "Recv.Name" for a method. Function literals belong to their declaration.
func enclosingFunc(pkg *packages.Package, pos token.Pos) string {
	for _, f := range pkg.Syntax {
		if f.FileStart > pos || pos > f.FileEnd {
			continue
		}
		// Declarations are in source order and do not overlap: a binary
		// search keeps a file of many functions with many findings linear.
		i := sort.Search(len(f.Decls), func(i int) bool { return f.Decls[i].End() >= pos })
		if i == len(f.Decls) {
			return ""
		}
		if fd, ok := f.Decls[i].(*ast.FuncDecl); ok && fd.Pos() <= pos {
			return FuncName(fd)
		}
		return ""
	}
	return ""
}

// FuncName returns "Name" or "Recv.Name" for a function declaration.
func FuncName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.ParenExpr:
			t = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + fd.Name.Name
		}
		return fd.Name.Name
	}
}

// sources reads and caches the lines of files findings point into.
type sources struct {
	root  string
	files map[string][]string
}

func newSources(root string) *sources { return &sources{root: root, files: map[string][]string{}} }

// line returns 1-based line n of file, without its line ending, or "".
func (s *sources) line(file string, n int) string {
	lines, ok := s.files[file]
	if !ok {
		lines = readLines(file)
		s.files[file] = lines
	}
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}

func readLines(file string) []string {
	fh, err := os.Open(file)
	if err != nil {
		return nil
	}
	defer fh.Close()
	var lines []string
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		lines = append(lines, strings.TrimSuffix(sc.Text(), "\r"))
	}
	return lines
}

// relPath makes file relative to root, slash-separated. A file outside root
// (a dependency checked by `prodready check <import path>`) keeps its
// absolute path; no diff can put it in scope.
func relPath(root, file string) (string, bool) {
	rel, err := filepath.Rel(root, file)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(file), file != ""
	}
	return filepath.ToSlash(rel), true
}
