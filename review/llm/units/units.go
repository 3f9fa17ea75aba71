// Package units cuts a change into the units the LLM stage asks about: each
// changed function (declaration, or function literal outside any
// declaration), whole, with new-file line numbers and its changed lines
// marked, and the changes outside functions grouped by hunk. It gathers what a
// unit needs to be read on its own (receiver and parameter types, signatures
// of same-package callees, the checklist's findings) and ranks units by risk
// signal.
package units

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/prompts"
	"github.com/prodready/prodready/review/ask"
	"github.com/prodready/prodready/review/patch"
)

// Kind says what a unit is.
type Kind string

// Unit kinds.
const (
	Func    Kind = "function"
	Literal Kind = "function literal"
	Hunk    Kind = "change outside functions"
)

// Limits on the context sent along with a unit.
const (
	maxTypeLines = 40
	maxTypes     = 8
	maxCallees   = 15
	// MaxFileBytes caps a source file read for a unit; a larger file is
	// reported as not asked rather than read.
	MaxFileBytes = 4 << 20
)

// Source is the new-file text of one changed file, shared by its units.
type Source struct {
	Path  string
	Lines []string
	// code marks the lines holding Go code (see HasCode); nil when unknown.
	code map[int]bool
}

// Line returns 1-based line n, or "".
func (s *Source) Line(n int) string {
	if n < 1 || n > len(s.Lines) {
		return ""
	}
	return s.Lines[n-1]
}

// Unit is one piece of a change the model is asked about.
type Unit struct {
	Kind Kind
	// Path is the file, slash-separated, relative to the repository root.
	Path string
	// Name is "Recv.Name" for a method, "Name" for a function, and a short
	// description for literals and hunks. Verdicts are keyed by it.
	Name string
	// Function is the enclosing function as findings name it (finding.FuncName
	// form), "" outside declarations; it feeds the fingerprint.
	Function string
	// Start and End are the new-file lines the unit spans.
	Start, End int
	// Changed holds the new-file lines this change added inside the unit:
	// the only lines a comment may sit on.
	Changed map[int]bool
	// Deleted holds the lines the change removed inside the unit, keyed by
	// the new-file line they stood before. The prompt shows them marked "-",
	// without numbers; no comment can sit on them.
	Deleted map[int][]string
	// Decl is the line of the func keyword (Start may be its doc comment).
	Decl   int
	Source *Source
	// Chains are the entry points and call chains that reach the function,
	// from the program model; empty when none is known.
	Chains []string
	// Types, Callees and Evidence are context for the prompt.
	Types, Callees []string
	Evidence       []finding.Finding
	Instructions   []string
	// Signals name the risk signals found, strongest first; Score ranks.
	Signals []string
	Score   int

	// elided spans are left out of Code: functions inside a hunk unit.
	elided []elision
}

// ID names the unit in logs and "not asked" lists: path:start-end (name).
func (u *Unit) ID() string {
	if u.Name == "" {
		return fmt.Sprintf("%s:%d-%d", u.Path, u.Start, u.End)
	}
	return fmt.Sprintf("%s:%d-%d (%s)", u.Path, u.Start, u.End, u.Name)
}

// IsFunction reports whether the unit is a function (declaration or literal),
// which gets per-question verdicts.
func (u *Unit) IsFunction() bool { return u.Kind == Func || u.Kind == Literal }

// ChangedLines returns the changed lines in order.
func (u *Unit) ChangedLines() []int {
	out := make([]int, 0, len(u.Changed))
	for n := range u.Changed {
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

// Code renders the unit's lines as the prompt shows them:
// "<line> <+ or space>| <text>", and a deleted line as "      -| <text>".
func (u *Unit) Code() string {
	var b strings.Builder
	for n := u.Start; n <= u.End; n++ {
		for _, t := range u.Deleted[n] {
			fmt.Fprintf(&b, "%5s -| %s\n", "", t)
		}
		if e, ok := u.elidedAt(n); ok {
			fmt.Fprintf(&b, "%5s  | … lines %d-%d: %s, reviewed as its own unit\n", "", e.start, e.end, e.name)
			n = e.end
			continue
		}
		mark := " "
		if u.Changed[n] {
			mark = "+"
		}
		fmt.Fprintf(&b, "%5d %s| %s\n", n, mark, u.Source.Line(n))
	}
	return b.String()
}

func (u *Unit) elidedAt(n int) (elision, bool) {
	for _, e := range u.elided {
		if e.start == n {
			return e, true
		}
	}
	return elision{}, false
}

// PromptData renders the unit for the prompt template.
func (u *Unit) PromptData() prompts.UnitData {
	code := u.Code()
	sum := sha256.Sum256([]byte(code))
	d := prompts.UnitData{
		Kind: string(u.Kind), Name: u.Name, Start: u.Start, End: u.End,
		Fence: "<<<CODE-" + hex.EncodeToString(sum[:6]) + ">>>", Code: code, Signals: u.Signals, Chains: u.Chains,
	}
	for _, f := range u.Evidence {
		d.Evidence = append(d.Evidence, fmt.Sprintf("line %d [%s, %s, %s]: %s", f.Line, f.Check, f.Question, f.Severity, finding.NormalizeSpace(f.Message)))
	}
	return d
}

// Request renders units of one file for one call: the units in line order,
// and the context they share (types, callees, instructions) once.
func Request(us []*Unit) prompts.RequestData {
	sorted := append([]*Unit(nil), us...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	var d prompts.RequestData
	seen := map[string]bool{}
	add := func(dst *[]string, items []string) {
		for _, it := range items {
			if !seen[it] {
				seen[it] = true
				*dst = append(*dst, it)
			}
		}
	}
	for _, u := range sorted {
		d.Path = u.Path
		add(&d.Instructions, u.Instructions)
		add(&d.Types, u.Types)
		add(&d.Callees, u.Callees)
		d.Units = append(d.Units, u.PromptData())
	}
	return d
}

// EstimateTokens is a deliberately conservative token count: one token per
// three bytes. BPE tokenizers of current models average about four bytes per
// token on English and three to four on Go source, so this over-counts, and a
// budget measured with it is not overrun. A real tokenizer would tie the
// stage to one model family; the endpoints prodready talks to vary.
func EstimateTokens(s string) int { return (len(s) + 2) / 3 }

// Extract cuts the change in into units. Files the review skipped, deleted
// files and non-Go files give none. Problems reading a file become entries of
// the returned skipped list, never a silent gap.
func Extract(in *ask.Input) ([]*Unit, []finding.Skipped) {
	byFile := syntaxByFile(in.Root, in.Packages)
	var out []*Unit
	var skipped []finding.Skipped
	for _, pf := range in.Patch.Files {
		if pf.IsDelete || pf.IsBinary || !strings.HasSuffix(pf.NewPath, ".go") {
			continue
		}
		if _, skip := in.Skip[pf.NewPath]; skip {
			continue
		}
		added := pf.AddedLines()
		if len(added) == 0 && !hasDeleted(pf) {
			continue
		}
		src, err := readSource(in.Root, pf.NewPath)
		if err != nil {
			skipped = append(skipped, finding.Skipped{Path: pf.NewPath, Reason: "not asked: " + err.Error()})
			continue
		}
		fs := byFile[pf.NewPath]
		if fs.file == nil {
			// Not among the loaded packages (a load that failed outright):
			// parse it here for syntax-level units.
			fset := token.NewFileSet()
			f, _ := parser.ParseFile(fset, filepath.Join(in.Root, filepath.FromSlash(pf.NewPath)), nil, parser.ParseComments|parser.SkipObjectResolution)
			fs = fileSyntax{file: f, fset: fset}
			if f != nil {
				fs.pkgFiles = []*ast.File{f}
				fs.memo = newPkgMemo(fs.pkgFiles)
			}
		}
		us := fileUnits(pf, src, fs, added)
		for _, u := range us {
			u.Instructions = in.Config.InstructionsFor(u.Path)
			for _, f := range in.Findings {
				if f.Path == u.Path && f.Line >= u.Start && f.Line <= u.End {
					u.Evidence = append(u.Evidence, f)
				}
			}
			score(u, fs)
		}
		out = append(out, us...)
	}
	return out, skipped
}

// Rank orders units by risk signal, strongest first, then by place.
func Rank(us []*Unit) {
	sort.SliceStable(us, func(i, j int) bool {
		if us[i].Score != us[j].Score {
			return us[i].Score > us[j].Score
		}
		if us[i].Path != us[j].Path {
			return us[i].Path < us[j].Path
		}
		return us[i].Start < us[j].Start
	})
}

// fileSyntax is a parsed file and what the package around it offers.
type fileSyntax struct {
	file     *ast.File
	fset     *token.FileSet
	info     *types.Info
	pkgTypes *types.Package
	pkgFiles []*ast.File
	memo     *pkgMemo
}

func syntaxByFile(root string, pkgs []*packages.Package) map[string]fileSyntax {
	out := map[string]fileSyntax{}
	for _, p := range pkgs {
		if p.Fset == nil {
			continue
		}
		memo := newPkgMemo(p.Syntax)
		for _, f := range p.Syntax {
			tf := p.Fset.File(f.Pos())
			if tf == nil {
				continue
			}
			rel, err := filepath.Rel(root, tf.Name())
			if err != nil || strings.HasPrefix(rel, "..") {
				continue
			}
			rel = filepath.ToSlash(rel)
			if _, seen := out[rel]; seen {
				continue
			}
			fs := fileSyntax{file: f, fset: p.Fset, pkgFiles: p.Syntax, pkgTypes: p.Types, memo: memo}
			if p.TypesInfo != nil && len(p.TypesInfo.Uses) > 0 {
				fs.info = p.TypesInfo
			}
			out[rel] = fs
		}
	}
	return out
}

func readSource(root, rel string) (*Source, error) {
	full := filepath.Join(root, filepath.FromSlash(rel))
	st, err := os.Stat(full)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", rel, err)
	}
	if st.Size() > MaxFileBytes {
		return nil, fmt.Errorf("%s is %d bytes, over the %d-byte limit for a unit's file", rel, st.Size(), MaxFileBytes)
	}
	data, err := os.ReadFile(full)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", rel, err)
	}
	src := &Source{Path: rel}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), MaxFileBytes)
	for sc.Scan() {
		src.Lines = append(src.Lines, strings.TrimSuffix(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", rel, err)
	}
	if strings.HasSuffix(rel, ".go") {
		src.code = codeLines(data)
	}
	return src, nil
}

// fileUnits makes the units of one file: functions and top-level literals
// holding added lines, then hunks for the added lines left over.
func fileUnits(pf *patch.File, src *Source, fs fileSyntax, added []int) []*Unit {
	covered := map[int]bool{}
	deleted := deletedBefore(pf)
	var out []*Unit
	take := func(u *Unit) {
		for _, n := range added {
			if u.Kind == Hunk && strings.TrimSpace(src.Line(n)) == "" {
				continue // a blank line between declarations says nothing
			}
			if n >= u.Start && n <= u.End && !covered[n] {
				u.Changed[n] = true
				covered[n] = true
			}
		}
		if u.Kind != Hunk {
			u.takeDeleted(deleted)
		}
		if len(u.Changed) > 0 || len(u.Deleted) > 0 {
			out = append(out, u)
		}
	}
	if fs.file != nil {
		line := func(p token.Pos) int { return fs.fset.Position(p).Line }
		for _, d := range fs.file.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				start := line(d.Pos())
				if d.Doc != nil {
					start = line(d.Doc.Pos())
				}
				u := &Unit{Kind: Func, Path: pf.NewPath, Name: finding.FuncName(d), Function: finding.FuncName(d),
					Start: start, End: line(d.End()), Decl: line(d.Pos()), Changed: map[int]bool{}, Source: src}
				u.Types = typeDecls(fs, d.Recv, d.Type.Params)
				u.Callees = callees(fs, d.Body, d)
				take(u)
			case *ast.GenDecl:
				for _, lit := range topLiterals(d) {
					u := &Unit{Kind: Literal, Path: pf.NewPath, Name: lit.name,
						Start: line(lit.lit.Pos()), End: line(lit.lit.End()), Decl: line(lit.lit.Pos()), Changed: map[int]bool{}, Source: src}
					u.Types = typeDecls(fs, nil, lit.lit.Type.Params)
					u.Callees = callees(fs, lit.lit.Body, nil)
					take(u)
				}
			}
		}
	}
	// What is left lies outside any function: one unit per hunk.
	for hi := range pf.Hunks {
		h := &pf.Hunks[hi]
		u := &Unit{Kind: Hunk, Path: pf.NewPath, Name: fmt.Sprintf("hunk at line %d", h.NewStart),
			Start: h.NewStart, End: h.NewEnd(), Changed: map[int]bool{}, Source: src}
		if u.End < u.Start {
			continue
		}
		funcs := len(out)
		take(u)
		if len(out) == funcs {
			continue
		}
		// Show the changed lines with a little context, not the whole hunk
		// (for a new file that is the whole file), and leave out the
		// functions inside that range: they are units of their own.
		lines := u.ChangedLines()
		u.Start = max(h.NewStart, lines[0]-hunkContext)
		u.End = min(h.NewEnd(), lines[len(lines)-1]+hunkContext)
		u.Name = fmt.Sprintf("declarations at line %d", lines[0])
		for _, f := range out[:funcs] {
			if f.End >= u.Start && f.Start <= u.End {
				u.elided = append(u.elided, elision{start: max(f.Start, u.Start), end: min(f.End, u.End), name: f.Name})
			}
		}
	}
	return out
}

// hunkContext is how many lines around the changes outside functions a
// hunk unit shows.
const hunkContext = 2

// elision is a span of a hunk unit's lines shown as one line, because a
// function unit covers it.
type elision struct {
	start, end int
	name       string
}

type namedLit struct {
	lit  *ast.FuncLit
	name string
}

// topLiterals finds the outermost function literals in a declaration.
func topLiterals(d *ast.GenDecl) []namedLit {
	var out []namedLit
	for _, spec := range d.Specs {
		vs, ok := spec.(*ast.ValueSpec)
		if !ok {
			continue
		}
		for i, v := range vs.Values {
			name := "func literal"
			if i < len(vs.Names) {
				name = "var " + vs.Names[i].Name
			}
			ast.Inspect(v, func(n ast.Node) bool {
				if lit, ok := n.(*ast.FuncLit); ok {
					out = append(out, namedLit{lit: lit, name: name})
					return false
				}
				return true
			})
		}
	}
	return out
}

// typeDecls renders the same-package declarations of the receiver and
// parameter types.
func typeDecls(fs fileSyntax, lists ...*ast.FieldList) []string {
	specs := map[string]*ast.TypeSpec{}
	for _, f := range fs.pkgFiles {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				if ts, ok := s.(*ast.TypeSpec); ok {
					specs[ts.Name.Name] = ts
				}
			}
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, fl := range lists {
		if fl == nil {
			continue
		}
		for _, field := range fl.List {
			name := baseIdent(field.Type)
			ts := specs[name]
			if ts == nil || seen[name] || len(out) >= maxTypes {
				continue
			}
			seen[name] = true
			var b bytes.Buffer
			b.WriteString("type ")
			cfg := printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}
			if err := cfg.Fprint(&b, fs.fset, ts); err != nil {
				continue
			}
			out = append(out, capLines(b.String(), maxTypeLines))
		}
	}
	return out
}

// baseIdent strips pointers, slices, generics and variadics off a type
// expression and returns the local type name, or "".
func baseIdent(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.ArrayType:
			e = x.Elt
		case *ast.Ellipsis:
			e = x.Elt
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		default:
			return ""
		}
	}
}

func capLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= n {
		return s
	}
	return strings.Join(lines[:n], "\n") + fmt.Sprintf("\n\t// … %d more lines not shown", len(lines)-n)
}

// callees lists the signatures of same-package functions that body calls,
// self excluded.
func callees(fs fileSyntax, body *ast.BlockStmt, self *ast.FuncDecl) []string {
	if body == nil {
		return nil
	}
	decls := map[string]*ast.FuncDecl{}
	for _, f := range fs.pkgFiles {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd != self {
				decls[finding.FuncName(fd)] = fd
			}
		}
	}
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] && len(out) < maxCallees {
			seen[s] = true
			out = append(out, s)
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if fs.info != nil && fs.pkgTypes != nil {
			if fn, ok := typeutil.Callee(fs.info, call).(*types.Func); ok && fn.Pkg() == fs.pkgTypes {
				if self == nil || fn.Name() != self.Name.Name || finding.FuncName(self) != recvName(fn) {
					add(types.ObjectString(fn, types.RelativeTo(fs.pkgTypes)))
				}
			}
			return true
		}
		// Syntax only: plain calls of package-level functions by name.
		if id, ok := call.Fun.(*ast.Ident); ok {
			if fd := decls[id.Name]; fd != nil && fd.Recv == nil {
				var b bytes.Buffer
				sig := &ast.FuncDecl{Name: fd.Name, Type: fd.Type}
				if err := printer.Fprint(&b, fs.fset, sig); err == nil {
					add(b.String())
				}
			}
		}
		return true
	})
	sort.Strings(out)
	return out
}

// recvName is finding.FuncName's form for a *types.Func.
func recvName(fn *types.Func) string {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return fn.Name()
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok {
		return n.Obj().Name() + "." + fn.Name()
	}
	return fn.Name()
}
