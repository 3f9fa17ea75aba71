package cli

import (
	"context"
	"io"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/github/action"
	"github.com/prodready/prodready/review"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/report"
)

func runAction(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("action", "prodready action [flags]",
		"Run as a GitHub Actions step on pull_request, pull_request_target or workflow_run: review the pull\n"+
			"request named by GITHUB_EVENT_PATH and post one review, a sticky summary and a check run. With a\n"+
			"read-only token (a fork) it writes annotations and the step summary instead.\n"+
			"Two-stage pattern for forks: --save FILE in the pull_request workflow, --post FILE in workflow_run.", env)
	repo := fs.String("repo", "", "checkout directory (default GITHUB_WORKSPACE, else .)")
	cfgFile := fs.String("config", "", "config path in the repository, read at the base commit (default .prodready.yml)")
	filter := fs.String("filter", "", "lines in scope: added, diff_context, file or nofilter (default: config, else added)")
	failOn := fs.String("fail-on", "", "exit 1 when a finding is at or above: none, info, warning or error (default: config, else error)")
	maxComments := fs.Int("max-comments", 0, "most inline comments per review (default: config, else 30)")
	save := fs.String("save", "", "write the findings to this file instead of posting (unprivileged pull_request stage)")
	post := fs.String("post", "", "post the findings of this --save file (privileged workflow_run stage; the file is untrusted)")
	sarif := fs.String("sarif", "", "also write the findings as SARIF to this file (the action's sarif output)")
	lf := registerLLMFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("action takes no arguments, got %q", fs.Arg(0))
	}
	out, err := action.Run(ctx, action.Options{
		Dir: *repo, ConfigFile: *cfgFile, Filter: *filter, FailOn: *failOn, MaxComments: *maxComments,
		Save: *save, Post: *post,
		SARIFPath: *sarif,
		WriteSARIF: func(w io.Writer, rep *finding.Report) error {
			return report.Write(w, report.SARIF, rep, report.Options{Rules: rules(), Version: version()})
		},
		NewAsker: func(ctx context.Context, cfg config.Config) (review.Asker, error) { return lf.asker(ctx, env, cfg) },
		Getenv:   env.Getenv, Stdout: env.Stdout, Stderr: env.Stderr,
	})
	if err != nil {
		return err
	}
	if out.AtOrAbove > 0 || (out.Broken > 0 && finding.SeverityError.AtOrAbove(out.FailOn)) {
		return exitError{ExitFindings}
	}
	return nil
}
