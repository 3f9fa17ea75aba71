// Package config reads a repository's .prodready.yml.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"

	"github.com/bmatcuk/doublestar/v4"
	"go.yaml.in/yaml/v3"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/review/patch"
)

// FileName is the config file's name at the repository root.
const FileName = ".prodready.yml"

// MaxBytes caps a config file; a larger one is refused.
const MaxBytes = 1 << 20

// Config is the repository's configuration. The zero value is valid and means
// every default.
type Config struct {
	Checks Checks `yaml:"checks"`
	// Exclude lists path globs (doublestar syntax, slash-separated) to skip.
	Exclude []string `yaml:"exclude"`
	// Filter is the default --filter mode.
	Filter patch.Filter `yaml:"filter"`
	// FailOn is the default --fail-on threshold.
	FailOn finding.Severity `yaml:"fail_on"`
	// MaxComments caps inline comments per review (default 30).
	MaxComments int `yaml:"max_comments"`
	// RequestChanges makes a review with error findings use REQUEST_CHANGES.
	RequestChanges bool `yaml:"request_changes"`
	LLM            LLM  `yaml:"llm"`
	// Instructions are extra words for the LLM, per path glob.
	Instructions []Instruction `yaml:"instructions"`
}

// Checks enables, disables and re-grades checks.
type Checks struct {
	// Enable, when not empty, runs only these checks.
	Enable []string `yaml:"enable"`
	// Disable switches checks off.
	Disable []string `yaml:"disable"`
	// Severity overrides a check's default severity.
	Severity map[string]finding.Severity `yaml:"severity"`
}

// LLM configures the model stage.
type LLM struct {
	// Model overrides PRODREADY_MODEL.
	Model string `yaml:"model"`
	// MaxTokens is the input-token budget per review.
	MaxTokens int `yaml:"max_tokens"`
	// All asks every changed unit, not only those with a risk signal.
	All bool `yaml:"all"`
	// UnitsPerCall lets several changed functions of one file share a model
	// call (0 takes the stage default of 8; 1 asks one function at a time).
	// Grounding stays per function.
	UnitsPerCall int `yaml:"units_per_call"`
	// Prices maps a model to its price in US dollars per million tokens.
	Prices map[string]Price `yaml:"prices"`
}

// Price is a model's price per million tokens.
type Price struct {
	Input  float64 `yaml:"input"`
	Output float64 `yaml:"output"`
}

// Instruction adds words to the LLM prompt for files matching Path.
type Instruction struct {
	Path string `yaml:"path"`
	Text string `yaml:"text"`
}

// Parse decodes a config, rejecting unknown keys and bad values.
func Parse(data []byte) (Config, error) {
	var c Config
	if len(bytes.TrimSpace(data)) == 0 {
		return c, nil
	}
	if len(data) > MaxBytes {
		return c, fmt.Errorf("config is %d bytes, over the %d limit", len(data), MaxBytes)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return c, fmt.Errorf("config: %w", err)
	}
	return c, c.Validate()
}

// Load reads a config file. A missing file is the zero Config.
func Load(file string) (Config, error) {
	data, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return Config{}, nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	c, err := Parse(data)
	if err != nil {
		return c, fmt.Errorf("%s: %w", file, err)
	}
	return c, nil
}

// Validate checks values that YAML decoding cannot.
func (c Config) Validate() error {
	if c.Filter != "" {
		if _, err := patch.ParseFilter(string(c.Filter)); err != nil {
			return fmt.Errorf("config: filter: %w", err)
		}
	}
	if c.FailOn != "" {
		if _, err := finding.ParseSeverity(string(c.FailOn)); err != nil {
			return fmt.Errorf("config: fail_on: %w", err)
		}
	}
	for id, s := range c.Checks.Severity {
		if !s.Valid() {
			return fmt.Errorf("config: checks.severity.%s: %q is not error, warning or info", id, s)
		}
	}
	for _, g := range c.Exclude {
		if !doublestar.ValidatePattern(g) {
			return fmt.Errorf("config: exclude: bad glob %q", g)
		}
	}
	for _, in := range c.Instructions {
		if !doublestar.ValidatePattern(in.Path) {
			return fmt.Errorf("config: instructions: bad glob %q", in.Path)
		}
	}
	if c.MaxComments < 0 || c.LLM.MaxTokens < 0 || c.LLM.UnitsPerCall < 0 || c.LLM.UnitsPerCall > 16 {
		return fmt.Errorf("config: max_comments and llm.max_tokens must not be negative, and llm.units_per_call must be 0 to 16")
	}
	return nil
}

// CheckIDs checks that every check ID the config names (checks.enable,
// checks.disable, checks.severity) is one of known. A typo must not switch
// every check off quietly: the error names the first unknown ID and the
// nearest known one.
func (c Config) CheckIDs(known []string) error {
	set := make(map[string]bool, len(known))
	for _, k := range known {
		set[k] = true
	}
	check := func(where, id string) error {
		if set[id] {
			return nil
		}
		hint := "run 'prodready checks' for the list"
		if near := Nearest(id, known); near != "" {
			hint = fmt.Sprintf("did you mean %q? (%s)", near, hint)
		}
		return fmt.Errorf("config: %s: unknown check %q; %s", where, id, hint)
	}
	for _, id := range c.Checks.Enable {
		if err := check("checks.enable", id); err != nil {
			return err
		}
	}
	for _, id := range c.Checks.Disable {
		if err := check("checks.disable", id); err != nil {
			return err
		}
	}
	ids := make([]string, 0, len(c.Checks.Severity))
	for id := range c.Checks.Severity {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := check("checks.severity", id); err != nil {
			return err
		}
	}
	return nil
}

// Nearest returns the candidate closest to s by edit distance, or "" when
// none is within a third of s's length (a guess that far off misleads).
func Nearest(s string, candidates []string) string {
	best, bestD := "", len(s)/3+1
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of two short ASCII identifiers.
// Hand-rolled: it is a dozen lines, and a module for it would be the only
// thing that module is used for.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Excluded reports whether a slash-separated path matches an exclude glob.
func (c Config) Excluded(p string) (string, bool) {
	for _, g := range c.Exclude {
		if ok, _ := doublestar.Match(g, p); ok {
			return g, true
		}
		// A bare directory glob such as "gen/" excludes everything below it.
		if ok, _ := doublestar.Match(path.Join(g, "**"), p); ok {
			return g, true
		}
	}
	return "", false
}

// CheckEnabled reports whether check id runs under this config.
func (c Config) CheckEnabled(id string) bool {
	for _, d := range c.Checks.Disable {
		if d == id {
			return false
		}
	}
	if len(c.Checks.Enable) == 0 {
		return true
	}
	for _, e := range c.Checks.Enable {
		if e == id {
			return true
		}
	}
	return false
}

// SeverityOf returns the configured severity for check id, or def.
func (c Config) SeverityOf(id string, def finding.Severity) finding.Severity {
	if s, ok := c.Checks.Severity[id]; ok {
		return s
	}
	return def
}

// InstructionsFor returns the extra LLM instructions whose glob matches p.
func (c Config) InstructionsFor(p string) []string {
	var out []string
	for _, in := range c.Instructions {
		if ok, _ := doublestar.Match(in.Path, p); ok {
			out = append(out, in.Text)
		}
	}
	return out
}

// Comments returns MaxComments, or its default of 30.
func (c Config) Comments() int {
	if c.MaxComments > 0 {
		return c.MaxComments
	}
	return 30
}
