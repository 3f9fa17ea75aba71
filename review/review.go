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
	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/internal/exitcode"
	"github.com/prodready/prodready/review/ask"
	"github.com/prodready/prodready/review/change"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/load"
	"github.com/prodready/prodready/review/patch"
)

// Options configure a review.
type Options struct {
	// Dir is any directory inside the repository's work tree.
	Dir string
	// Base and Head are revisions; see change.Resolve for their defaults.
	Base, Head string
	// Flags override the repository config (filter, fail-on, max comments);
	// config.Resolve merges them, once, into Result.Settings.
	Flags config.Flags
	// Config is the repository configuration when the caller has read it
	// (the CLI reads the work tree's file). ConfigAtBase replaces it.
	Config config.Config
	// ConfigAtBase, when set, is the config file's slash-separated path in
	// the repository, read at the base commit so that a pull request cannot
	// switch off its own reviewer. A missing file is the zero Config unless
	// ConfigRequired is set.
	ConfigAtBase   string
	ConfigRequired bool
	// Load tunes package loading: build tags, tests, environment.
	Load load.Options
	// Asker is the LLM stage; nil runs the deterministic checks only, unless
	// NewAsker builds one.
	Asker Asker
	// NewAsker builds the LLM stage once the config is known, when Asker is
	// nil; nil or a nil result runs the deterministic checks only.
	NewAsker func(ctx context.Context, cfg config.Config) (Asker, error)
	// Checks overrides the catalog (tests); nil means checklist.Catalog().
	Checks []*checklist.Check
	// Logger receives debug detail; nil discards it.
	Logger *slog.Logger
}

// Result is what a review produced, for every way in to consume as it is:
// none of them parses the patch or reads the config again.
type Result struct {
	// Report holds the findings, the skipped paths, the stats and the notes.
	Report *finding.Report
	// Patch is the parsed base..head diff the review read; nil for Packages.
	Patch *patch.Patch
	// Settings are the effective settings: flags over config over defaults.
	Settings config.Effective
}

// Notes are the report's notes: units not asked, partial loads, an LLM
// that could not be used. They are not skipped paths.
func (r *Result) Notes() []finding.Note { return r.Report.Notes }

// Asker is the LLM stage: it asks the three questions about the changed units
// and returns the findings merged with its grounded comments.
type Asker interface {
	Ask(ctx context.Context, in *AskInput) (*AskOutput, error)
}

// AskInput is what the LLM stage sees (defined in review/ask, below both).
type AskInput = ask.Input

// AskOutput is what the LLM stage returns.
type AskOutput = ask.Output

// UsageError marks errors caused by the caller's input (a bad revision, a
// directory that is not a repository); the CLI exits 2 for them. It is
// exitcode.UsageError, the repository's one usage-error type, under the name
// callers of review already use.
type UsageError = exitcode.UsageError

// Run reviews opts.Base..opts.Head.
func Run(ctx context.Context, opts Options) (*Result, error) {
	log := logger(opts.Logger)
	ch, err := change.Resolve(ctx, opts.Dir, opts.Base, opts.Head)
	if err != nil {
		if errors.Is(err, change.ErrNotRepo) || errors.Is(err, change.ErrBadRevision) || errors.Is(err, change.ErrNoBase) {
			return nil, &UsageError{Err: err}
		}
		return nil, err
	}
	set, err := settings(ctx, ch, opts)
	if err != nil {
		return nil, err
	}
	opts.Config = set.Config
	if opts.Asker == nil && opts.NewAsker != nil {
		if opts.Asker, err = opts.NewAsker(ctx, set.Config); err != nil {
			return nil, err
		}
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
	mode := set.Filter
	rep := finding.NewReport(ch.Base, ch.Head)
	res := &Result{Report: rep, Patch: p, Settings: set}

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
	findings, pkgs, reach, err := check(ctx, root, load.WithChains(root, sortedKeys(dirs)), nil, opts, rep)
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
		} else if g, ok := anchorOnChain(root, p, mode, f); ok {
			inScope = append(inScope, g)
		}
	}
	collapseRepeats(inScope)
	rep.Findings = inScope
	log.Debug("checklist done", "packages", len(pkgs), "findings", len(inScope))

	if opts.Asker != nil {
		out, err := opts.Asker.Ask(ctx, &AskInput{
			Root: root, Patch: p, Filter: mode, Packages: pkgs,
			Findings: rep.Findings, Config: opts.Config, Skip: skip, Reach: reach,
		})
		switch {
		case err != nil && ctx.Err() != nil:
			return nil, fmt.Errorf("review cancelled: %w", ctx.Err())
		case err != nil:
			rep.LLM.Unavailable = err.Error()
			rep.Notes = append(rep.Notes, finding.Note{Kind: finding.NoteLLMUnavailable, Reason: err.Error()})
		default:
			rep.Findings = out.Findings
			rep.Stats.LLMCalls = out.Calls
			rep.Stats.LLMTokensIn = out.TokensIn
			rep.Stats.LLMTokensOut = out.TokensOut
			rep.Stats.DroppedUngrounded = out.Dropped
			rep.Stats.DroppedByReason = out.LLM.Dropped
			rep.LLM = out.LLM
			if out.LLM.Unavailable != "" {
				rep.Notes = append(rep.Notes, finding.Note{Kind: finding.NoteLLMUnavailable, Reason: out.LLM.Unavailable})
			}
			// Units not asked are notes, not skipped paths: the checklist
			// still read their files.
			for _, s := range out.LLM.NotAsked {
				rep.Notes = append(rep.Notes, finding.Note{Kind: finding.NoteNotAsked, Path: s.Path, Reason: s.Reason})
			}
			rep.LLM.NotAsked = nil
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
	return res, nil
}

// settings reads the config (at the base commit when opts asks) and merges
// the flags over it: the one place a review's settings are decided.
func settings(ctx context.Context, ch change.Change, opts Options) (config.Effective, error) {
	cfg := opts.Config
	if opts.ConfigAtBase != "" {
		// The base as asked (the base branch's tip), not the merge base.
		rev := opts.Base
		if rev == "" {
			rev = ch.Base
		}
		var err error
		if cfg, err = configAtBase(ctx, ch.Root, rev, opts.ConfigAtBase, opts.ConfigRequired); err != nil {
			return config.Effective{}, err
		}
	}
	set, err := config.Resolve(cfg, opts.Flags)
	if err != nil {
		return set, &UsageError{Err: err}
	}
	return set, nil
}

// configAtBase reads the config file name at the base commit.
func configAtBase(ctx context.Context, root, base, name string, required bool) (config.Config, error) {
	data, ok, err := change.Show(ctx, root, base, name)
	switch {
	case err != nil:
		return config.Config{}, fmt.Errorf("read %s at the base commit: %w", name, err)
	case !ok && required:
		return config.Config{}, &UsageError{Err: fmt.Errorf("config %s does not exist at the base commit %s; the config is read from the base branch, so merge it there first", name, shortSHA(base))}
	case !ok:
		return config.Config{}, nil
	}
	cfg, err := config.Parse(data)
	if err != nil {
		return cfg, &UsageError{Err: fmt.Errorf("%s at the base commit %s: %w; fix it on the base branch", name, shortSHA(base), err)}
	}
	return cfg, nil
}

func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// Packages reviews whole packages like a linter: every line is in scope. dir
// is the module directory the patterns are relative to.
func Packages(ctx context.Context, dir string, patterns []string, opts Options) (*Result, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	set, err := config.Resolve(opts.Config, opts.Flags)
	if err != nil {
		return nil, &UsageError{Err: err}
	}
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	rep := finding.NewReport("", "")
	findings, pkgs, _, err := check(ctx, root, nil, patterns, opts, rep)
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
	collapseRepeats(kept)
	rep.Findings = kept
	for i := range rep.Findings {
		rep.Findings[i].SetFingerprint()
	}
	for _, p := range pkgs {
		rep.Stats.Files += len(p.Syntax)
	}
	rep.Sort()
	return &Result{Report: rep, Settings: set}, nil
}

// check loads dirs (relative to root) or patterns (relative to root), runs the
// enabled checks, and returns every finding, suppressions applied. It records
// package counts and partial loads in rep.
// check loads and checks the packages; it returns the findings, the
// packages and the program model's chains for the LLM stage (nil when no
// model was built).
func check(ctx context.Context, root string, dirs, patterns []string, opts Options, rep *finding.Report) ([]finding.Finding, []*packages.Package, ask.Reach, error) {
	if err := ValidateConfig(opts.Config, opts.Checks...); err != nil {
		return nil, nil, nil, err
	}
	var res *load.Result
	var err error
	switch {
	case len(patterns) > 0:
		res, err = load.Patterns(ctx, root, root, patterns, opts.Load)
	case len(dirs) > 0:
		res, err = load.Dirs(ctx, root, dirs, opts.Load)
	default:
		return nil, nil, nil, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	rep.Stats.Packages = len(res.Packages)
	for _, pl := range res.Partial {
		rep.Notes = append(rep.Notes, finding.Note{Kind: finding.NotePartialLoad, Path: pl.Dir, Reason: pl.Reason})
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
	findings, ms, err := analyzeModel(root, res.Packages, enabled, opts.Config)
	if err != nil {
		return nil, nil, nil, err
	}
	rep.Notes = append(rep.Notes, ms.cutNotes()...)
	var reach ask.Reach
	if r := ms.Reach(); r != nil {
		reach = r
	}
	return findings, res.Packages, reach, nil
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
