package action

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"strings"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/github/publish"
	"github.com/prodready/prodready/review/patch"
)

// Artifact is what `prodready action --save` writes in the unprivileged
// pull_request workflow and `--post` reads in the privileged workflow_run
// one. --post treats it as untrusted: see Sanitize.
type Artifact struct {
	Version    int    `json:"version"`
	Repository string `json:"repository"`
	Number     int    `json:"number"`
	BaseSHA    string `json:"base_sha"`
	HeadSHA    string `json:"head_sha"`
	// Findings are the report's findings with the enclosing function.
	Findings []ArtifactFinding `json:"findings"`
	// Skipped are the paths not read; Notes say how the review fell short
	// (units not asked, partial loads, an LLM that could not be used).
	Skipped  []finding.Skipped `json:"skipped"`
	Notes    []ArtifactNote    `json:"notes,omitempty"`
	Stats    finding.Stats     `json:"stats"`
	Verdicts []finding.Verdict `json:"verdicts,omitempty"`
	Model    string            `json:"model,omitempty"`
	CostUSD  float64           `json:"cost_usd,omitempty"`
}

// ArtifactFinding is a finding as the artifact carries it.
type ArtifactFinding struct {
	finding.Finding
	Function string `json:"function,omitempty"`
}

// ArtifactNote is a finding.Note as the artifact carries it.
type ArtifactNote struct {
	Kind   finding.NoteKind `json:"kind"`
	Path   string           `json:"path,omitempty"`
	Reason string           `json:"reason"`
}

// Limits for an untrusted artifact.
const (
	MaxArtifactBytes = 32 << 20
	MaxFindings      = 2000
	MaxMessageBytes  = 8 << 10
	MaxSuggestion    = 16 << 10
	maxListed        = 500
	maxShort         = 200
)

// NewArtifact packs a report.
func NewArtifact(repo string, number int, rep *finding.Report) *Artifact {
	a := &Artifact{Version: 1, Repository: repo, Number: number, BaseSHA: rep.Base, HeadSHA: rep.Head,
		Skipped: rep.Skipped, Stats: rep.Stats, Verdicts: rep.LLM.Verdicts, Model: rep.LLM.Model, CostUSD: rep.LLM.CostUSD}
	for _, f := range rep.Findings {
		a.Findings = append(a.Findings, ArtifactFinding{Finding: f, Function: f.Function})
	}
	for _, n := range rep.Notes {
		a.Notes = append(a.Notes, ArtifactNote{Kind: n.Kind, Path: n.Path, Reason: n.Reason})
	}
	return a
}

// Save writes the artifact as JSON.
func (a *Artifact) Save(file string) error {
	data, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return fmt.Errorf("encode findings artifact: %w", err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return fmt.Errorf("write findings artifact: %w", err)
	}
	return nil
}

// LoadArtifact reads an artifact, refusing one over MaxArtifactBytes.
func LoadArtifact(file string) (*Artifact, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("read findings artifact: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxArtifactBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read findings artifact: %w", err)
	}
	if len(data) > MaxArtifactBytes {
		return nil, fmt.Errorf("findings artifact %s is over %d MiB; refusing it", file, MaxArtifactBytes>>20)
	}
	var a Artifact
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("findings artifact %s: %w", file, err)
	}
	if a.Version != 1 {
		return nil, fmt.Errorf("findings artifact %s has version %d; this prodready reads version 1", file, a.Version)
	}
	return &a, nil
}

var (
	checkIDRE  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$`)
	functionRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.()*\[\], ]{0,199}$`)
)

// Dropped is an artifact finding refused by Sanitize, and why.
type Dropped struct {
	Path, Reason string
	Line         int
}

// Sanitize turns an untrusted artifact into a report for the commits the
// trusted side established (base and head from the API and the event), keeping
// only findings whose every field is well-formed and bounded and whose anchor
// lies in a hunk of pt, the pull request's diff fetched from the API.
// Mentions are defused later, by the publisher, like every body it posts.
func Sanitize(a *Artifact, base, head string, pt *patch.Patch) (*finding.Report, []Dropped) {
	rep := finding.NewReport(base, head)
	var dropped []Dropped
	drop := func(f ArtifactFinding, why string) {
		p := f.Path
		if len(p) > maxShort {
			p = p[:maxShort]
		}
		dropped = append(dropped, Dropped{Path: p, Line: f.Line, Reason: why})
	}
	for i, f := range a.Findings {
		if i >= MaxFindings {
			drop(f, fmt.Sprintf("over %d findings", MaxFindings))
			continue
		}
		switch {
		case f.Path == "" || len(f.Path) > 1024 || path.IsAbs(f.Path) || path.Clean(f.Path) != f.Path || strings.HasPrefix(f.Path, "../") || strings.ContainsAny(f.Path, "\x00\r\n\\"):
			drop(f, "malformed path")
		case f.Line <= 0 || f.EndLine > f.Line+500:
			drop(f, "malformed line range")
		case !f.Question.Valid() || !f.Severity.Valid():
			drop(f, "unknown question or severity")
		case !checkIDRE.MatchString(f.Check):
			drop(f, "malformed check ID")
		case !publish.ValidFingerprint(f.Fingerprint):
			drop(f, "malformed fingerprint")
		case f.Function != "" && !functionRE.MatchString(f.Function):
			drop(f, "malformed function name")
		case strings.TrimSpace(f.Message) == "":
			drop(f, "empty message")
		case len(f.Message) > MaxMessageBytes:
			drop(f, fmt.Sprintf("message over %d KiB", MaxMessageBytes>>10))
		case len(f.Suggestion) > MaxSuggestion:
			drop(f, fmt.Sprintf("suggestion over %d KiB", MaxSuggestion>>10))
		case f.Source != finding.SourceChecklist && f.Source != finding.SourceLLM:
			drop(f, "unknown source")
		default:
			file := pt.File(f.Path)
			end := f.EndLine
			if end < f.Line {
				end = f.Line
			}
			if file == nil || file.IsDelete || !file.InHunk(f.Line) {
				drop(f, "anchor outside the pull request's diff")
				continue
			}
			if !file.InHunk(end) || file.HunkIndex(end) != file.HunkIndex(f.Line) {
				end = f.Line
			}
			g := f.Finding
			g.EndLine = end
			g.Function = f.Function
			g.Column = 0
			rep.Findings = append(rep.Findings, g)
		}
	}
	for i, s := range a.Skipped {
		if i >= maxListed {
			break
		}
		rep.Skipped = append(rep.Skipped, finding.Skipped{Path: short(s.Path), Reason: short(s.Reason)})
	}
	for i, n := range a.Notes {
		if i >= maxListed {
			break
		}
		switch n.Kind {
		case finding.NoteNotAsked, finding.NotePartialLoad:
		case finding.NoteLLMUnavailable:
			rep.LLM.Unavailable = short(n.Reason)
		default:
			continue
		}
		rep.Notes = append(rep.Notes, finding.Note{Kind: n.Kind, Path: short(n.Path), Reason: short(n.Reason)})
	}
	for i, v := range a.Verdicts {
		if i >= maxListed || !v.Question.Valid() || (v.Function != "" && !functionRE.MatchString(v.Function)) {
			continue
		}
		rep.LLM.Verdicts = append(rep.LLM.Verdicts, finding.Verdict{Path: short(v.Path), Function: v.Function, Question: v.Question, Verdict: short(v.Verdict)})
	}
	nonNeg := func(n int) int {
		if n < 0 {
			return 0
		}
		return n
	}
	rep.Stats = finding.Stats{Packages: nonNeg(a.Stats.Packages), Files: nonNeg(a.Stats.Files), LLMCalls: nonNeg(a.Stats.LLMCalls),
		LLMTokensIn: nonNeg(a.Stats.LLMTokensIn), LLMTokensOut: nonNeg(a.Stats.LLMTokensOut), DroppedUngrounded: nonNeg(a.Stats.DroppedUngrounded)}
	rep.LLM.Model = short(a.Model)
	if a.CostUSD > 0 && a.CostUSD < 1e6 {
		rep.LLM.CostUSD = a.CostUSD
	}
	rep.Sort()
	return rep, dropped
}

func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > maxShort {
		s = s[:maxShort]
	}
	return s
}
