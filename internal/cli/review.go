package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/internal/exitcode"
	"github.com/prodready/prodready/review"
	"github.com/prodready/prodready/review/change"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/load"
	"github.com/prodready/prodready/review/report"
)

// commonFlags are the flags review and check share.
type commonFlags struct {
	format, config, failOn, filter string
	tags                           listFlag
	tests, quiet                   bool
}

func (c *commonFlags) register(fs *flag.FlagSet, withDiff bool) {
	fs.StringVar(&c.format, "format", "text", "output format: text, json, sarif, rdjsonl or github-actions")
	fs.StringVar(&c.config, "config", "", "config file (default .prodready.yml at the repository root)")
	fs.StringVar(&c.failOn, "fail-on", "", "exit 1 when a finding is at or above this severity: none, info, warning or error (default error)")
	fs.Var(&c.tags, "tags", "comma-separated build tags")
	fs.BoolVar(&c.tests, "tests", false, "also load and check _test.go files")
	fs.BoolVar(&c.quiet, "quiet", false, "no progress line on stderr (it shows only on a terminal, after two seconds)")
	if withDiff {
		fs.StringVar(&c.filter, "filter", "", "lines in scope: added, diff_context, file or nofilter (default added)")
	}
}

// settings are what the command reads before the review: the output
// format and the config file. Flags over config over defaults are merged by
// review (config.Resolve), once, into the Result's Settings.
type settings struct {
	cfg    config.Config
	format report.Format
}

func (c *commonFlags) resolve(root string) (settings, error) {
	var s settings
	var err error
	if s.format, err = report.ParseFormat(c.format); err != nil {
		return s, exitcode.AsUsage(err)
	}
	cfgFile := c.config
	if cfgFile == "" {
		cfgFile = filepath.Join(root, config.FileName)
	} else if _, err := os.Stat(cfgFile); err != nil {
		return s, usagef("--config: %v", err)
	}
	if s.cfg, err = config.Load(cfgFile); err != nil {
		return s, usagef("%v; fix the file or pass --config", err)
	}
	if err := review.ValidateConfig(s.cfg); err != nil {
		return s, usagef("%s: %v", cfgFile, err)
	}
	return s, nil
}

// flags are the values given on the command line, for config.Resolve.
func (c *commonFlags) flags() config.Flags {
	return config.Flags{Filter: c.filter, FailOn: c.failOn}
}

// reviewGCPercent is the garbage collector's target for a review, a short
// process that type-checks the changed packages and exits: at 200 the
// collector runs half as often, which on the benchmark change (.ci/
// bench-review.sh, warm cache) saved about a tenth of the CPU for under a
// tenth more memory. A GOGC the user sets wins.
const reviewGCPercent = 200

// reviewGC sets the collector's target for a review unless GOGC is set.
func reviewGC(env *Env) {
	if env.Getenv("GOGC") == "" {
		debug.SetGCPercent(reviewGCPercent)
	}
}

func runReview(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("review", "prodready review [flags]",
		"Review the change base..head of a local git repository and print what prodready would post.\n"+
			"The default base is the merge base of HEAD with origin/HEAD, or else main or master.", env)
	var cf commonFlags
	cf.register(fs, true)
	repo := fs.String("repo", ".", "repository directory")
	base := fs.String("base", "", "base revision (default: merge base with origin/HEAD, main or master)")
	head := fs.String("head", "", "head revision (default HEAD)")
	lf := registerLLMFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("review takes no arguments, got %q; use --repo, --base and --head", fs.Arg(0))
	}
	reviewGC(env)
	root, err := change.Root(ctx, *repo)
	if err != nil {
		return usagef("--repo: %v; run inside a git checkout or pass --repo DIR", err)
	}
	s, err := cf.resolve(root)
	if err != nil {
		return err
	}
	asker, err := lf.asker(ctx, env, s.cfg)
	if err != nil {
		return err
	}
	prog := newProgress(env, cf.quiet)
	res, err := review.Run(ctx, review.Options{
		Dir: root, Base: *base, Head: *head, Flags: cf.flags(), Config: s.cfg,
		Load:  loadOptions(cf, prog),
		Asker: asker,
	})
	prog.Done()
	if err != nil {
		return err // review's usage errors are exitcode.UsageError: exit 2
	}
	if err := lf.after(res.Report); err != nil {
		return err
	}
	return finish(env, s.format, res)
}

func runCheck(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("check", "prodready check [flags] [packages]",
		"Check whole packages like a linter, with every line in scope. The default is ./...", env)
	var cf commonFlags
	cf.register(fs, false)
	dir := fs.String("C", ".", "run as if started in this directory")
	if err := parse(fs, args); err != nil {
		return err
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		return usagef("-C: %v", err)
	}
	if load.FindModule(abs) == "" {
		return usagef("%s is not inside a Go module (no go.mod or go.work at or above it); run prodready check in a module, or pass -C DIR", abs)
	}
	s, err := cf.resolve(abs)
	if err != nil {
		return err
	}
	prog := newProgress(env, cf.quiet)
	res, err := review.Packages(ctx, abs, fs.Args(), review.Options{Config: s.cfg, Flags: cf.flags(), Load: loadOptions(cf, prog)})
	prog.Done()
	if err != nil {
		return err // review's usage errors are exitcode.UsageError: exit 2
	}
	return finish(env, s.format, res)
}

// finish writes the report and turns --fail-on into the exit code.
func finish(env *Env, format report.Format, res *review.Result) error {
	rep := res.Report
	if err := report.Write(env.Stdout, format, rep, report.Options{
		Color:   env.IsTerminal && env.Getenv("NO_COLOR") == "",
		Rules:   rules(),
		Version: version(),
	}); err != nil {
		return err
	}
	if format == report.SARIF || format == report.RDJSONL {
		// text prints the notes, JSON carries them under skipped and
		// github-actions as ::notice lines; SARIF and rdjsonl have no place
		// for them, so they are named once, on stderr.
		for _, n := range rep.Warnings() {
			fmt.Fprintf(env.Stderr, "prodready: note: %s\n", n.String())
		}
	}
	// Code that did not compile was not fully checked: it fails the gate as
	// an error-level finding would.
	failOn := res.Settings.FailOn
	if rep.Count(failOn) > 0 || (len(review.BrokenLoads(rep)) > 0 && finding.SeverityError.AtOrAbove(failOn)) {
		return exitError{ExitFindings}
	}
	return nil
}
