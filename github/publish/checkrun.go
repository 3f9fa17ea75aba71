package publish

import (
	"context"
	"fmt"

	gh "github.com/google/go-github/v62/github"

	"github.com/prodready/prodready/finding"
)

// GitHub takes at most 50 annotations per check run request; more are sent
// by updating the run. maxAnnotations bounds the total.
const (
	annotationBatch = 50
	maxAnnotations  = 1000
	maxCheckSummary = 65000
)

// Conclusion is the check run conclusion for rep under failOn.
func Conclusion(rep *finding.Report, failOn finding.Severity) string {
	if rep.Count(failOn) > 0 {
		return "failure"
	}
	if len(rep.Findings) > 0 {
		return "neutral"
	}
	return "success"
}

func annotationLevel(s finding.Severity) string {
	switch s {
	case finding.SeverityError:
		return "failure"
	case finding.SeverityWarning:
		return "warning"
	}
	return "notice"
}

// annotated are the findings the check run annotates: those that are not a
// review comment (over the inline cap, outside the diff, or refused by
// GitHub). A finding with a comment is not repeated, or it would show twice
// in "Files changed".
func annotated(res *Result) []finding.Finding {
	out := append([]finding.Finding(nil), res.InSummary...)
	for _, r := range res.Rejected {
		out = append(out, r.Finding)
	}
	return out
}

// checkRun creates the check run when the token can, and records why not
// when it cannot. It never fails the publication.
func (p *Publisher) checkRun(ctx context.Context, t Target, rep *finding.Report, res *Result) {
	if p.opts.CheckRun == CheckRunOff {
		res.CheckRunSkipped = "check run turned off"
		return
	}
	var anns []*gh.CheckRunAnnotation
	for _, f := range annotated(res) {
		if len(anns) == maxAnnotations {
			break
		}
		end := f.EndLine
		if end < f.Line {
			end = f.Line
		}
		anns = append(anns, &gh.CheckRunAnnotation{
			Path: gh.String(f.Path), StartLine: gh.Int(f.Line), EndLine: gh.Int(end),
			AnnotationLevel: gh.String(annotationLevel(f.Severity)),
			Title:           gh.String(capText(fmt.Sprintf("%s (%s)", f.Check, f.Question), 255)),
			Message:         gh.String(capText(DefuseMentions(f.Message), maxMessage)),
		})
	}
	conclusion := Conclusion(rep, p.opts.FailOn)
	comments := len(rep.Findings) - len(anns)
	if comments < 0 {
		comments = 0
	}
	title := fmt.Sprintf("%d finding(s), %d at or above %s: %d as review comments, %d annotated here",
		len(rep.Findings), rep.Count(p.opts.FailOn), p.opts.FailOn, comments, len(anns))
	summary := capText(Summary(t, rep, res, nil, p.opts.Notice), maxCheckSummary)
	first := anns
	if len(first) > annotationBatch {
		first = first[:annotationBatch]
	}
	now := gh.Timestamp{Time: p.opts.Now()}
	cr, _, err := p.c.Checks.CreateCheckRun(ctx, t.Owner, t.Repo, gh.CreateCheckRunOptions{
		Name: p.opts.CheckRunName, HeadSHA: t.HeadSHA,
		Status: gh.String("completed"), Conclusion: gh.String(conclusion), CompletedAt: &now,
		Output: &gh.CheckRunOutput{Title: gh.String(title), Summary: gh.String(summary), Annotations: first},
	})
	if err != nil {
		if IsForbidden(err) {
			res.CheckRunSkipped = "the token cannot create check runs (it lacks `checks: write`; a pull request from a fork never has it); the summary comment and the exit code carry the result"
		} else {
			res.CheckRunSkipped = "creating the check run failed: " + err.Error()
		}
		res.Notes = append(res.Notes, "no check run: "+res.CheckRunSkipped)
		return
	}
	res.CheckRunID = cr.GetID()
	for i := annotationBatch; i < len(anns); i += annotationBatch {
		j := i + annotationBatch
		if j > len(anns) {
			j = len(anns)
		}
		_, _, err := p.c.Checks.UpdateCheckRun(ctx, t.Owner, t.Repo, cr.GetID(), gh.UpdateCheckRunOptions{
			Name:   p.opts.CheckRunName,
			Output: &gh.CheckRunOutput{Title: gh.String(title), Summary: gh.String(summary), Annotations: anns[i:j]},
		})
		if err != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("check run: annotations %d..%d not sent: %v", i+1, len(anns), err))
			return
		}
	}
}
