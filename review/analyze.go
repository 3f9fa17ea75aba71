package review

import (
	"bufio"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/packages"

	"github.com/prodready/prodready/checklist"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/review/config"
)

// Analyze runs checks over pkgs through golang.org/x/tools/go/analysis/checker
// and turns their diagnostics into findings with paths relative to root.
// Suppression directives are applied; a directive without a reason is itself
// reported.
func Analyze(root string, pkgs []*packages.Package, checks []*checklist.Check, cfg config.Config) ([]finding.Finding, error) {
	out, _, err := analyzeModel(root, pkgs, checks, cfg)
	return out, err
}

// analyzeModel is Analyze that also returns the program model of the root
// packages (see model.go).
func analyzeModel(root string, pkgs []*packages.Package, checks []*checklist.Check, cfg config.Config) ([]finding.Finding, *models, error) {
	if len(checks) == 0 || len(pkgs) == 0 {
		return nil, nil, nil
	}
	bundle := checklist.Bundle(checks)
	analyzers := []*analysis.Analyzer{bundle, program.Analyzer} // the model a root, so that its results are kept
	ms := &models{}
	byID := map[string]*checklist.Check{}
	for _, c := range checks {
		if id := checklist.IDOf(c.Analyzer); id != c.ID {
			return nil, nil, fmt.Errorf("check %s: its analyzer is named %q, which is check %s; name it %q", c.ID, c.Analyzer.Name, id, strings.ReplaceAll(c.ID, "-", "_"))
		}
		byID[c.ID] = c
	}
	roots, orig := sourceGraph(pkgs)
	graph, err := checker.Analyze(analyzers, roots, &checker.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("run checks: %w", err)
	}
	restorePackages(graph, orig)
	src := newSources(root)
	seen := map[string]bool{}
	var out []finding.Finding
	// Every root package's model first: whether a handler sits behind a
	// login check is decided by the router that registers it, usually in
	// another package.
	for _, act := range graph.Roots {
		if act.Err == nil {
			ms.add(act)
		}
	}
	access := ms.access()
	lintConfig, lintNotes := lintConfigText(root, pkgs)
	ms.failed = append(ms.failed, lintNotes...)
	dead := newUnused(pkgs, ms.servingPositions(), ms.entryPositions())
	for _, act := range graph.Roots {
		if act.Err != nil {
			// One analyzer failing on one package must not sink the review,
			// nor pass for a clean answer: the report names it.
			ms.fail(root, act.Package, act.Analyzer.Name, act.Err)
			continue
		}
		res, ok := act.Result.(*checklist.BundleResult)
		if act.Analyzer != bundle || !ok {
			continue
		}
		for _, f := range res.Failed {
			ms.fail(root, act.Package, f.Analyzer.Name, f.Err)
		}
		if len(res.Diagnostics) == 0 || testSupport(act.Package) {
			continue
		}
		for _, cd := range res.Diagnostics {
			d := cd.Diagnostic
			c := byID[checklist.IDOf(cd.Analyzer)]
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
				Severity: checklist.SeverityOf(cfg.SeverityOf(c.ID, checklist.DefaultSeverity(c.Severity, d)), d, access),
				Message:  d.Message + ms.publicNote(root, access, d), Source: finding.SourceChecklist,
				Title:    c.Title,
				Function: enclosingFuncAny(pkgs, act.Package, d.Pos),
				LineText: src.line(pos.Filename, pos.Line),
			}
			f.Within = f.Function
			if lit := innermostLiteral(act.Package, d.Pos); lit.IsValid() {
				f.Within += "@" + strconv.Itoa(act.Package.Fset.Position(lit).Line)
			}
			if f.Severity.Rank() > finding.SeverityInfo.Rank() {
				if name := dead.unusedFunc(act.Package, d.Pos); name != "" {
					// Code nothing in production runs: worth knowing, not a comment.
					f.Severity = finding.SeverityInfo
					f.Message += " (info: nothing that runs in production reaches " + name + ")"
				} else if rules := checklist.ExcludedRules(lintConfig, c.ID); len(rules) > 0 {
					// The team switched the peer rule off on purpose.
					f.Severity = finding.SeverityInfo
					f.Message += " (info: the repository's golangci-lint configuration excludes gosec's " + strings.Join(rules, " and ") + ", the same finding)"
				} else if name := dead.oneShotFunc(act.Package, d.Pos); name != "" && onceCapped[c.ID] {
					// A command a person runs and can interrupt, whose process exits.
					f.Severity = finding.SeverityInfo
					f.Message += " (info: only one-shot CLI commands run " + name + ", not a long-running process)"
				} else if name := dead.startUpFunc(act.Package, d.Pos); name != "" && startUpCapped[c.ID] && (c.ID != "http-no-timeout" || sendsRequest(act.Package, d.Pos)) {
					// Once per process start, seen by whoever starts it.
					f.Severity = finding.SeverityInfo
					f.Message += " (info: only start-up code runs " + name + ", once per process, not per request)"
				}
			}
			f.Chain = chainPlaces(root, act.Package.Fset, d.Related)
			if len(d.SuggestedFixes) > 0 && len(d.SuggestedFixes[0].TextEdits) == 1 {
				f.Suggestion = suggestion(src, act.Package.Fset, d.SuggestedFixes[0].TextEdits[0])
			}
			key := fmt.Sprintf("%s:%d:%s", f.Path, f.Line, f.Check)
			if seen[key] {
				continue // a test variant and its package report the same line
			}
			seen[key] = true
			sup := checklist.Suppress(func(n int) string { return src.line(pos.Filename, n) }, pos.Line, c.ID)
			if sup.Suppressed {
				continue
			}
			if sup.Unreasoned > 0 {
				bad := f
				bad.Line, bad.EndLine, bad.Column = sup.Unreasoned, sup.Unreasoned, 0
				bad.Check = checklist.IgnoreWithoutReason
				bad.Severity = finding.SeverityWarning
				bad.Message = checklist.UnreasonedMessage(c.ID)
				bad.Title = "suppression without a reason"
				bad.Suggestion = ""
				bad.LineText = src.line(pos.Filename, sup.Unreasoned)
				out = append(out, bad)
			}
			out = append(out, f)
		}
	}
	return out, ms, nil
}

// TestSupport reports whether a package is code only tests run — named as
// fakes, test helpers or end-to-end frameworks (e2e…) are, named for tests and importing "testing"
// outside _test.go files (elsewhere only the file that imports it is test support), or
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
	testName := strings.HasSuffix(name, "test") || strings.HasSuffix(name, "tests") || strings.HasSuffix(name, "testing")
	for _, imp := range imports {
		switch {
		case imp == "testing" && testName:
			// storetest: a package of test helpers. Elsewhere a file that
			// imports testing is test support on its own (the program
			// model marks it), and the package beside it is not.
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
			return finding.FuncName(fd)
		}
		return ""
	}
	return ""
}

// innermostLiteral returns the start of the innermost function literal of
// pkg holding pos, or token.NoPos.
func innermostLiteral(pkg *packages.Package, pos token.Pos) token.Pos {
	for _, f := range pkg.Syntax {
		if f.FileStart > pos || pos > f.FileEnd {
			continue
		}
		path, _ := astutil.PathEnclosingInterval(f, pos, pos)
		for _, n := range path {
			if lit, ok := n.(*ast.FuncLit); ok {
				return lit.Pos()
			}
		}
		return token.NoPos
	}
	return token.NoPos
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

// lintConfigText returns the golangci-lint configurations of the
// repository root and of the loaded packages' module roots, joined: what
// the team chose to switch off (checklist.ExcludedRules). A missing file
// is no configuration; one that exists but cannot be read is a note, so
// that a finding its exclusions would have kept off is not mistaken for
// a choice.
// maxLintConfig bounds how much of a golangci-lint configuration is read:
// the file comes from the repository under review, and real ones are a few
// kilobytes.
const maxLintConfig = 1 << 20

// readBounded reads the file name whole if it holds at most max bytes, and
// fails naming the limit otherwise.
func readBounded(name string, max int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes", filepath.Base(name), max)
	}
	return data, nil
}

func lintConfigText(root string, pkgs []*packages.Package) (string, []finding.Note) {
	dirs := []string{root}
	for _, p := range pkgs {
		if p.Module != nil && p.Module.Dir != "" && !slices.Contains(dirs, p.Module.Dir) {
			dirs = append(dirs, p.Module.Dir)
		}
	}
	var b strings.Builder
	var notes []finding.Note
	for _, d := range dirs {
		for _, n := range checklist.LintConfigNames {
			name := filepath.Join(d, n)
			data, err := readBounded(name, maxLintConfig)
			switch {
			case err == nil:
				b.Write(data)
				b.WriteByte('\n')
			case !errors.Is(err, fs.ErrNotExist):
				rel, _ := relPath(root, name)
				notes = append(notes, finding.Note{Kind: finding.NoteCheckFailed, Path: rel,
					Reason: fmt.Sprintf("the golangci-lint configuration could not be read, so the rules it excludes are not honoured: %v", err)})
			}
		}
	}
	return b.String(), notes
}
