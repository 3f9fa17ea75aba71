// Package ask holds what the pipeline hands the Ask (LLM) stage and what the
// stage hands back. It sits below both: the pipeline (package review)
// declares the Asker interface it uses, the LLM stage (review/llm)
// implements it, and neither imports the other.
package ask

import (
	"golang.org/x/tools/go/packages"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/patch"
)

// Input is what the LLM stage sees.
type Input struct {
	// Root is the directory holding the head's files.
	Root     string
	Patch    *patch.Patch
	Filter   patch.Filter
	Packages []*packages.Package
	// Findings are the checklist's findings in scope, the stage's evidence.
	Findings []finding.Finding
	Config   config.Config
	// Skip lists paths the review skipped; the stage must not ask about them.
	Skip map[string]string
	// Reach, when set, names the entry points and call chains that reach a
	// changed function, from this review's program model; nil shows none.
	Reach Reach
}

// Reach answers, from a model of the program, which entry points and call
// chains reach the function declared at path:line (path slash-separated and
// relative to the repository root, line the func keyword's). Each string is
// one chain, such as "POST /orders handler (concurrent) → Orders.Create →
// Charge". It returns nil when it knows none.
type Reach interface {
	ChainsTo(path string, line int) []string
}

// Output is what the LLM stage returns.
type Output struct {
	// Findings replaces Input.Findings: the checklist findings, enriched
	// where the model agreed, plus the model's own grounded comments.
	Findings []finding.Finding
	// Calls, TokensIn, TokensOut and Dropped feed the report's stats.
	Calls, TokensIn, TokensOut, Dropped int
	LLM                                 finding.LLMInfo
}
