package ground

import (
	"github.com/prodready/prodready/finding"
)

// Merge folds model comments into the checklist's findings. A model comment
// on a line a checklist finding covers, whatever question it answers,
// enriches that finding (its body is appended under its question, its
// suggestion fills a missing one) and is not a second comment: one line gets
// one comment. It returns every finding and how many model
// comments were folded in.
func Merge(checklist, model []finding.Finding) ([]finding.Finding, int) {
	out := make([]finding.Finding, len(checklist), len(checklist)+len(model))
	copy(out, checklist)
	merged := 0
	for _, m := range model {
		target := -1
		for i := range checklist {
			f := &out[i]
			end := max(f.EndLine, f.Line)
			if f.Source != finding.SourceLLM && f.Path == m.Path && m.Line >= f.Line && m.Line <= end {
				target = i
				break
			}
		}
		if target < 0 {
			out = append(out, m)
			continue
		}
		f := &out[target]
		label := "LLM review: "
		if m.Question != f.Question {
			label = "LLM review (" + string(m.Question) + "): "
		}
		f.Message += "\n\n" + label + m.Message
		if f.Suggestion == "" && m.Suggestion != "" && m.Line == f.Line && m.EndLine == max(f.EndLine, f.Line) {
			f.Suggestion = m.Suggestion
		}
		merged++
	}
	return out, merged
}
