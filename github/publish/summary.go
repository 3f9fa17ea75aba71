package publish

import (
	"context"
	"fmt"
	"sort"
	"strings"

	gh "github.com/google/go-github/v62/github"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/review/patch"
)

// IsSummary is the one rule that tells prodready's summary comment from any
// other: its body starts with SummaryMarker. A body that ends with it is
// also taken, as failure summaries before this rule wrote it, so that the
// next review edits that comment instead of adding a second one.
func IsSummary(body string) bool {
	b := strings.TrimSpace(body)
	return strings.HasPrefix(b, SummaryMarker) || strings.HasSuffix(b, SummaryMarker)
}

// FailureSummary renders the summary that says the review of head failed
// after attempts attempts, and why. It carries SummaryMarker as the success
// summary does, so the next review edits it in place.
func FailureSummary(head string, attempts int, cause string) string {
	cause = capText(strings.Join(strings.Fields(cause), " "), 1000)
	if len(head) > 12 {
		head = head[:12]
	}
	return fmt.Sprintf("%s\n## prodready review\n\n**The review of %s failed** after %d attempt(s).\n\nCause: `%s`\n\nComment `/prodready review` to try again.\n",
		SummaryMarker, head, attempts, DefuseMentions(strings.ReplaceAll(cause, "`", "'")))
}

// PublishFailure says in the pull request's summary comment that its review
// failed, editing that comment in place or creating it. The fingerprints the
// last summary listed stay listed, so the next review does not post them
// inline.
func (p *Publisher) PublishFailure(ctx context.Context, t Target, attempts int, cause error) error {
	if t.Owner == "" || t.Repo == "" || t.Number <= 0 {
		return fmt.Errorf("publish: incomplete target %s/%s#%d", t.Owner, t.Repo, t.Number)
	}
	ex := &existing{}
	if err := p.readSummary(ctx, t, ex); err != nil {
		return err
	}
	body := FailureSummary(t.HeadSHA, attempts, cause.Error())
	if ex.summary != nil {
		if ms := listedRE.FindAllString(ex.summary.GetBody(), -1); len(ms) > 0 {
			body += ms[len(ms)-1]
		}
	}
	return p.writeSummary(ctx, t, ex, body, &Result{})
}

// upsertSummary writes the sticky summary: created once, edited in place.
func (p *Publisher) upsertSummary(ctx context.Context, t Target, rep *finding.Report, pt *patch.Patch, ex *existing, res *Result) error {
	links := map[string]string{}
	for fp, c := range ex.byFP {
		links[fp] = c.GetHTMLURL()
	}
	if res.ReviewID != 0 {
		// The review's answer carries no comment URLs; read them back.
		err := p.eachCommentOfReview(ctx, t, res.ReviewID, func(c *gh.PullRequestComment) {
			fp := FingerprintOf(c.GetBody())
			if fp == "" {
				return
			}
			links[fp] = c.GetHTMLURL()
			for i := range res.Posted {
				if res.Posted[i].Finding.Fingerprint == fp && res.Posted[i].ID == 0 {
					res.Posted[i].ID, res.Posted[i].URL = c.GetID(), c.GetHTMLURL()
				}
			}
		})
		if err != nil {
			res.Notes = append(res.Notes, "could not read back the new comments for links: "+err.Error())
		}
	}
	for _, po := range res.Posted {
		if po.URL != "" {
			links[po.Finding.Fingerprint] = po.URL
		}
	}
	return p.writeSummary(ctx, t, ex, Summary(t, rep, res, links, p.opts.Notice), res)
}

// writeSummary edits ex.summary to body, or creates the summary comment.
func (p *Publisher) writeSummary(ctx context.Context, t Target, ex *existing, body string, res *Result) error {
	if ex.summary != nil {
		res.SummaryID, res.SummaryURL = ex.summary.GetID(), ex.summary.GetHTMLURL()
		if ex.summary.GetBody() == body {
			return nil
		}
		_, _, err := p.c.Issues.EditComment(ctx, t.Owner, t.Repo, ex.summary.GetID(), &gh.IssueComment{Body: gh.String(body)})
		if err != nil {
			if IsForbidden(err) {
				return &PermissionError{Op: "edit the summary comment", Permission: "pull-requests: write", Err: err}
			}
			return fmt.Errorf("edit the summary comment: %w", err)
		}
		return nil
	}
	c, _, err := p.c.Issues.CreateComment(ctx, t.Owner, t.Repo, t.Number, &gh.IssueComment{Body: gh.String(body)})
	if err != nil {
		if IsForbidden(err) {
			return &PermissionError{Op: "post the summary comment", Permission: "pull-requests: write", Err: err}
		}
		return fmt.Errorf("post the summary comment: %w", err)
	}
	res.SummaryID, res.SummaryURL, res.SummaryCreated = c.GetID(), c.GetHTMLURL(), true
	return nil
}

// eachCommentOfReview calls fn for each comment of one review, 100 a page.
func (p *Publisher) eachCommentOfReview(ctx context.Context, t Target, reviewID int64, fn func(*gh.PullRequestComment)) error {
	opt := &gh.ListOptions{PerPage: 100}
	for page := 0; page < maxPages; page++ {
		cs, resp, err := p.c.PullRequests.ListReviewComments(ctx, t.Owner, t.Repo, t.Number, reviewID, opt)
		if err != nil {
			return fmt.Errorf("list the comments of review %d: %w", reviewID, err)
		}
		for _, c := range cs {
			fn(c)
		}
		if resp.NextPage == 0 {
			return nil
		}
		opt.Page = resp.NextPage
	}
	return nil
}

// funcKey names a changed function for the table.
type funcKey struct{ path, function string }

// Summary renders the sticky summary's body. It is exported for the Action's
// step summary and the fork fallback, which show the same text; links maps
// fingerprints to comment URLs and may be empty.
func Summary(t Target, rep *finding.Report, res *Result, links map[string]string, notice string) string {
	var b strings.Builder
	b.WriteString(SummaryMarker + "\n## prodready review\n\n")
	if notice != "" {
		b.WriteString("> " + DefuseMentions(notice) + "\n\n")
	}
	fmt.Fprintf(&b, "%d finding(s): %d posted this run", len(rep.Findings), len(res.Posted))
	if res.AlreadyPosted > 0 {
		fmt.Fprintf(&b, ", %d already on the pull request", res.AlreadyPosted)
	}
	if len(res.Fixed) > 0 {
		fmt.Fprintf(&b, ", %d fixed since the last review", len(res.Fixed))
	}
	b.WriteString(".\n\n")

	// The three-question table, one row per changed function.
	cells := map[funcKey]map[finding.Question]string{}
	reasons := map[funcKey]map[finding.Question]string{} // the model's, for a risk with no comment
	var keys []funcKey
	row := func(k funcKey) map[finding.Question]string {
		if cells[k] == nil {
			cells[k] = map[finding.Question]string{}
			keys = append(keys, k)
		}
		return cells[k]
	}
	for _, v := range rep.LLM.Verdicts {
		if v.Function == "" || !v.Question.Valid() {
			continue
		}
		r := row(funcKey{v.Path, v.Function})
		verdict := v.Verdict
		switch verdict {
		case "risk", "ok", "unclear", "n/a":
		default:
			verdict = "n/a"
		}
		if r[v.Question] != "risk" {
			r[v.Question] = verdict
			if verdict == "risk" && v.Reason != "" {
				k := funcKey{v.Path, v.Function}
				if reasons[k] == nil {
					reasons[k] = map[finding.Question]string{}
				}
				reasons[k][v.Question] = v.Reason
			}
		}
	}
	risky := map[funcKey]map[finding.Question][]string{}
	for i, f := range rep.Findings {
		fn := f.Function
		if fn == "" {
			fn = "(file level)"
		}
		k := funcKey{f.Path, fn}
		row(k)[f.Question] = "risk"
		if risky[k] == nil {
			risky[k] = map[finding.Question][]string{}
		}
		label := fmt.Sprintf("%d", i+1)
		if u := links[f.Fingerprint]; u != "" {
			label = fmt.Sprintf("[%d](%s)", i+1, u)
		}
		risky[k][f.Question] = append(risky[k][f.Question], label)
	}
	if len(keys) > 0 {
		sort.SliceStable(keys, func(i, j int) bool {
			if keys[i].path != keys[j].path {
				return keys[i].path < keys[j].path
			}
			return keys[i].function < keys[j].function
		})
		b.WriteString("| changed function | runs twice? | fails halfway? | under load? |\n|---|---|---|---|\n")
		for _, k := range keys {
			fmt.Fprintf(&b, "| `%s` in `%s` |", mdCell(k.function), mdCell(k.path))
			for _, q := range finding.Questions() {
				v := cells[k][q]
				switch v {
				case "risk":
					// A finding's comment links here; a model's risk with
					// nothing posted says why in words.
					v = "⚠️ risk"
					if ls := risky[k][q]; len(ls) > 0 {
						v += " " + strings.Join(ls, " ")
					} else if why := reasons[k][q]; why != "" {
						v += ": " + mdCell(oneLine(capText(why, 160)))
					}
				case "ok":
					// The model's "ok" is unverified: it says nothing was
					// found, not that the code is safe.
					v = "no finding"
				case "unclear":
					v = "❔ unclear"
				default:
					v = "n/a"
				}
				fmt.Fprintf(&b, " %s |", v)
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}

	// Counts by question and severity.
	if len(rep.Findings) > 0 {
		counts := map[finding.Question]map[finding.Severity]int{}
		for _, f := range rep.Findings {
			if counts[f.Question] == nil {
				counts[f.Question] = map[finding.Severity]int{}
			}
			counts[f.Question][f.Severity]++
		}
		b.WriteString("| question | error | warning | info |\n|---|---|---|---|\n")
		for _, q := range finding.Questions() {
			c := counts[q]
			fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", q, c[finding.SeverityError], c[finding.SeverityWarning], c[finding.SeverityInfo])
		}
		b.WriteString("\n")
	}

	var listed []string
	if len(res.InSummary) > 0 {
		b.WriteString("<details><summary>Findings listed here only (info, over the inline comment limit, or outside the diff)</summary>\n\n")
		for _, f := range res.InSummary {
			fmt.Fprintf(&b, "- `%s:%d` %s `%s` %s\n", mdCell(f.Path), f.Line, f.Severity, mdCell(f.Check), oneLine(f.Message))
			listed = append(listed, f.Fingerprint)
		}
		b.WriteString("\n</details>\n\n")
	}
	if len(res.Rejected) > 0 {
		b.WriteString("**GitHub refused these comments**; they are listed here instead:\n\n")
		for _, r := range res.Rejected {
			fmt.Fprintf(&b, "- `%s:%d` %s `%s` %s — _%s_\n", mdCell(r.Finding.Path), r.Finding.Line, r.Finding.Severity, mdCell(r.Finding.Check), oneLine(r.Finding.Message), oneLine(r.Reason))
			listed = append(listed, r.Finding.Fingerprint)
		}
		b.WriteString("\n")
	}
	if len(rep.Skipped) > 0 || len(rep.Notes) > 0 {
		b.WriteString("<details><summary>Skipped or not asked</summary>\n\n")
		seen := map[string]bool{}
		for _, s := range rep.SkippedAndNotes() {
			line := fmt.Sprintf("- `%s`: %s\n", mdCell(orReview(s.Path)), oneLine(s.Reason))
			if !seen[line] {
				seen[line] = true
				b.WriteString(line)
			}
		}
		b.WriteString("\n</details>\n\n")
	}
	switch {
	case rep.LLM.Unavailable != "":
		fmt.Fprintf(&b, "LLM: unavailable (%s); this review holds the deterministic findings only.\n", oneLine(rep.LLM.Unavailable))
	case rep.LLM.Model == "" || rep.LLM.Model == "off":
		b.WriteString("LLM: not used; this review holds the deterministic findings only.\n")
	default:
		fmt.Fprintf(&b, "LLM: `%s`, %d call(s), %d cached, %d tokens in, %d out", mdCell(rep.LLM.Model), rep.Stats.LLMCalls, rep.LLM.CachedHits, rep.Stats.LLMTokensIn, rep.Stats.LLMTokensOut)
		if rep.LLM.CostUSD > 0 {
			fmt.Fprintf(&b, ", about $%.4f", rep.LLM.CostUSD)
		}
		if rep.Stats.DroppedUngrounded > 0 {
			fmt.Fprintf(&b, ", %d model comment(s) or part(s) not posted%s", rep.Stats.DroppedUngrounded, dropReasons(rep.Stats.DroppedByReason))
		}
		b.WriteString(".\n")
	}
	fmt.Fprintf(&b, "\nReviewed up to %s.\n", t.HeadSHA)
	out := b.String()
	tail := "<!-- prodready:listed=" + strings.Join(listed, ",") + " -->"
	if len(out)+len(tail) > maxSummary {
		out = capText(out, maxSummary-len(tail)-200) + "\n\n(summary cut to fit GitHub's limit)\n"
	}
	return out + tail
}

// dropReasons renders drop counts by reason, most frequent first:
// " (3 off-diff, 1 comment-line)", or "" when there are none.
func dropReasons(by map[string]int) string {
	if len(by) == 0 {
		return ""
	}
	kinds := make([]string, 0, len(by))
	for k := range by {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool {
		if by[kinds[i]] != by[kinds[j]] {
			return by[kinds[i]] > by[kinds[j]]
		}
		return kinds[i] < kinds[j]
	})
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%d %s", by[k], mdCell(k))
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func orReview(p string) string {
	if p == "" {
		return "(review)"
	}
	return p
}

// mdCell makes s safe inside a table cell or inline code.
func mdCell(s string) string {
	s = strings.NewReplacer("|", "\\|", "`", "'", "\n", " ", "\r", " ").Replace(s)
	return capText(s, 200)
}

// oneLine is a message shortened to one defused line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return DefuseMentions(capText(s, 300))
}
