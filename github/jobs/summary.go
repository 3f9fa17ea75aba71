package jobs

import (
	"context"
	"fmt"
	"strings"

	gh "github.com/google/go-github/v62/github"

	"github.com/prodready/prodready/review/finding"
	"github.com/prodready/prodready/review/patch"
)

// SummaryMarker marks prodready's one summary comment on a pull request.
const SummaryMarker = "<!-- prodready:summary -->"

// reviewMarker marks the review prodready posted for one head SHA.
func reviewMarker(head string) string { return "<!-- prodready:review head=" + head + " -->" }

// maxPages bounds how many pages of comments or reviews are read (100 each).
const maxPages = 30

// UpsertSummary edits the pull request's summary comment in place, or creates
// it.
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

// BasicPublisher posts one COMMENT review per head SHA and edits the summary.
// It stands in until the full publisher (github/publish) is wired: a review
// already marked with this head is not posted again, so a job re-run after a
// crash adds nothing, and comments whose fingerprint the pull request already
// has are left out.
type BasicPublisher struct{}

// Publish posts rep to t.
func (BasicPublisher) Publish(ctx context.Context, c *gh.Client, t Target, rep *finding.Report, pt *patch.Patch) error {
	seen, posted, err := existing(ctx, c, t)
	if err != nil {
		return err
	}
	if !posted {
		var comments []*gh.DraftReviewComment
		for _, f := range rep.Findings {
			if seen[f.Fingerprint] || pt != nil && !pt.InScope(patch.FilterDiffContext, f.Path, f.Line) {
				continue
			}
			comments = append(comments, &gh.DraftReviewComment{
				Path: gh.String(f.Path), Line: gh.Int(f.Line), Side: gh.String("RIGHT"),
				Body: gh.String(fmt.Sprintf("**%s** (%s): %s\n\n<!-- prodready:fp=%s -->", f.Check, f.Question, f.Message, f.Fingerprint)),
			})
		}
		body := fmt.Sprintf("prodready reviewed %s: %d finding(s).\n\n%s", short(t.HeadSHA), len(comments), reviewMarker(t.HeadSHA))
		_, _, err := c.PullRequests.CreateReview(ctx, t.Owner, t.Repo, t.Number, &gh.PullRequestReviewRequest{
			CommitID: gh.String(t.HeadSHA), Event: gh.String("COMMENT"), Body: gh.String(body), Comments: comments,
		})
		if err != nil {
			return fmt.Errorf("create review: %w", err)
		}
	}
	summary := fmt.Sprintf("**prodready** reviewed %s against %s: %d finding(s).", short(t.HeadSHA), short(t.BaseSHA), len(rep.Findings))
	for _, n := range rep.Notes {
		summary += "\n- " + n
	}
	return UpsertSummary(ctx, c, t.Owner, t.Repo, t.Number, summary)
}

// existing returns the fingerprints already on the pull request and whether a
// review for t.HeadSHA exists.
func existing(ctx context.Context, c *gh.Client, t Target) (map[string]bool, bool, error) {
	seen := map[string]bool{}
	opts := &gh.ListOptions{PerPage: 100}
	posted := false
	for page := 0; page < maxPages; page++ {
		rs, resp, err := c.PullRequests.ListReviews(ctx, t.Owner, t.Repo, t.Number, opts)
		if err != nil {
			return nil, false, fmt.Errorf("list reviews: %w", err)
		}
		for _, r := range rs {
			if strings.Contains(r.GetBody(), reviewMarker(t.HeadSHA)) {
				posted = true
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	copts := &gh.PullRequestListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	for page := 0; page < maxPages; page++ {
		cs, resp, err := c.PullRequests.ListComments(ctx, t.Owner, t.Repo, t.Number, copts)
		if err != nil {
			return nil, false, fmt.Errorf("list review comments: %w", err)
		}
		for _, cm := range cs {
			b := cm.GetBody()
			if i := strings.Index(b, "<!-- prodready:fp="); i >= 0 {
				fp := strings.TrimSuffix(strings.TrimSpace(b[i+len("<!-- prodready:fp="):]), "-->")
				seen[strings.TrimSpace(fp)] = true
			}
		}
		if resp.NextPage == 0 {
			break
		}
		copts.Page = resp.NextPage
	}
	return seen, posted, nil
}
