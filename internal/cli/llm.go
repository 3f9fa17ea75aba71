package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/prodready/prodready/review"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/finding"
)

// llmFlags select and tune the LLM stage.
type llmFlags struct {
	mode string
}

func registerLLMFlags(fs *flag.FlagSet) *llmFlags {
	lf := &llmFlags{}
	fs.StringVar(&lf.mode, "llm", "auto", "LLM stage: off, auto (on when OPENAI_API_KEY is set) or on")
	return lf
}

// asker builds the LLM stage, or nil for a deterministic-only review.
func (lf *llmFlags) asker(_ context.Context, env *Env, _ config.Config) (review.Asker, error) {
	switch lf.mode {
	case "off":
		return nil, nil
	case "auto":
		fmt.Fprintln(env.Stderr, "prodready: ran the deterministic checks only (the LLM stage is not built yet)")
		return nil, nil
	case "on":
		return nil, fmt.Errorf("--llm on: the LLM stage is not built yet")
	}
	return nil, usagef("--llm: unknown mode %q: want off, auto or on", lf.mode)
}

// after inspects the finished report for LLM outcomes that change the exit.
func (lf *llmFlags) after(_ *finding.Report) error { return nil }
