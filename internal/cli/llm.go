package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/internal/exitcode"
	"github.com/prodready/prodready/prompts"
	"github.com/prodready/prodready/review"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/llm"
)

// llmFlags select and tune the LLM stage.
type llmFlags struct {
	mode    string
	all     bool
	prompts string
}

func registerLLMFlags(fs *flag.FlagSet) *llmFlags {
	lf := &llmFlags{}
	fs.StringVar(&lf.mode, "llm", "auto", "LLM stage: off, auto (on when OPENAI_API_KEY is set) or on (fail when the model cannot be used)")
	fs.BoolVar(&lf.all, "llm-all", false, "ask the LLM about every changed unit, not only those with a risk signal")
	fs.StringVar(&lf.prompts, "prompts", "", "directory whose system.tmpl and unit.tmpl override the built-in prompts")
	return lf
}

// asker builds the LLM stage, or nil for a deterministic-only review.
func (lf *llmFlags) asker(_ context.Context, env *Env, cfg config.Config) (review.Asker, error) {
	switch lf.mode {
	case "off":
		return nil, nil
	case "auto", "on":
	default:
		return nil, usagef("--llm: unknown mode %q: want off, auto or on", lf.mode)
	}
	ep := llm.EndpointFromEnv(env.Getenv)
	if ep.APIKey == "" {
		if lf.mode == "on" {
			return nil, usagef("--llm on needs %s: set it (any non-empty value for a local server such as Ollama), or use --llm auto", llm.EnvAPIKey)
		}
		fmt.Fprintf(env.Stderr, "prodready: %s is not set; ran the deterministic checks only (set it to add the LLM review, or pass --llm off)\n", llm.EnvAPIKey)
		return nil, nil
	}
	if err := ep.Validate(); err != nil {
		return nil, exitcode.AsUsage(err)
	}
	set, err := prompts.Load(lf.prompts)
	if err != nil {
		return nil, usagef("--prompts: %v", err)
	}
	opts := llm.Options{Endpoint: ep, Prompts: set, All: lf.all}
	if dir, err := llm.DefaultCacheDir(); err == nil {
		opts.Cache = &llm.DiskCache{Dir: dir}
	} else {
		fmt.Fprintf(env.Stderr, "prodready: note: LLM answers are not cached: %v\n", err)
	}
	stage, err := llm.New(opts)
	if err != nil {
		return nil, exitcode.AsUsage(err)
	}
	return stage, nil
}

// after inspects the finished report for LLM outcomes that change the exit:
// under --llm on, a model that could not be used is an operational failure.
func (lf *llmFlags) after(rep *finding.Report) error {
	if lf.mode == "on" && rep.LLM.Unavailable != "" {
		return fmt.Errorf("LLM unavailable: %s; or use --llm auto to accept a review without it", rep.LLM.Unavailable)
	}
	return nil
}
