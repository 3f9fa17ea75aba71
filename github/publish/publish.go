// Package publish turns a review report into what a team sees on its pull
// request: one review with inline comments, a sticky summary comment, replies
// that close threads whose finding was fixed, and a check run.
//
// It is built to be re-run: every comment body ends with a hidden fingerprint
// marker, existing comments and the summary are read first, and a fingerprint
// the pull request already has is never posted again. One bad anchor never
// loses the review: anchors are validated against the patch first, and a 422
// from GitHub is narrowed down by splitting the batch.
package publish

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/review/patch"
)

// Target names the pull request and the commits a review covers.
type Target struct {
	Owner, Repo string
	Number      int
	// BaseSHA and HeadSHA are the reviewed range; comments anchor on HeadSHA.
	BaseSHA, HeadSHA string
}

// Options tune a Publisher. The zero value follows DESIGN.md's defaults.
type Options struct {
	// MaxComments caps the inline comments of one review (default 30); the
	// rest go to the summary.
	MaxComments int
	// RequestChanges makes the review REQUEST_CHANGES when a new comment is at
	// or above FailOn. Otherwise, and always by default, the event is COMMENT.
	RequestChanges bool
	// FailOn sets the check run's conclusion: failure when a finding reaches
	// it (default error; none never fails).
	FailOn finding.Severity
	// CheckRun turns the check run off when set to CheckRunOff.
	CheckRun CheckRunMode
	// CheckRunName is the check run's name (default "prodready").
	CheckRunName string
	// GraphQLURL is the GraphQL endpoint (default: derived from the client's
	// BaseURL: api.github.com/graphql, or HOST/api/graphql on GHES).
	GraphQLURL string
	// HTTPClient sends GraphQL requests (default: the go-github client's,
	// which carries its authentication, retries and pacing).
	HTTPClient *http.Client
	// Logger receives progress (default: discard).
	Logger *slog.Logger
	// Now tells the time for check run timestamps (default time.Now).
	Now func() time.Time
	// Notice is an extra line for the top of the summary.
	Notice string
	// InlineInfo posts info findings as inline comments too. By default
	// they are not: info means "shown in the summary, not worth a comment"
	// (see checklist/CHECKS.md), so the summary lists and counts them and
	// the check run annotates them.
	InlineInfo bool
}

// CheckRunMode says whether to create a check run.
type CheckRunMode int

// Check run modes.
const (
	CheckRunAuto CheckRunMode = iota // create one when the token can
	CheckRunOff                      // never
)

// Publisher posts reviews through one API client.
type Publisher struct {
	c    *gh.Client
	opts Options
	log  *slog.Logger
}

// New returns a Publisher. client is typically built by github/client.
func New(client *gh.Client, opts Options) *Publisher {
	if opts.MaxComments <= 0 {
		opts.MaxComments = 30
	}
	if opts.FailOn == "" {
		opts.FailOn = finding.SeverityError
	}
	if opts.CheckRunName == "" {
		opts.CheckRunName = "prodready"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = client.Client()
	}
	if opts.GraphQLURL == "" {
		opts.GraphQLURL = graphQLFromBase(client.BaseURL.String())
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Publisher{c: client, opts: opts, log: log}
}

func graphQLFromBase(base string) string {
	b := strings.TrimSuffix(base, "/")
	if strings.HasSuffix(b, "/api/v3") {
		return strings.TrimSuffix(b, "/v3") + "/graphql"
	}
	return b + "/graphql"
}

// Posted is one comment this run created.
type Posted struct {
	Finding finding.Finding
	// FileLevel marks a comment on the file rather than a line.
	FileLevel bool
	ID        int64
	URL       string
}

// Rejected is a finding GitHub (or our validation) refused to anchor.
type Rejected struct {
	Finding finding.Finding
	Reason  string
}

// Fixed is a thread closed because its finding is gone.
type Fixed struct {
	Fingerprint string
	CommentID   int64
	// Resolved is false when the reply went out but the thread could not be
	// resolved; Reason says why.
	Resolved bool
	Reason   string
}

// Result says what Publish did.
type Result struct {
	// ReviewID is the review created, 0 when nothing new was posted.
	ReviewID int64
	// Event is the review's event: COMMENT or REQUEST_CHANGES.
	Event string
	// Posted are the comments created this run, inline and file-level.
	Posted []Posted
	// AlreadyPosted counts findings whose fingerprint the pull request had.
	AlreadyPosted int
	// InSummary are findings listed only in the summary: over MaxComments,
	// or in no file of the diff.
	InSummary []finding.Finding
	// Rejected are findings GitHub answered 422 for.
	Rejected []Rejected
	// Fixed are threads answered "Fixed in"; LeftForHuman counts threads with
	// a human reply, left alone.
	Fixed        []Fixed
	LeftForHuman int
	// SummaryID and SummaryURL name the sticky summary; SummaryCreated is
	// true when this run created it rather than edited it.
	SummaryID      int64
	SummaryURL     string
	SummaryCreated bool
	// CheckRunID is the check run created, or 0 with CheckRunSkipped saying why.
	CheckRunID      int64
	CheckRunSkipped string
	// Notes are one-line remarks for the log.
	Notes []string
}

// PermissionError says GitHub refused an operation for want of a permission.
type PermissionError struct {
	// Op is what was refused ("create the review").
	Op string
	// Permission is the missing permission, as a workflow's permissions block
	// names it ("pull-requests: write").
	Permission string
	Err        error
}

// Error names the refused operation and the missing permission on one line.
func (e *PermissionError) Error() string {
	return fmt.Sprintf("GitHub refused to %s: the token lacks `%s`; grant it in the workflow's `permissions:` block (or the GitHub App's settings)",
		e.Op, e.Permission)
}

// Unwrap returns GitHub's answer.
func (e *PermissionError) Unwrap() error { return e.Err }

// IsForbidden reports whether err is GitHub's 403 for a token lacking access
// (not a rate limit).
func IsForbidden(err error) bool {
	var pe *PermissionError
	if errors.As(err, &pe) {
		return true
	}
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusForbidden {
		return !strings.Contains(strings.ToLower(er.Message), "rate limit")
	}
	return false
}

func status(err error) int {
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

// apiMessage is GitHub's explanation in an error response.
func apiMessage(err error) string {
	var er *gh.ErrorResponse
	if !errors.As(err, &er) {
		return err.Error()
	}
	var parts []string
	for _, e := range er.Errors {
		if e.Message != "" {
			parts = append(parts, e.Message)
		}
	}
	if len(parts) == 0 {
		return er.Message
	}
	return strings.Join(parts, "; ")
}

// existing is what the pull request already holds.
type existing struct {
	// byFP maps a fingerprint to prodready's top-level comment carrying it.
	byFP map[string]*gh.PullRequestComment
	// replies maps a top-level comment ID to what its replies say.
	replies map[int64]replyState
	// listed are fingerprints the summary listed without an inline comment.
	listed  map[string]bool
	summary *gh.IssueComment
}

// replyState is what closeFixed needs to know of a thread's replies; the
// bodies themselves are not kept, so memory stays small on long threads.
type replyState struct {
	// human: a reply that is neither a finding nor prodready's "Fixed in".
	human bool
	// fixed: prodready already answered "Fixed in".
	fixed bool
}

// Publish posts rep for t. pt is the pull request's parsed diff (base...head);
// when nil it is fetched from the API.
func (p *Publisher) Publish(ctx context.Context, t Target, rep *finding.Report, pt *patch.Patch) (*Result, error) {
	if t.Owner == "" || t.Repo == "" || t.Number <= 0 || t.HeadSHA == "" {
		return nil, fmt.Errorf("publish: incomplete target %s/%s#%d at %q: owner, repo, number and head SHA are required", t.Owner, t.Repo, t.Number, t.HeadSHA)
	}
	if rep == nil {
		return nil, errors.New("publish: no report")
	}
	if pt == nil {
		var err error
		if pt, err = FetchPatch(ctx, p.c, t); err != nil {
			return nil, err
		}
	}
	res := &Result{Event: "COMMENT"}
	ex, err := p.readExisting(ctx, t)
	if err != nil {
		return nil, err
	}

	// Plan: new findings only, deduplicated, in report order.
	current := map[string]bool{}
	var fresh []finding.Finding
	for _, f := range rep.Findings {
		if f.Fingerprint == "" {
			f.SetFingerprint()
		}
		if current[f.Fingerprint] {
			continue
		}
		current[f.Fingerprint] = true
		if _, ok := ex.byFP[f.Fingerprint]; ok {
			res.AlreadyPosted++
			continue
		}
		if ex.listed[f.Fingerprint] {
			res.InSummary = append(res.InSummary, f)
			continue
		}
		fresh = append(fresh, f)
	}
	// The inline budget goes to the most severe findings first.
	sort.SliceStable(fresh, func(i, j int) bool { return fresh[i].Severity.Rank() > fresh[j].Severity.Rank() })
	var lines, files []draft
	budget := p.opts.MaxComments
	for _, f := range fresh {
		if f.Severity == finding.SeverityInfo && !p.opts.InlineInfo {
			res.InSummary = append(res.InSummary, f)
			continue
		}
		d, ok := anchor(pt, f)
		if !ok || budget <= 0 {
			res.InSummary = append(res.InSummary, f)
			continue
		}
		budget--
		if d.fileLevel {
			files = append(files, d)
		} else {
			lines = append(lines, d)
		}
	}
	if p.opts.RequestChanges {
		threshold := p.opts.FailOn
		if threshold == finding.SeverityNone {
			threshold = finding.SeverityError
		}
		for _, d := range lines {
			if d.f.Severity.AtOrAbove(threshold) {
				res.Event = "REQUEST_CHANGES"
			}
		}
	}

	if err := p.postLines(ctx, t, lines, len(lines)+len(files), res); err != nil {
		return res, err
	}
	if err := p.postFiles(ctx, t, files, res); err != nil {
		return res, err
	}
	p.closeFixed(ctx, t, rep, ex, current, res)

	if err := p.upsertSummary(ctx, t, rep, pt, ex, res); err != nil {
		return res, err
	}
	p.checkRun(ctx, t, rep, res)
	return res, nil
}

// readExisting lists review comments and issue comments, 100 a page.
func (p *Publisher) readExisting(ctx context.Context, t Target) (*existing, error) {
	ex := &existing{byFP: map[string]*gh.PullRequestComment{}, replies: map[int64]replyState{}, listed: map[string]bool{}}
	err := eachReviewComment(ctx, p.c, t, func(c *gh.PullRequestComment) {
		body := c.GetBody()
		if c.InReplyTo != nil {
			st := ex.replies[c.GetInReplyTo()]
			switch {
			case strings.Contains(body, fixedMarker):
				st.fixed = true
			case FingerprintOf(body) == "":
				st.human = true
			}
			ex.replies[c.GetInReplyTo()] = st
			return
		}
		if fp := FingerprintOf(body); fp != "" {
			if _, dup := ex.byFP[fp]; !dup {
				ex.byFP[fp] = c
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if err := p.readSummary(ctx, t, ex); err != nil {
		return nil, err
	}
	return ex, nil
}

// readSummary finds the summary comment (see IsSummary) and the
// fingerprints it listed.
func (p *Publisher) readSummary(ctx context.Context, t Target, ex *existing) error {
	ex.listed = map[string]bool{}
	opt := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	for page := 0; page < maxPages; page++ {
		cs, resp, err := p.c.Issues.ListComments(ctx, t.Owner, t.Repo, t.Number, opt)
		if err != nil {
			if IsForbidden(err) {
				return &PermissionError{Op: "read the pull request's comments", Permission: "pull-requests: read", Err: err}
			}
			return fmt.Errorf("list issue comments of %s/%s#%d: %w", t.Owner, t.Repo, t.Number, err)
		}
		for _, c := range cs {
			if ex.summary == nil && IsSummary(c.GetBody()) {
				ex.summary = c
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	if ex.summary != nil {
		// The real list is the summary's last line; take the last match.
		if ms := listedRE.FindAllStringSubmatch(ex.summary.GetBody(), -1); len(ms) > 0 {
			for _, fp := range strings.Split(ms[len(ms)-1][1], ",") {
				if ValidFingerprint(fp) {
					ex.listed[fp] = true
				}
			}
		}
	}
	return nil
}

// maxPages bounds any listing (100 a page): 30,000 comments is far beyond
// any pull request GitHub will render.
const maxPages = 300

// eachReviewComment calls fn for every review comment of the pull request,
// a page of 100 at a time, keeping no page longer than needed.
func eachReviewComment(ctx context.Context, c *gh.Client, t Target, fn func(*gh.PullRequestComment)) error {
	opt := &gh.PullRequestListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	for page := 0; page < maxPages; page++ {
		cs, resp, err := c.PullRequests.ListComments(ctx, t.Owner, t.Repo, t.Number, opt)
		if err != nil {
			if IsForbidden(err) {
				return &PermissionError{Op: "read the pull request's review comments", Permission: "pull-requests: read", Err: err}
			}
			return fmt.Errorf("list review comments of %s/%s#%d: %w", t.Owner, t.Repo, t.Number, err)
		}
		for _, cm := range cs {
			fn(cm)
		}
		if resp.NextPage == 0 {
			return nil
		}
		opt.Page = resp.NextPage
	}
	return nil
}

// FetchPatch fetches and parses the pull request's diff from the API.
func FetchPatch(ctx context.Context, c *gh.Client, t Target) (*patch.Patch, error) {
	diff, _, err := c.PullRequests.GetRaw(ctx, t.Owner, t.Repo, t.Number, gh.RawOptions{Type: gh.Diff})
	if err != nil {
		if IsForbidden(err) {
			return nil, &PermissionError{Op: "read the pull request's diff", Permission: "pull-requests: read", Err: err}
		}
		return nil, fmt.Errorf("fetch the diff of %s/%s#%d: %w", t.Owner, t.Repo, t.Number, err)
	}
	pt, err := patch.Parse(strings.NewReader(diff))
	if err != nil {
		return nil, fmt.Errorf("diff of %s/%s#%d: %w", t.Owner, t.Repo, t.Number, err)
	}
	return pt, nil
}

// draft is one planned comment.
type draft struct {
	f         finding.Finding
	fileLevel bool
	line      int
	startLine int // 0 for a single line
	body      string
}

// anchor decides where f goes: a line (or range) inside a hunk, the file when
// the file changed but the line is outside every hunk, or nowhere (false).
func anchor(pt *patch.Patch, f finding.Finding) (draft, bool) {
	file := pt.File(f.Path)
	if file == nil || file.IsDelete || file.IsBinary || f.Line <= 0 {
		return draft{}, false
	}
	end := f.EndLine
	if end < f.Line {
		end = f.Line
	}
	if !file.InHunk(f.Line) {
		note := fmt.Sprintf("On line %d (outside the changed hunks).", f.Line)
		return draft{f: f, fileLevel: true, body: commentBody(f, false, note)}, true
	}
	d := draft{f: f, line: f.Line}
	if end > f.Line && file.InHunk(end) && file.HunkIndex(end) == file.HunkIndex(f.Line) {
		d.startLine, d.line = f.Line, end
	}
	// A suggestion replaces exactly the anchored lines, so it is offered only
	// when the anchor spans the finding's whole range.
	exact := d.line == end && (d.startLine == f.Line || (d.startLine == 0 && end == f.Line))
	d.body = commentBody(f, exact, "")
	return d, true
}

func (d draft) toReview() *gh.DraftReviewComment {
	c := &gh.DraftReviewComment{Path: gh.String(d.f.Path), Body: gh.String(d.body), Line: gh.Int(d.line), Side: gh.String("RIGHT")}
	if d.startLine > 0 {
		c.StartLine, c.StartSide = gh.Int(d.startLine), gh.String("RIGHT")
	}
	return c
}

// postLines posts the line comments as one review. On 422 it finds the
// offending comments by splitting the batch over pending (invisible) reviews,
// then posts the rest.
func (p *Publisher) postLines(ctx context.Context, t Target, lines []draft, total int, res *Result) error {
	good := lines
	cleared := false
	for attempt := 0; attempt < 2 && len(good) > 0; attempt++ {
		rv, err := p.createReview(ctx, t, good, res.Event, reviewBody(total, res.Event))
		if err == nil {
			res.ReviewID = rv.GetID()
			for _, d := range good {
				res.Posted = append(res.Posted, Posted{Finding: d.f})
			}
			return nil
		}
		if IsForbidden(err) {
			return &PermissionError{Op: "create the review", Permission: "pull-requests: write", Err: err}
		}
		if status(err) != http.StatusUnprocessableEntity {
			return fmt.Errorf("create the review on %s/%s#%d: %w", t.Owner, t.Repo, t.Number, err)
		}
		if strings.Contains(strings.ToLower(apiMessage(err)), "pending review") && !cleared {
			// A pending review left by a crashed run blocks ours: remove it, retry.
			cleared = true
			if err := p.deletePending(ctx, t); err != nil {
				return err
			}
			attempt--
			continue
		}
		p.log.Warn("review refused; finding the offending comments", "error", apiMessage(err), "comments", len(good))
		var bad []Rejected
		if len(good) == 1 {
			good, bad = nil, []Rejected{{Finding: good[0].f, Reason: apiMessage(err)}}
		} else if good, bad, err = p.bisect(ctx, t, good, apiMessage(err)); err != nil {
			return err
		}
		res.Rejected = append(res.Rejected, bad...)
	}
	// Refused again after bisecting: what is left cannot be posted; say so.
	for _, d := range good {
		res.Rejected = append(res.Rejected, Rejected{Finding: d.f, Reason: "GitHub refused the review twice"})
	}
	return nil
}

func reviewBody(n int, event string) string {
	s := fmt.Sprintf("prodready: %d new finding(s). The summary comment has the three-question table.", n)
	if event == "REQUEST_CHANGES" {
		s += " Changes are requested because a finding reaches the configured threshold."
	}
	return s
}

func (p *Publisher) createReview(ctx context.Context, t Target, ds []draft, event, body string) (*gh.PullRequestReview, error) {
	req := &gh.PullRequestReviewRequest{CommitID: gh.String(t.HeadSHA), Body: gh.String(body), Event: gh.String(event)}
	for _, d := range ds {
		req.Comments = append(req.Comments, d.toReview())
	}
	rv, _, err := p.c.PullRequests.CreateReview(ctx, t.Owner, t.Repo, t.Number, req)
	return rv, err
}

// probe tries ds as a pending review (visible to nobody) and deletes it. It
// returns GitHub's 422 message, "" when the batch is acceptable.
func (p *Publisher) probe(ctx context.Context, t Target, ds []draft) (string, error) {
	req := &gh.PullRequestReviewRequest{CommitID: gh.String(t.HeadSHA)}
	for _, d := range ds {
		req.Comments = append(req.Comments, d.toReview())
	}
	for try := 0; try < 2; try++ {
		rv, _, err := p.c.PullRequests.CreateReview(ctx, t.Owner, t.Repo, t.Number, req)
		if err == nil {
			if _, _, err := p.c.PullRequests.DeletePendingReview(ctx, t.Owner, t.Repo, t.Number, rv.GetID()); err != nil {
				return "", fmt.Errorf("delete probe review %d: %w", rv.GetID(), err)
			}
			return "", nil
		}
		if status(err) != http.StatusUnprocessableEntity {
			return "", fmt.Errorf("probe review comments: %w", err)
		}
		msg := apiMessage(err)
		if try == 0 && strings.Contains(strings.ToLower(msg), "pending review") {
			// A probe left over by a crashed run: remove it and try again.
			if err := p.deletePending(ctx, t); err != nil {
				return "", err
			}
			continue
		}
		return msg, nil
	}
	return "", errors.New("probe review comments: a pending review stays in the way")
}

func (p *Publisher) deletePending(ctx context.Context, t Target) error {
	rvs, _, err := p.c.PullRequests.ListReviews(ctx, t.Owner, t.Repo, t.Number, &gh.ListOptions{PerPage: 100})
	if err != nil {
		return fmt.Errorf("list reviews: %w", err)
	}
	for _, rv := range rvs {
		if rv.GetState() == "PENDING" {
			if _, _, err := p.c.PullRequests.DeletePendingReview(ctx, t.Owner, t.Repo, t.Number, rv.GetID()); err != nil {
				return fmt.Errorf("delete stale pending review %d: %w", rv.GetID(), err)
			}
		}
	}
	return nil
}

// bisect splits ds, which GitHub refused with msg, until each refused comment
// stands alone. Refusals are per comment, so when the first half of a
// refused batch passes, the second half is known to be refused and is split
// without probing it: one bad comment among n costs about log2(n) probes.
func (p *Publisher) bisect(ctx context.Context, t Target, ds []draft, msg string) (good []draft, bad []Rejected, err error) {
	if len(ds) == 1 {
		return nil, []Rejected{{Finding: ds[0].f, Reason: msg}}, nil
	}
	mid := len(ds) / 2
	first, second := ds[:mid], ds[mid:]
	m, err := p.probe(ctx, t, first)
	if err != nil {
		return nil, nil, err
	}
	if m == "" {
		g, b, err := p.bisect(ctx, t, second, msg)
		return append(append([]draft(nil), first...), g...), b, err
	}
	g1, b1, err := p.bisect(ctx, t, first, m)
	if err != nil {
		return nil, nil, err
	}
	m2, err := p.probe(ctx, t, second)
	if err != nil {
		return nil, nil, err
	}
	if m2 == "" {
		return append(g1, second...), b1, nil
	}
	g2, b2, err := p.bisect(ctx, t, second, m2)
	if err != nil {
		return nil, nil, err
	}
	return append(g1, g2...), append(b1, b2...), nil
}

// postFiles posts file-level comments one by one (the review endpoint takes
// no subject_type).
func (p *Publisher) postFiles(ctx context.Context, t Target, files []draft, res *Result) error {
	for _, d := range files {
		c, _, err := p.c.PullRequests.CreateComment(ctx, t.Owner, t.Repo, t.Number, &gh.PullRequestComment{
			Body: gh.String(d.body), Path: gh.String(d.f.Path), CommitID: gh.String(t.HeadSHA), SubjectType: gh.String("file"),
		})
		switch {
		case err == nil:
			res.Posted = append(res.Posted, Posted{Finding: d.f, FileLevel: true, ID: c.GetID(), URL: c.GetHTMLURL()})
		case IsForbidden(err):
			return &PermissionError{Op: "create a review comment", Permission: "pull-requests: write", Err: err}
		case status(err) == http.StatusUnprocessableEntity:
			res.Rejected = append(res.Rejected, Rejected{Finding: d.f, Reason: apiMessage(err)})
		default:
			return fmt.Errorf("create a file comment on %s: %w", d.f.Path, err)
		}
	}
	return nil
}

// closeFixed replies "Fixed in <sha>" to prodready's comments whose finding is
// gone and resolves their threads. Left alone are: a thread with a human
// reply; a comment on a path this run did not read (skipped) or read only
// partly (a partial load, where checks needing types did not run); and an
// LLM comment when this run had no LLM answer for it (no LLM, or its unit
// was not asked). A note about a path is not a skip: a checklist comment on
// a file whose units the LLM was not asked about is still closed when fixed.
func (p *Publisher) closeFixed(ctx context.Context, t Target, rep *finding.Report, ex *existing, current map[string]bool, res *Result) {
	llmRan := rep.LLM.Model != "" && rep.LLM.Model != "off" && rep.LLM.Unavailable == ""
	skipped := map[string]bool{}
	for _, s := range rep.Skipped {
		if s.Path != "" {
			skipped[s.Path] = true
		}
	}
	notAsked := map[string]bool{}
	for _, n := range rep.Notes {
		switch {
		case n.Path == "":
		case n.Kind == finding.NotePartialLoad:
			skipped[n.Path] = true
		case n.Kind == finding.NoteNotAsked:
			notAsked[n.Path] = true
		}
	}
	var gone []*gh.PullRequestComment
	fps := make([]string, 0, len(ex.byFP))
	for fp := range ex.byFP {
		fps = append(fps, fp)
	}
	sort.Strings(fps)
	for _, fp := range fps {
		c := ex.byFP[fp]
		if current[fp] || skipped[c.GetPath()] || skippedDir(skipped, c.GetPath()) {
			continue
		}
		made := c.GetOriginalCommitID()
		if made == "" {
			made = c.GetCommitID()
		}
		if made == t.HeadSHA {
			// Gone without a new commit (a check switched off, say): that is
			// no fix, so the thread stays as it is.
			continue
		}
		if strings.Contains(c.GetBody(), llmMarker) && (!llmRan || notAsked[c.GetPath()]) {
			continue
		}
		st := ex.replies[c.GetID()]
		human, done := st.human, st.fixed
		if human {
			res.LeftForHuman++
			continue
		}
		if done {
			continue
		}
		gone = append(gone, c)
	}
	if len(gone) == 0 {
		return
	}
	threads, err := p.threads(ctx, t)
	if err != nil {
		res.Notes = append(res.Notes, "could not read review threads, fixed comments stay open: "+err.Error())
		p.log.Warn("review threads unavailable", "error", err)
	}
	for _, c := range gone {
		th, known := threads[c.GetID()]
		if known && th.resolved {
			continue
		}
		if known && th.human {
			res.LeftForHuman++
			continue
		}
		fx := Fixed{Fingerprint: FingerprintOf(c.GetBody()), CommentID: c.GetID()}
		if _, _, err := p.c.PullRequests.CreateCommentInReplyTo(ctx, t.Owner, t.Repo, t.Number, fixedBody(t.HeadSHA), c.GetID()); err != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("could not reply to fixed comment %d: %v", c.GetID(), err))
			continue
		}
		switch {
		case !known:
			fx.Reason = "thread not found over GraphQL"
		default:
			//prodready:ignore query-in-loop each fixed comment already costs a REST reply, which has no batch form; the loop is bounded by the comments one push fixes
			if err := p.resolve(ctx, th.id); err != nil {
				fx.Reason = err.Error()
			} else {
				fx.Resolved = true
			}
		}
		if fx.Reason != "" {
			res.Notes = append(res.Notes, fmt.Sprintf("replied to fixed comment %d but could not resolve its thread: %s", c.GetID(), fx.Reason))
		}
		res.Fixed = append(res.Fixed, fx)
	}
}

func skippedDir(skipped map[string]bool, path string) bool {
	for p := range skipped {
		if strings.HasPrefix(path, strings.TrimSuffix(p, "/")+"/") {
			return true
		}
	}
	return false
}
