package config

import (
	"fmt"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/review/patch"
)

// Flags are the settings a command line or an Action's inputs give; a zero
// field is unset and leaves the config's value, or the default.
type Flags struct {
	Filter      string
	FailOn      string
	MaxComments int
}

// Effective is a review's settings once flags, the repository config and the
// defaults are merged, in that order. Every way in (CLI, Action, App) gets
// it from Resolve and nowhere else.
type Effective struct {
	// Config is the repository config as read (the LLM stage, the checks'
	// enable/disable and severities, excludes and instructions use it).
	Config Config
	// Filter is the lines in scope (default added).
	Filter patch.Filter
	// FailOn is the threshold for exit 1 and the check run's failure
	// (default error).
	FailOn finding.Severity
	// MaxComments caps the inline comments of one review (default 30).
	MaxComments int
}

// Resolve merges flags over cfg over the defaults. Its errors name the flag
// or config key at fault.
func Resolve(cfg Config, f Flags) (Effective, error) {
	e := Effective{Config: cfg}
	var err error
	filter := f.Filter
	if filter == "" {
		filter = string(cfg.Filter)
	}
	if e.Filter, err = patch.ParseFilter(filter); err != nil {
		return e, fmt.Errorf("filter: %w", err)
	}
	fail := f.FailOn
	if fail == "" {
		fail = string(cfg.FailOn)
	}
	if fail == "" {
		fail = string(finding.SeverityError)
	}
	if e.FailOn, err = finding.ParseSeverity(fail); err != nil {
		return e, fmt.Errorf("fail-on: %w", err)
	}
	if f.MaxComments < 0 {
		return e, fmt.Errorf("max-comments must not be negative")
	}
	e.MaxComments = cfg.Comments()
	if f.MaxComments > 0 {
		e.MaxComments = f.MaxComments
	}
	return e, nil
}
