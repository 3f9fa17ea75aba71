package action

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	gh "github.com/google/go-github/v62/github"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/github/client"
	"github.com/prodready/prodready/github/publish"
	"github.com/prodready/prodready/internal/exitcode"
	"github.com/prodready/prodready/review"
	"github.com/prodready/prodready/review/change"
	"github.com/prodready/prodready/review/config"
)

// Options configure one run of the Action step. Flags override the base
// ref's .prodready.yml, which overrides the defaults.
type Options struct {
	// Dir is the checkout (default GITHUB_WORKSPACE, else ".").
	Dir string
	// ConfigFile is the config's path in the repository, read at the base
	// ref (default .prodready.yml).
	ConfigFile string
	// Filter, FailOn and MaxComments override the config when set.
	Filter      string
	FailOn      string
	MaxComments int
	// Save writes an artifact instead of publishing (stage 1 of the
	// two-stage pattern); Post publishes an artifact (stage 2).
	Save, Post string
	// NewAsker builds the LLM stage once the config is known; nil or a nil
	// result means deterministic checks only.
	NewAsker func(ctx context.Context, cfg config.Config) (review.Asker, error)
	// Report overrides the review (tests, or a caller that ran it already).
	Report func(ctx context.Context, ro review.Options) (*review.Result, error)
	// SARIFPath, when set, receives the findings as SARIF through WriteSARIF,
	// and becomes the step's sarif output.
	SARIFPath  string
	WriteSARIF func(w io.Writer, rep *finding.Report) error
	// Getenv reads the environment (default os.Getenv).
	Getenv func(string) string
	// Stdout receives workflow commands; Stderr one-line messages.
	Stdout, Stderr io.Writer
	// Client tunes the API client (tests inject a clock).
	Client client.Options
	Logger *slog.Logger
}

// Outcome is what a run found and did. The caller turns it into the exit
// code: findings at or above FailOn exit 1.
type Outcome struct {
	Findings  int
	AtOrAbove int
	// Broken counts packages that did not compile or whose dependencies did
	// not load (review.BrokenLoads): code not fully checked, which fails the
	// gate as an error-severity finding would.
	Broken int
	FailOn finding.Severity
	// Degraded says why the run wrote annotations instead of a review.
	Degraded string
	Result   *publish.Result
	// Dropped lists artifact findings --post refused.
	Dropped []Dropped
}

// A problem with the step's inputs or the repository config is an
// exitcode.UsageError; the CLI exits 2 for it.
func usagef(format string, args ...any) error { return exitcode.Usagef(format, args...) }

// Run runs the step.
func Run(ctx context.Context, o Options) (*Outcome, error) {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	if o.Save != "" && o.Post != "" {
		return nil, usagef("--save and --post exclude each other: --save runs in the pull_request workflow, --post in the workflow_run one")
	}
	ev, err := ReadEvent(o.Getenv("GITHUB_EVENT_PATH"), o.Getenv("GITHUB_EVENT_NAME"))
	if err != nil {
		return nil, exitcode.AsUsage(err)
	}
	if o.Post != "" {
		return runPost(ctx, o, ev)
	}
	return runReview(ctx, o, ev)
}

func (o Options) dir() string {
	if o.Dir != "" {
		return o.Dir
	}
	if w := o.Getenv("GITHUB_WORKSPACE"); w != "" {
		return w
	}
	return "."
}

func (o Options) repository(ev *Event) string {
	if r := o.Getenv("GITHUB_REPOSITORY"); r != "" {
		return r
	}
	return ev.BaseRepo
}

func (o Options) configName() (string, bool) {
	if o.ConfigFile == "" {
		return config.FileName, false
	}
	return filepath.ToSlash(filepath.Clean(o.ConfigFile)), true
}

func (o Options) flags() config.Flags {
	return config.Flags{Filter: o.Filter, FailOn: o.FailOn, MaxComments: o.MaxComments}
}

// resolveFromAPI reads the config for --post, which has no checkout of the
// pull request, through the API at the base commit, and merges the flags
// over it as review.Run does for a checkout.
func (o Options) resolveFromAPI(ctx context.Context, c *gh.Client, t publish.Target) (config.Effective, error) {
	name, explicit := o.configName()
	fc, _, _, err := c.Repositories.GetContents(ctx, t.Owner, t.Repo, name, &gh.RepositoryContentGetOptions{Ref: t.BaseSHA})
	var er *gh.ErrorResponse
	var cfg config.Config
	switch {
	case errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == 404:
		if explicit {
			return config.Effective{}, usagef("config %s does not exist at the base commit %s; the config is read from the base branch, so merge it there first", name, shortSHA(t.BaseSHA))
		}
	case err != nil:
		return config.Effective{}, fmt.Errorf("read %s at the base commit through the API: %w", name, err)
	case fc == nil:
		return config.Effective{}, usagef("%s at the base commit is not a file", name)
	default:
		text, err := fc.GetContent()
		if err != nil {
			return config.Effective{}, fmt.Errorf("decode %s: %w", name, err)
		}
		if cfg, err = config.Parse([]byte(text)); err != nil {
			return config.Effective{}, usagef("%s at the base commit: %v; fix it on the base branch", name, err)
		}
		if err := review.ValidateConfig(cfg); err != nil {
			return config.Effective{}, usagef("%s at the base commit: %v; fix it on the base branch", name, err)
		}
	}
	set, err := config.Resolve(cfg, o.flags())
	if err != nil {
		return set, exitcode.AsUsage(err)
	}
	return set, nil
}

func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

func runReview(ctx context.Context, o Options, ev *Event) (*Outcome, error) {
	if ev.Name == "workflow_run" && ev.Number == 0 {
		return nil, usagef("this workflow_run has no pull request attached (GitHub leaves it empty for forks); use --post with the artifact of 'prodready action --save'")
	}
	dir, err := change.Root(ctx, o.dir())
	if err != nil {
		return nil, usagef("%v; check out the repository first (actions/checkout)", err)
	}
	base := ev.BaseSHA
	if base == "" {
		return nil, usagef("the event names no base commit")
	}
	if err := EnsureCommits(ctx, dir, base, ev.HeadSHA); err != nil {
		return nil, err
	}
	name, explicit := o.configName()
	ro := review.Options{Dir: dir, Base: base, Head: ev.HeadSHA,
		ConfigAtBase: name, ConfigRequired: explicit, Flags: o.flags(),
		NewAsker: o.NewAsker, Logger: o.Logger}
	run := review.Run
	if o.Report != nil {
		run = o.Report
	}
	rr, err := run(ctx, ro)
	if err != nil {
		return nil, err
	}
	rep, s := rr.Report, rr.Settings
	out := &Outcome{Findings: len(rep.Findings), AtOrAbove: rep.Count(s.FailOn), Broken: len(review.BrokenLoads(rep)), FailOn: s.FailOn}
	repo := o.repository(ev)
	t, err := target(repo, ev.Number, rep.Base, ev.HeadSHA)
	if err != nil {
		return nil, exitcode.AsUsage(err)
	}
	if err := writeOutputs(o, rep); err != nil {
		return out, err
	}
	if o.Save != "" {
		if err := NewArtifact(repo, ev.Number, rep).Save(o.Save); err != nil {
			return out, err
		}
		// The unprivileged stage still shows its result where it runs.
		if err := WriteAnnotations(o.Stdout, rep); err != nil {
			return out, err
		}
		res := &publish.Result{InSummary: rep.Findings}
		return out, appendFile(o.Getenv("GITHUB_STEP_SUMMARY"), publish.Summary(t, rep, res, nil, "Findings saved to "+o.Save+" for the workflow_run stage to post.")+"\n")
	}
	if ev.Name == "pull_request" && ev.Fork {
		out.Degraded = "this pull request comes from a fork, so its token is read-only: findings are shown as annotations and in the step summary instead of a review. For review comments, use the two-stage workflow (prodready action --save / --post)."
		return out, degrade(o, t, rep, out.Degraded, true)
	}
	c, err := client.New(o.Getenv("GITHUB_TOKEN"), o.Getenv("GITHUB_API_URL"), o.clientOptions())
	if err != nil {
		return out, usagef("%v", err)
	}
	// Anchors are checked against the diff the review read (merge base to
	// head, as GitHub shows it); unlike the API's, it has no size limit.
	res, err := publisher(c, o, s).Publish(ctx, t, rep, rr.Patch)
	out.Result = res
	var pe *publish.PermissionError
	if errors.As(err, &pe) {
		// Nothing is lost: annotations and the step summary carry the review,
		// and the error line names the missing permission.
		out.Degraded = pe.Error()
		if derr := degrade(o, t, rep, pe.Error(), false); derr != nil {
			return out, derr
		}
		return out, exitcode.AsUsage(pe)
	}
	if err != nil {
		return out, err
	}
	printNotes(o, res)
	return out, appendFile(o.Getenv("GITHUB_STEP_SUMMARY"), publish.Summary(t, rep, res, nil, "")+"\n")
}

func (o Options) clientOptions() client.Options {
	co := o.Client
	if co.Logger == nil {
		co.Logger = o.Logger
	}
	return co
}

func publisher(c *gh.Client, o Options, s config.Effective) *publish.Publisher {
	return publish.New(c, publish.Options{
		MaxComments: s.MaxComments, RequestChanges: s.Config.RequestChanges, FailOn: s.FailOn,
		Logger: o.Logger, Now: o.Client.Now,
	})
}

func target(repo string, number int, base, head string) (publish.Target, error) {
	owner, name, err := SplitRepo(repo)
	if err != nil {
		return publish.Target{}, err
	}
	return publish.Target{Owner: owner, Repo: name, Number: number, BaseSHA: base, HeadSHA: head}, nil
}

// degrade writes annotations and the step summary headed by notice, and
// the notice as a workflow command when asked (the caller prints an error
// line instead otherwise).
func degrade(o Options, t publish.Target, rep *finding.Report, notice string, asCommand bool) error {
	if err := WriteAnnotations(o.Stdout, rep); err != nil {
		return err
	}
	if asCommand {
		if _, err := io.WriteString(o.Stdout, Notice(notice)); err != nil {
			return err
		}
	}
	res := &publish.Result{InSummary: rep.Findings}
	return appendFile(o.Getenv("GITHUB_STEP_SUMMARY"), publish.Summary(t, rep, res, nil, notice)+"\n")
}

func printNotes(o Options, res *publish.Result) {
	for _, n := range res.Notes {
		fmt.Fprintf(o.Stderr, "prodready: note: %s\n", n)
	}
}

// writeOutputs writes the SARIF file when asked and the step outputs. A
// SARIF failure is reported and leaves the output empty; it does not fail
// the review.
func writeOutputs(o Options, rep *finding.Report) error {
	kv := [][2]string{{"findings", fmt.Sprint(len(rep.Findings))}}
	if o.SARIFPath != "" && o.WriteSARIF != nil {
		if err := writeSARIF(o, rep); err != nil {
			fmt.Fprintf(o.Stderr, "prodready: note: no SARIF file: %v\n", err)
		} else {
			kv = append(kv, [2]string{"sarif", o.SARIFPath})
		}
	}
	return WriteOutputs(o.Getenv("GITHUB_OUTPUT"), kv)
}

func writeSARIF(o Options, rep *finding.Report) error {
	f, err := os.Create(o.SARIFPath)
	if err != nil {
		return err
	}
	if err := o.WriteSARIF(f, rep); err != nil {
		f.Close()
		os.Remove(o.SARIFPath)
		return err
	}
	return f.Close()
}

// runPost publishes an artifact from the unprivileged stage. Everything in
// it is untrusted: the pull request and its commits come from the event and
// the API, anchors are re-validated against the diff from the API, and sizes
// are capped.
func runPost(ctx context.Context, o Options, ev *Event) (*Outcome, error) {
	if ev.Name != "workflow_run" {
		return nil, usagef("--post runs in a workflow_run workflow, not %s", ev.Name)
	}
	a, err := LoadArtifact(o.Post)
	if err != nil {
		return nil, exitcode.AsUsage(err)
	}
	repo := o.repository(ev)
	if !strings.EqualFold(a.Repository, repo) {
		return nil, usagef("the artifact names repository %q, but this workflow runs in %q; refusing it", short(a.Repository), repo)
	}
	if a.HeadSHA != ev.HeadSHA {
		return nil, usagef("the artifact is for commit %s, but the workflow run is for %s; refusing it", shortSHA(short(a.HeadSHA)), shortSHA(ev.HeadSHA))
	}
	number := ev.Number
	if number == 0 {
		number = a.Number
	}
	if number <= 0 {
		return nil, usagef("no pull request number in the event or the artifact")
	}
	c, err := client.New(o.Getenv("GITHUB_TOKEN"), o.Getenv("GITHUB_API_URL"), o.clientOptions())
	if err != nil {
		return nil, usagef("%v", err)
	}
	t, err := target(repo, number, "", ev.HeadSHA)
	if err != nil {
		return nil, exitcode.AsUsage(err)
	}
	pr, _, err := c.PullRequests.Get(ctx, t.Owner, t.Repo, t.Number)
	if err != nil {
		if publish.IsForbidden(err) {
			return nil, exitcode.AsUsage(&publish.PermissionError{Op: "read the pull request", Permission: "pull-requests: read", Err: err})
		}
		return nil, fmt.Errorf("read pull request %s#%d: %w", repo, number, err)
	}
	if pr.GetHead().GetSHA() != ev.HeadSHA {
		fmt.Fprintf(o.Stderr, "prodready: pull request #%d moved on to %s; these findings are for %s, so nothing was posted (the newer run will post)\n",
			number, shortSHA(pr.GetHead().GetSHA()), shortSHA(ev.HeadSHA))
		return &Outcome{}, nil
	}
	t.BaseSHA = pr.GetBase().GetSHA()
	s, err := o.resolveFromAPI(ctx, c, t)
	if err != nil {
		return nil, err
	}
	pt, err := publish.FetchPatch(ctx, c, t)
	if err != nil {
		return nil, err
	}
	rep, dropped := Sanitize(a, t.BaseSHA, t.HeadSHA, pt)
	out := &Outcome{Findings: len(rep.Findings), AtOrAbove: rep.Count(s.FailOn), FailOn: s.FailOn, Dropped: dropped}
	if len(dropped) > 0 {
		fmt.Fprintf(o.Stderr, "prodready: dropped %d finding(s) of the artifact that failed validation (first: %s:%d, %s)\n",
			len(dropped), dropped[0].Path, dropped[0].Line, dropped[0].Reason)
	}
	if err := writeOutputs(o, rep); err != nil {
		return out, err
	}
	res, err := publisher(c, o, s).Publish(ctx, t, rep, pt)
	out.Result = res
	if err != nil {
		var pe *publish.PermissionError
		if errors.As(err, &pe) {
			return out, exitcode.AsUsage(pe)
		}
		return out, err
	}
	printNotes(o, res)
	return out, appendFile(o.Getenv("GITHUB_STEP_SUMMARY"), publish.Summary(t, rep, res, nil, "")+"\n")
}
