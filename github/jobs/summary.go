package jobs

import (
	"context"

	gh "github.com/google/go-github/v62/github"

	"github.com/prodready/prodready/github/publish"
	"github.com/prodready/prodready/review"
)

// GitHubFailures reports a failed review in the pull request's summary
// comment, through the publisher that owns that comment.
type GitHubFailures struct {
	Pipeline *Pipeline
	// Options are publish's options (its logger).
	Options publish.Options
}

// ReportFailure says in the summary comment that the review failed, and why.
func (f GitHubFailures) ReportFailure(ctx context.Context, j *Job, cause error) error {
	c, err := f.Pipeline.Client(j.Args.InstallationID)
	if err != nil {
		return err
	}
	t := publish.Target{Owner: j.Args.Owner, Repo: j.Args.Repo, Number: j.Args.Number, BaseSHA: j.Args.BaseSHA, HeadSHA: j.Args.HeadSHA}
	return publish.New(c, f.Options).PublishFailure(ctx, t, j.Attempt, cause)
}

// GitHubPublisher publishes through github/publish: one review whose
// comments carry fingerprints the pull request does not have yet, the sticky
// summary, and a check run. Re-running it after a crash posts nothing twice.
type GitHubPublisher struct {
	// Options are publish's options; the repository's config sets
	// MaxComments, RequestChanges and FailOn.
	Options publish.Options
}

// Publish posts res to t under its effective settings.
func (p GitHubPublisher) Publish(ctx context.Context, c *gh.Client, t Target, res *review.Result) error {
	opts := p.Options
	opts.MaxComments = res.Settings.MaxComments
	opts.RequestChanges = res.Settings.Config.RequestChanges
	opts.FailOn = res.Settings.FailOn
	_, err := publish.New(c, opts).Publish(ctx, publish.Target{
		Owner: t.Owner, Repo: t.Repo, Number: t.Number, BaseSHA: t.BaseSHA, HeadSHA: t.HeadSHA,
	}, res.Report, res.Patch)
	return err
}
