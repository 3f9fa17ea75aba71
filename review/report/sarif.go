package report

import (
	"fmt"
	"io"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/prodready/prodready/finding"
)

// fingerprintKey names prodready's fingerprint in SARIF partialFingerprints.
const fingerprintKey = "prodready/v1"

// writeSARIF writes SARIF 2.1.0 as GitHub code scanning takes it: one run,
// every rule with its help text, and a partial fingerprint per result.
func writeSARIF(w io.Writer, rep *finding.Report, opts Options) error {
	doc, err := sarif.New(sarif.Version210)
	if err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	version := opts.Version
	if version == "" {
		version = "devel"
	}
	driver := sarif.NewVersionedDriver("prodready", version).
		WithInformationURI("https://github.com/prodready/prodready")
	run := sarif.NewRun(*sarif.NewTool(driver))

	rules := append([]Rule(nil), opts.Rules...)
	rules = append(rules,
		Rule{ID: "llm", Title: "The LLM reviewer found a production risk", Severity: "warning",
			Rationale: "A model read the changed function with the checklist's evidence and named a concrete way it fails in production.",
			Fix:       "Read the comment's trigger scenario and handle it, or suppress the finding with a reason."},
		Rule{ID: "ignore-without-reason", Title: "Suppression without a reason", Severity: "warning",
			Rationale: "A //prodready:ignore directive with no reason hides a risk without telling the next reader why it does not apply.",
			Fix:       "Write the reason after the check ID: //prodready:ignore <check-id> <reason>."},
	)
	known := map[string]bool{}
	for _, r := range rules {
		if known[r.ID] {
			continue
		}
		known[r.ID] = true
		addRule(run, r)
	}
	for _, f := range rep.Findings {
		if !known[f.Check] {
			known[f.Check] = true
			addRule(run, Rule{ID: f.Check, Title: f.Title, Question: string(f.Question), Severity: string(f.Severity)})
		}
		region := sarif.NewRegion().WithStartLine(f.Line).WithEndLine(max(f.EndLine, f.Line))
		if f.Column > 0 {
			region = region.WithStartColumn(f.Column)
		}
		loc := sarif.NewPhysicalLocation().
			WithArtifactLocation(sarif.NewSimpleArtifactLocation(f.Path).WithUriBaseId("%SRCROOT%")).
			WithRegion(region)
		msg := f.Message
		if f.Question != "" {
			msg = fmt.Sprintf("%s (%s)", f.Message, f.Question)
		}
		res := run.CreateResultForRule(f.Check).
			WithLevel(level(f.Severity)).
			WithMessage(sarif.NewTextMessage(msg)).
			WithLocations([]*sarif.Location{sarif.NewLocationWithPhysicalLocation(loc)})
		if f.Fingerprint != "" {
			res.WithPartialFingerPrints(map[string]interface{}{fingerprintKey: f.Fingerprint})
		}
	}
	doc.AddRun(run)
	if err := doc.PrettyWrite(w); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	return nil
}

func addRule(run *sarif.Run, r Rule) {
	title := r.Title
	if title == "" {
		title = r.ID
	}
	rule := run.AddRule(r.ID).
		WithName(r.ID).
		WithShortDescription(sarif.NewMultiformatMessageString(title)).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(level(finding.Severity(r.Severity))))
	if r.Rationale != "" {
		rule.WithFullDescription(sarif.NewMultiformatMessageString(r.Rationale))
	}
	help := title
	if r.Rationale != "" {
		help += "\n\n" + r.Rationale
	}
	if r.Fix != "" {
		help += "\n\nFix: " + r.Fix
	}
	rule.WithHelp(sarif.NewMultiformatMessageString(help).WithMarkdown(help))
	props := sarif.NewPropertyBag()
	if r.Question != "" {
		props.Add("tags", []string{r.Question, "production-readiness"})
	}
	rule.AttachPropertyBag(props)
}

// level maps a severity to SARIF's result level.
func level(s finding.Severity) string {
	switch s {
	case finding.SeverityError:
		return "error"
	case finding.SeverityWarning:
		return "warning"
	}
	return "note"
}
