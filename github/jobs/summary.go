package jobs

import (
	"context"
	"fmt"
	"strings"

	gh "github.com/google/go-github/v62/github"

	"github.com/prodready/prodready/github/publish"
	"github.com/prodready/prodready/review"
)

// SummaryMarker marks prodready's one summary comment on a pull request.
const SummaryMarker = publish.SummaryMarker

// maxPages bounds how many pages of comments or reviews are read (100 each).
const maxPages = 30

// UpsertSummary edits the pull request's summary comment in place, or creates
// it. The publisher finds and edits the same comment on the next success.
func UpsertSummary(ctx context.Context, c *gh.Client, owner, repo string, number int, body string) error {
	body = strings.TrimSpace(body) + "\n\n" + SummaryMarker
	opts := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	for page := 0; page < maxPages; page++ {
		cs, resp, err := c.Issues.ListComments(ctx, owner, repo, number, opts)
		if err != nil {
			return fmt.Errorf("list comments: %w", err)
		}
		for _, cm := range cs {
			if strings.Contains(cm.GetBody(), SummaryMarker) {
				if _, _, err := c.Issues.EditComment(ctx, owner, repo, cm.GetID(), &gh.IssueComment{Body: gh.String(body)}); err != nil {
					return fmt.Errorf("edit summary: %w", err)
				}
				return nil
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	if _, _, err := c.Issues.CreateComment(ctx, owner, repo, number, &gh.IssueComment{Body: gh.String(body)}); err != nil {
		return fmt.Errorf("create summary: %w", err)
	}
	return nil
}

// GitHubFailures reports a failed review in the pull request's summary.
type GitHubFailures struct {
	Pipeline *Pipeline
}

// ReportFailure says in the summary comment that the review failed, and why.
func (f GitHubFailures) ReportFailure(ctx context.Context, j *Job, cause error) error {
	c, err := f.Pipeline.Client(j.Args.InstallationID)
	if err != nil {
		return err
	}
	msg := cause.Error()
	if len(msg) > 1000 {
		msg = msg[:1000] + "…"
	}
	body := fmt.Sprintf("**prodready: the review of %s failed** after %d attempt(s).\n\nCause: `%s`\n\nComment `/prodready review` to try again.",
		short(j.Args.HeadSHA), j.Attempt, strings.ReplaceAll(msg, "`", "'"))
	return UpsertSummary(ctx, c, j.Args.Owner, j.Args.Repo, j.Args.Number, body)
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
