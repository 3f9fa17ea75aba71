// Package review runs prodready's pipeline over a change:
//
//	Change → Patch → Load → Check → Ask → Ground → Report
//
// Run reviews a base..head range of a git repository; Packages reviews whole
// packages, like a linter. The LLM stage plugs in through the Asker interface,
// and publishing is left to the caller.
package review

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/prodready/prodready/checklist"
	"github.com/prodready/prodready/internal/exitcode"
	"github.com/prodready/prodready/review/change"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/finding"
	"github.com/prodready/prodready/review/load"
	"github.com/prodready/prodready/review/patch"
)

// Options configure a review.
type Options struct {
	// Dir is any directory inside the repository's work tree.
	Dir string
	// Base and Head are revisions; see change.Resolve for their defaults.
	Base, Head string
	// Filter selects the lines in scope (default patch.FilterAdded).
	Filter patch.Filter
	// Config is the repository configuration. Callers read it from the base
	// branch where a pull request must not be able to change it.
	Config config.Config
	// Load tunes package loading: build tags, tests, environment.
	Load load.Options
	// Asker is the LLM stage; nil runs the deterministic checks only.
	Asker Asker
	// Checks overrides the catalog (tests); nil means checklist.Catalog().
	Checks []*checklist.Check
	// Logger receives debug detail; nil discards it.
	Logger *slog.Logger
}

// Asker is the LLM stage: it asks the three questions about the changed units
// and returns the findings merged with its grounded comments.
type Asker interface {
	Ask(ctx context.Context, in *AskInput) (*AskOutput, error)
}

// AskInput is what the LLM stage sees.
type AskInput struct {
	// Root is the directory holding the head's files.
	Root     string
	Patch    *patch.Patch
	Filter   patch.Filter
	Packages []*packages.Package
	// Findings are the checklist's findings in scope, the stage's evidence.
	Findings []finding.Finding
	Config   config.Config
	// Skip lists paths the review skipped; the stage must not ask about them.
	Skip map[string]string
}

// AskOutput is what the LLM stage returns.
type AskOutput struct {
	// Findings replaces AskInput.Findings: the checklist findings, enriched
	// where the model agreed, plus the model's own grounded comments.
	Findings []finding.Finding
	// Calls, TokensIn, TokensOut and Dropped feed the report's stats.
	Calls, TokensIn, TokensOut, Dropped int
	LLM                                 finding.LLMInfo
}

// UsageError marks errors caused by the caller's input (a bad revision, a
// directory that is not a repository); the CLI exits 2 for them. It is
// exitcode.UsageError, the repository's one usage-error type, under the name
// callers of review already use.
type UsageError = exitcode.UsageError

// Run reviews opts.Base..opts.Head.
func Run(ctx context.Context, opts Options) (*finding.Report, error) {
	log := logger(opts.Logger)
	ch, err := change.Resolve(ctx, opts.Dir, opts.Base, opts.Head)
	if err != nil {
		if errors.Is(err, change.ErrNotRepo) || errors.Is(err, change.ErrBadRevision) || errors.Is(err, change.ErrNoBase) {
			return nil, &UsageError{Err: err}
		}
		return nil, err
	}
	diff, err := ch.Diff(ctx)
	if err != nil {
		return nil, err
	}
	p, err := patch.Parse(bytes.NewReader(diff))
	if err != nil {
		return nil, err
	}
	diff = nil // the parsed patch is all we keep
	mode := opts.Filter
	if mode == "" {
		mode = patch.FilterAdded
	}
	rep := finding.NewReport(ch.Base, ch.Head)

	var goPaths []string
	for _, f := range p.Files {
		if !f.IsDelete && strings.HasSuffix(f.NewPath, ".go") {
			goPaths = append(goPaths, f.NewPath)
		}
	}
	root, cleanup, err := ch.Checkout(ctx, goPaths)
	if err != nil {
		return nil, err
	}
	defer cleanup()

	skip := map[string]string{}
	dirs := map[string]bool{}
	for _, f := range p.Files {
		if f.IsDelete {
			continue
		}
		rep.Stats.Files++
		if reason := skipReason(root, f, opts.Config, opts.Load.Tests); reason != "" {
			skip[f.NewPath] = reason
			rep.Skipped = append(rep.Skipped, finding.Skipped{Path: f.NewPath, Reason: reason})
			continue
		}
		if strings.HasSuffix(f.NewPath, ".go") {
			dirs[path.Dir(f.NewPath)] = true
		}
	}
	findings, pkgs, err := check(ctx, root, sortedKeys(dirs), nil, opts, rep)
	if err != nil {
		return nil, err
	}
	inScope := findings[:0]
	for _, f := range findings {
		if _, skipped := skip[f.Path]; skipped {
			continue
		}
		if p.InScope(mode, f.Path, f.Line) {
			inScope = append(inScope, f)
		}
	}
	rep.Findings = inScope
	log.Debug("checklist done", "packages", len(pkgs), "findings", len(inScope))

	if opts.Asker != nil {
		out, err := opts.Asker.Ask(ctx, &AskInput{
			Root: root, Patch: p, Filter: mode, Packages: pkgs,
			Findings: rep.Findings, Config: opts.Config, Skip: skip,
		})
		switch {
		case err != nil && ctx.Err() != nil:
			return nil, fmt.Errorf("review cancelled: %w", ctx.Err())
		case err != nil:
			rep.LLM.Unavailable = err.Error()
			rep.Notes = append(rep.Notes, "LLM unavailable: "+err.Error()+"; this review holds the deterministic findings only")
			rep.Skipped = append(rep.Skipped, finding.Skipped{Path: "", Reason: "LLM unavailable: " + err.Error()})
		default:
			rep.Findings = out.Findings
			rep.Stats.LLMCalls = out.Calls
			rep.Stats.LLMTokensIn = out.TokensIn
			rep.Stats.LLMTokensOut = out.TokensOut
			rep.Stats.DroppedUngrounded = out.Dropped
			rep.LLM = out.LLM
			if out.LLM.Unavailable != "" {
				rep.Notes = append(rep.Notes, "LLM unavailable: "+out.LLM.Unavailable+"; this review holds the deterministic findings only")
				rep.Skipped = append(rep.Skipped, finding.Skipped{Path: "", Reason: "LLM unavailable: " + out.LLM.Unavailable})
			}
			rep.Skipped = append(rep.Skipped, out.LLM.NotAsked...)
		}
	}
	for i := range rep.Findings {
		if rep.Findings[i].Fingerprint == "" {
			rep.Findings[i].SetFingerprint()
		}
		if rep.Findings[i].EndLine < rep.Findings[i].Line {
			rep.Findings[i].EndLine = rep.Findings[i].Line
		}
	}
	rep.Sort()
	return rep, nil
}

// Packages reviews whole packages like a linter: every line is in scope. dir
// is the module directory the patterns are relative to.
func Packages(ctx context.Context, dir string, patterns []string, opts Options) (*finding.Report, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	rep := finding.NewReport("", "")
	findings, pkgs, err := check(ctx, root, nil, patterns, opts, rep)
	if err != nil {
		return nil, err
	}
	kept := findings[:0]
	generated := map[string]bool{}
	for _, f := range findings {
		if _, ok := opts.Config.Excluded(f.Path); ok {
			continue
		}
		if isVendorOrTestdata(f.Path) {
			continue
		}
		// A finding in generated code is fixed in its generator; the file
		// is named in skipped once, as review does for a changed one.
		gen, seen := generated[f.Path]
		if !seen {
			gen = isGenerated(filepath.Join(root, filepath.FromSlash(f.Path)))
			generated[f.Path] = gen
			if gen {
				rep.Skipped = append(rep.Skipped, finding.Skipped{Path: f.Path, Reason: "generated file"})
			}
		}
		if gen {
			continue
		}
		kept = append(kept, f)
	}
	rep.Findings = kept
	for i := range rep.Findings {
		rep.Findings[i].SetFingerprint()
	}
	for _, p := range pkgs {
		rep.Stats.Files += len(p.Syntax)
	}
	rep.Sort()
	return rep, nil
}

// check loads dirs (relative to root) or patterns (relative to root), runs the
// enabled checks, and returns every finding, suppressions applied. It records
// package counts and partial loads in rep.
func check(ctx context.Context, root string, dirs, patterns []string, opts Options, rep *finding.Report) ([]finding.Finding, []*packages.Package, error) {
	if err := ValidateConfig(opts.Config, opts.Checks...); err != nil {
		return nil, nil, err
	}
	var res *load.Result
	var err error
	switch {
	case len(patterns) > 0:
		res, err = load.Patterns(ctx, root, root, patterns, opts.Load)
	case len(dirs) > 0:
		res, err = load.Dirs(ctx, root, dirs, opts.Load)
	default:
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	rep.Stats.Packages = len(res.Packages)
	for _, pl := range res.Partial {
		// Named once, in skipped: every format shows it from there.
		rep.Skipped = append(rep.Skipped, finding.Skipped{Path: pl.Dir, Reason: PartialLoad + pl.Reason})
	}
	checks := opts.Checks
	if checks == nil {
		checks = checklist.Catalog()
	}
	var enabled []*checklist.Check
	for _, c := range checks {
		if opts.Config.CheckEnabled(c.ID) {
			enabled = append(enabled, c)
		}
	}
	findings, err := Analyze(root, res.Packages, enabled, opts.Config)
	if err != nil {
		return nil, nil, err
	}
	return findings, res.Packages, nil
}

var generatedRE = regexp.MustCompile(`(?m)^// Code generated .* DO NOT EDIT\.\r?$`)

// skipReason says why a changed file is not reviewed, or "".
func skipReason(root string, f *patch.File, cfg config.Config, tests bool) string {
	p := f.NewPath
	switch {
	case f.IsBinary:
		return "binary file"
	case isVendor(p):
		return "vendored code"
	case isTestdata(p):
		return "testdata"
	}
	if g, ok := cfg.Excluded(p); ok {
		return "excluded by config (" + g + ")"
	}
	if !strings.HasSuffix(p, ".go") {
		return ""
	}
	if strings.HasSuffix(p, "_test.go") && !tests {
		return "test file (pass --tests to review it)"
	}
	if isGenerated(filepath.Join(root, filepath.FromSlash(p))) {
		return "generated file"
	}
	return ""
}

// isGenerated applies Go's convention, a "// Code generated ... DO NOT EDIT."
// line before the package clause, and also takes the banners generators
// outside that convention write there (OpenAPI Generator's "auto generated
// ... Do not edit the class manually"): a header that says both "generated"
// and "do not edit". Such files are fixed in their generator; reviewing
// them line by line buries everything else (one API client module gave
// 2,946 identical findings).
func isGenerated(file string) bool {
	fh, err := os.Open(file)
	if err != nil {
		return false
	}
	defer fh.Close()
	buf := make([]byte, 8<<10)
	n, _ := fh.Read(buf)
	head := buf[:n]
	if i := bytes.Index(head, []byte("\npackage ")); i >= 0 {
		head = head[:i+1]
	}
	if generatedRE.Match(head) {
		return true
	}
	lower := bytes.ToLower(head)
	return bytes.Contains(lower, []byte("generated")) && bytes.Contains(lower, []byte("do not edit"))
}

func isVendor(p string) bool {
	return p == "vendor" || strings.HasPrefix(p, "vendor/") || strings.Contains(p, "/vendor/")
}
func isTestdata(p string) bool {
	return strings.HasPrefix(p, "testdata/") || strings.Contains(p, "/testdata/")
}
func isVendorOrTestdata(p string) bool {
	return isVendor(p) || isTestdata(p)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func logger(l *slog.Logger) *slog.Logger {
	if l != nil {
		return l
	}
	return slog.New(slog.DiscardHandler)
}
