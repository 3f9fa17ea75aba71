package program

import (
	"fmt"
	"go/token"
	"path/filepath"
	"strings"
)

// maxChains bounds the chains ChainsTo returns.
const maxChains = 5

// Reach answers which entry points reach a function and by which path, for
// the LLM prompt. It implements the review LLM stage's optional
// ChainsTo(path, line) interface.
type Reach struct {
	fset   *token.FileSet
	models []*Model
}

// NewReach returns a Reach over the models of one checker run. The models
// are the results of [Analyzer] on the run's root packages; a caller that
// runs checks must list Analyzer among the analyzers it runs, because the
// checker keeps only root analyzers' results.
func NewReach(fset *token.FileSet, models []*Model) *Reach {
	return &Reach{fset: fset, models: models}
}

// ChainsTo lists, in one line each, the entry points (other than tests)
// whose chains reach the function declared around path:line (path relative
// to the repository root, slash-separated): "webhook handler
// `(*Handler).Stripe` (webhook/webhook.go:24) → `(*Service).Refund` →
// `(*Store).RecordRefund` [at least once]".
func (r *Reach) ChainsTo(path string, line int) []string {
	fn := r.funcAt(path, line)
	if fn == "" {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] && len(out) < maxChains {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, m := range r.models {
		for _, e := range m.Entries {
			if e.Delivery == TestOnly || e.Summary == nil {
				continue
			}
			head := fmt.Sprintf("%s `%s` (%s)", e.Label, e.Name, shortPos(r.fset, e.Pos))
			if e.Name == fn {
				add(head + " is this function [" + string(e.Delivery) + "]")
				continue
			}
			for _, eff := range e.Summary.Effects {
				for i, s := range eff.Via {
					if s.Name != fn {
						continue
					}
					names := make([]string, i+1)
					for j := range i + 1 {
						names[j] = "`" + eff.Via[j].Name + "`"
					}
					add(head + " → " + strings.Join(names, " → ") + " [" + string(e.Delivery) + "]")
					break
				}
			}
		}
	}
	return out
}

// funcAt names the declared function around path:line.
func (r *Reach) funcAt(path string, line int) string {
	suffix := "/" + strings.TrimPrefix(filepath.ToSlash(path), "/")
	for _, m := range r.models {
		for _, s := range m.Spans {
			p, e := r.fset.Position(s.Pos), r.fset.Position(s.End)
			if strings.HasSuffix(filepath.ToSlash(p.Filename), suffix) && p.Line <= line && line <= e.Line {
				return s.Name
			}
		}
	}
	return ""
}
