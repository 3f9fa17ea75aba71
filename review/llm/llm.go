// Package llm is the Ask stage of a review: it asks an OpenAI-compatible
// model the three questions about each changed function, and keeps only
// grounded answers. It implements review.Asker, on the types of review/ask,
// without importing review.
//
// Units come from review/llm/units, ranked by risk signal and cut to a token
// budget; every unit left out is listed as "not asked". Answers are parsed
// and grounded by review/llm/ground and merged with the checklist's findings.
// Answers are cached by the hash of model and prompts, calls are retried by
// internal/httpretry, and at most Concurrency calls run at once.
package llm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/internal/httpretry"
	"github.com/prodready/prodready/prompts"
	"github.com/prodready/prodready/review/ask"
	"github.com/prodready/prodready/review/llm/ground"
	"github.com/prodready/prodready/review/llm/units"
)

// Defaults for Options.
const (
	// DefaultBudget is the input-token budget per review, counted with
	// units.EstimateTokens (bytes/3, conservative).
	DefaultBudget = 120_000
	// DefaultMaxCallTokens caps one call's prompt; a unit too large for it
	// alone is not asked.
	DefaultMaxCallTokens = 16_000
	// DefaultUnitsPerCall is how many units of one file may share a call.
	// Each unit keeps its own fenced, numbered code, grounding and
	// verdicts; sharing saves repeating the system prompt, which is most of
	// a small call. On the README's benchmark change, 8 per call sends 44%
	// fewer tokens than 1 (1 still asks strictly one unit per call, as
	// llm.units_per_call: 1).
	DefaultUnitsPerCall = 8
	// DefaultConcurrency bounds the calls in flight.
	DefaultConcurrency = 4
	// DefaultAttemptTimeout bounds one HTTP attempt.
	DefaultAttemptTimeout = 2 * time.Minute
	// DefaultAttempts bounds the attempts per call, the first included.
	DefaultAttempts = 4
	// DefaultDeadline bounds the whole stage.
	DefaultDeadline = 10 * time.Minute
	// DefaultMaxComments caps the comments kept from one answer.
	DefaultMaxComments = 5
	// DefaultMaxOutputTokens caps one answer.
	DefaultMaxOutputTokens = 2048
)

// Options configure the stage. Zero values take the defaults above.
type Options struct {
	Endpoint Endpoint
	// HTTPClient replaces the client built from Retry (tests, proxies). It
	// must retry and time out on its own.
	HTTPClient *http.Client
	// Retry is the retrying transport's template: tests inject Sleep and
	// Now here. AttemptTimeout and MaxAttempts default to the constants above.
	Retry httpretry.Transport
	// Prompts are the templates; nil means prompts.Default().
	Prompts *prompts.Set
	// Cache stores answers; nil disables caching.
	Cache Cache
	// All asks every unit, not only those with a risk signal (--llm-all).
	All bool
	// Budget is the input-token budget per review; 0 means the config's
	// llm.max_tokens, or DefaultBudget.
	Budget int
	// MaxCallTokens caps one call's prompt (system included).
	MaxCallTokens int
	// UnitsPerCall is how many units of one file one call may hold; 1 asks
	// strictly one unit per call.
	UnitsPerCall    int
	Concurrency     int
	AttemptTimeout  time.Duration
	Deadline        time.Duration
	MaxComments     int
	MaxOutputTokens int
	Logger          *slog.Logger
	// Reach, when set, names the entry points and call chains that reach
	// each changed function; the prompt shows them. A review's own
	// ask.Input.Reach, from its program model, takes precedence.
	Reach Reach
}

// Reach is ask.Reach: the chains that reach a changed function.
type Reach = ask.Reach

// Caps on the chains shown for one function.
const (
	maxChains     = 5
	maxChainBytes = 300
)

// chainsOf asks r about u and caps the answer for the prompt.
func chainsOf(r Reach, u *units.Unit) []string {
	if r == nil || !u.IsFunction() || u.Decl == 0 {
		return nil
	}
	var out []string
	for _, c := range r.ChainsTo(u.Path, u.Decl) {
		c = ground.Cap(finding.NormalizeSpace(c), maxChainBytes)
		if c == "" {
			continue
		}
		if len(out) == maxChains {
			out = append(out, "… more chains not shown")
			break
		}
		out = append(out, c)
	}
	return out
}

// Stage is the LLM stage. It is safe for concurrent reviews.
type Stage struct {
	opts    Options
	prompts *prompts.Set
	hc      *http.Client
	log     *slog.Logger
}

// New builds the stage. It fails only on bad configuration.
func New(opts Options) (*Stage, error) {
	if err := opts.Endpoint.Validate(); err != nil {
		return nil, err
	}
	if opts.MaxCallTokens <= 0 {
		opts.MaxCallTokens = DefaultMaxCallTokens
	}
	if opts.UnitsPerCall <= 0 {
		opts.UnitsPerCall = DefaultUnitsPerCall
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.AttemptTimeout <= 0 {
		opts.AttemptTimeout = DefaultAttemptTimeout
	}
	if opts.Deadline <= 0 {
		opts.Deadline = DefaultDeadline
	}
	if opts.MaxComments <= 0 {
		opts.MaxComments = DefaultMaxComments
	}
	if opts.MaxOutputTokens <= 0 {
		opts.MaxOutputTokens = DefaultMaxOutputTokens
	}
	s := &Stage{opts: opts, prompts: opts.Prompts, hc: opts.HTTPClient, log: opts.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.prompts == nil {
		p, err := prompts.Default()
		if err != nil {
			return nil, err
		}
		s.prompts = p
	}
	if s.hc == nil {
		rt := opts.Retry // a copy: the template stays untouched
		if rt.AttemptTimeout <= 0 {
			rt.AttemptTimeout = opts.AttemptTimeout
		}
		if rt.MaxAttempts <= 0 {
			rt.MaxAttempts = DefaultAttempts
		}
		if rt.Logger == nil {
			rt.Logger = s.log
		}
		s.hc = newHTTPClient(&rt, opts.Deadline)
	}
	return s, nil
}

// model returns the model a review uses: the config's, else the endpoint's, else DefaultModel.
func (s *Stage) model(cfgModel string) string {
	switch {
	case cfgModel != "":
		return cfgModel
	case s.opts.Endpoint.Model != "":
		return s.opts.Endpoint.Model
	}
	return DefaultModel
}

// job is one call: units of one file, with the rendered user prompt and
// the estimated tokens of the whole prompt.
type job struct {
	units  []*units.Unit
	user   string
	tokens int
}

// outcome is what asking about one unit produced.
type outcome struct {
	findings  []finding.Finding
	verdicts  []finding.Verdict
	dropped   map[string]int // by ground.Kind*
	cached    bool
	answered  bool
	unusable  string // why the answer could not be used
	refused   string // why the endpoint refused this unit
	calls     int
	tokensIn  int
	tokensOut int
}

// Ask implements review.Asker. When the model cannot be used at all
// (unreachable after retries, unauthorised, past the deadline) it returns
// the checklist's findings unchanged with LLM.Unavailable naming the cause,
// and the calls and tokens already spent; the review then says plainly that
// the LLM part is missing. It returns an error only when ctx ends or the
// prompt templates fail.
func (s *Stage) Ask(parent context.Context, in *ask.Input) (*ask.Output, error) {
	ctx, cancel := context.WithTimeout(parent, s.opts.Deadline)
	defer cancel()
	model := s.model(in.Config.LLM.Model)
	out := &ask.Output{LLM: finding.LLMInfo{Model: model}}

	us, unreadable := units.Extract(in)
	out.LLM.NotAsked = append(out.LLM.NotAsked, unreadable...)
	reach := s.opts.Reach
	if in.Reach != nil {
		reach = in.Reach
	}
	for _, u := range us {
		u.Chains = chainsOf(reach, u)
	}
	units.Rank(us)

	system, err := s.prompts.System(prompts.SystemData{MaxComments: s.opts.MaxComments})
	if err != nil {
		return nil, err
	}
	jobs, notAsked, err := s.plan(in, us, system)
	if err != nil {
		return nil, err
	}
	out.LLM.NotAsked = append(out.LLM.NotAsked, notAsked...)

	c := &caller{client: newClient(s.opts.Endpoint, s.hc), model: model, maxOut: s.opts.MaxOutputTokens}
	results := make([]outcome, len(jobs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.opts.Concurrency)
	for i := range jobs {
		g.Go(func() error {
			r, err := s.askOne(gctx, c, model, system, jobs[i])
			results[i] = r
			return err
		})
	}
	if err := g.Wait(); err != nil {
		if parent.Err() != nil {
			return nil, fmt.Errorf("llm stage: %w", parent.Err())
		}
		cause := describe(err)
		if ctx.Err() != nil && errors.Is(err, context.DeadlineExceeded) {
			cause = fmt.Sprintf("no answer within the review deadline of %s", s.opts.Deadline)
		}
		for _, r := range results {
			out.Calls += r.calls
			out.TokensIn += r.tokensIn
			out.TokensOut += r.tokensOut
		}
		out.Findings = in.Findings
		out.LLM.Unavailable = fmt.Sprintf("model %s at %s: %s", model, s.opts.Endpoint.host(), cause)
		s.log.Warn("llm unavailable", "cause", out.LLM.Unavailable)
		return out, nil
	}

	var modelFindings []finding.Finding
	for i, r := range results {
		j := jobs[i]
		out.Calls += r.calls
		out.TokensIn += r.tokensIn
		out.TokensOut += r.tokensOut
		for kind, n := range r.dropped {
			out.Dropped += n
			if out.LLM.Dropped == nil {
				out.LLM.Dropped = map[string]int{}
			}
			out.LLM.Dropped[kind] += n
		}
		if r.cached {
			out.LLM.CachedHits++
		}
		for _, u := range j.units {
			switch {
			case r.refused != "":
				out.LLM.NotAsked = append(out.LLM.NotAsked, notAskedEntry(u, "the endpoint refused it: "+r.refused))
			case r.unusable != "":
				out.LLM.NotAsked = append(out.LLM.NotAsked, finding.Skipped{Path: u.Path,
					Reason: fmt.Sprintf("no usable answer for %s (lines %d-%d): %s", u.Name, u.Start, u.End, r.unusable)})
			}
			if r.refused == "" && u.IsFunction() {
				out.LLM.Verdicts = append(out.LLM.Verdicts, verdicts(u, r, in.Findings)...)
			}
		}
		modelFindings = append(modelFindings, r.findings...)
	}
	merged, n := ground.Merge(in.Findings, modelFindings)
	s.log.Debug("llm stage done", "units", len(us), "asked", len(jobs), "comments", len(modelFindings), "merged", n, "dropped", out.Dropped)
	out.Findings = merged
	if price, ok := in.Config.LLM.Prices[model]; ok {
		out.LLM.CostUSD = float64(out.TokensIn)*price.Input/1e6 + float64(out.TokensOut)*price.Output/1e6
	}
	return out, nil
}

// plan picks, in rank order, the units that have a risk signal (or all,
// with All) and fit the budget, and packs units of one file into shared
// calls. Everything left out is listed as not asked, with the reason.
// Tokens are counted on the rendered prompts, system prompt included once
// per call.
func (s *Stage) plan(in *ask.Input, us []*units.Unit, system string) ([]job, []finding.Skipped, error) {
	budget := s.opts.Budget
	if budget <= 0 {
		budget = in.Config.LLM.MaxTokens
	}
	if budget <= 0 {
		budget = DefaultBudget
	}
	all := s.opts.All || in.Config.LLM.All
	sysTokens := units.EstimateTokens(system)
	render := func(batch []*units.Unit) (string, int, error) {
		user, err := s.prompts.Request(units.Request(batch))
		return user, sysTokens + units.EstimateTokens(user), err
	}
	var jobs []job
	var notAsked []finding.Skipped
	open := map[string]int{} // path → the job still taking units of that file
	used := 0
	perCall := s.opts.UnitsPerCall
	if in.Config.LLM.UnitsPerCall > 0 {
		perCall = in.Config.LLM.UnitsPerCall
	}
	for _, u := range us {
		if !all && u.Score == 0 {
			notAsked = append(notAsked, notAskedEntry(u, "no risk signal (no checklist finding, network, database, queue, goroutine, retry or file write); pass --llm-all to ask"))
			continue
		}
		solo, soloTokens, err := render([]*units.Unit{u})
		if err != nil {
			return nil, nil, err
		}
		if soloTokens > s.opts.MaxCallTokens {
			notAsked = append(notAsked, notAskedEntry(u, fmt.Sprintf("its prompt is ~%d tokens, over the %d-token limit for one call", soloTokens, s.opts.MaxCallTokens)))
			continue
		}
		if i, ok := open[u.Path]; ok && len(jobs[i].units) < perCall {
			batch := append(append([]*units.Unit(nil), jobs[i].units...), u)
			user, tokens, err := render(batch)
			if err != nil {
				return nil, nil, err
			}
			if tokens <= s.opts.MaxCallTokens {
				if delta := tokens - jobs[i].tokens; used+delta <= budget {
					used += delta
					jobs[i] = job{units: batch, user: user, tokens: tokens}
				} else {
					notAsked = append(notAsked, notAskedEntry(u, fmt.Sprintf("over the token budget (~%d more tokens; %d of %d used; raise llm.max_tokens)", delta, used, budget)))
				}
				continue
			}
		}
		if used+soloTokens > budget {
			notAsked = append(notAsked, notAskedEntry(u, fmt.Sprintf("over the token budget (~%d tokens; %d of %d used; raise llm.max_tokens)", soloTokens, used, budget)))
			continue
		}
		used += soloTokens
		open[u.Path] = len(jobs)
		jobs = append(jobs, job{units: []*units.Unit{u}, user: solo, tokens: soloTokens})
	}
	return jobs, notAsked, nil
}

func notAskedEntry(u *units.Unit, why string) finding.Skipped {
	return finding.Skipped{Path: u.Path, Reason: fmt.Sprintf("not asked: %s (lines %d-%d): %s", u.Name, u.Start, u.End, why)}
}

// askOne gets an answer for one unit, from the cache or the model, and
// grounds it. It returns an error only when the endpoint is unusable.
func (s *Stage) askOne(ctx context.Context, c *caller, model, system string, j job) (outcome, error) {
	var r outcome
	if err := ctx.Err(); err != nil {
		return r, err // another call already failed the stage, or time is up
	}
	key := CacheKey(model, system, j.user)
	var content string
	if s.opts.Cache != nil {
		val, ok, err := s.opts.Cache.Get(ctx, key)
		if err != nil {
			s.log.Warn("llm cache read failed; asking the model", "unit", jobID(j), "err", err)
		}
		if ok {
			content, r.cached = string(val), true
		}
	}
	if !r.cached {
		comp, err := c.complete(ctx, system, j.user)
		r.calls, r.tokensIn, r.tokensOut = comp.calls, comp.tokensIn, comp.tokensOut
		if err != nil {
			if ctx.Err() == nil && permanent(err) {
				r.refused = describe(err)
				s.log.Debug("llm refused a unit", "unit", jobID(j), "cause", r.refused)
				return r, nil
			}
			return r, err
		}
		content = comp.content
	}
	ans, err := ground.Parse(content)
	if err != nil {
		r.unusable = err.Error()
		r.dropped = map[string]int{ground.KindBadAnswer: 1}
		s.log.Debug("dropped model answer", "unit", jobID(j), "reason", err.Error(), "bytes", len(content))
		return r, nil
	}
	if ans.Truncated {
		r.unusable = "the JSON was cut off; complete entries were kept"
		s.log.Debug("model answer truncated", "unit", jobID(j), "comments", len(ans.Comments))
	} else if !r.cached && s.opts.Cache != nil {
		if err := s.opts.Cache.Put(ctx, key, []byte(content)); err != nil {
			s.log.Warn("llm cache write failed", "unit", jobID(j), "err", err)
		}
	}
	res := ground.Ground(ans, j.units, s.opts.MaxComments)
	for _, d := range res.Drops {
		s.log.Debug("dropped model comment", "unit", jobID(j), "line", d.Line, "reason", d.Reason)
	}
	for _, d := range res.VerdictDrops {
		s.log.Debug("dropped model verdict", "unit", jobID(j), "reason", d.Reason)
	}
	for _, d := range res.SuggestionDrops {
		s.log.Debug("removed a suggestion", "unit", jobID(j), "line", d.Line, "reason", d.Reason)
	}
	r.answered = true
	r.findings, r.verdicts = res.Findings, res.Verdicts
	r.dropped = map[string]int{}
	for _, ds := range [][]ground.Drop{res.Drops, res.SuggestionDrops, res.VerdictDrops} {
		for _, d := range ds {
			r.dropped[d.Kind]++
		}
	}
	if ans.Truncated {
		r.dropped[ground.KindUnreadable]++ // the entry the cut went through
	}
	return r, nil
}

// verdicts gives a function unit one verdict per question: the checklist's
// where one of its findings in the unit answers that question (whatever the
// model said), else the model's, raised to "risk" where one of its grounded
// comments says so, and "unclear" where the model gave none.
func verdicts(u *units.Unit, r outcome, checklist []finding.Finding) []finding.Verdict {
	var out []finding.Verdict
	for _, q := range finding.Questions() {
		v := finding.Verdict{Path: u.Path, Function: u.Name, Question: q, Verdict: "unclear", Reason: "no verdict in the model's answer"}
		if r.unusable != "" && !r.answered {
			v.Reason = "the model's answer was unusable: " + r.unusable
		}
		for _, mv := range r.verdicts {
			if mv.Question == q && mv.Path == u.Path && mv.Function == u.Name {
				v = mv
			}
		}
		if why := checklistRisk(u, q, checklist); why != "" {
			v.Verdict, v.Reason = "risk", why
		} else if why := commentRisk(u, q, r.findings); why != "" && v.Verdict != "risk" {
			v.Verdict, v.Reason = "risk", why
		}
		out = append(out, v)
	}
	return out
}

func jobID(j job) string {
	ids := make([]string, len(j.units))
	for i, u := range j.units {
		ids[i] = u.ID()
	}
	return strings.Join(ids, " + ")
}

// commentRisk names the grounded model comment in u answering q, or "".
func commentRisk(u *units.Unit, q finding.Question, model []finding.Finding) string {
	for _, f := range model {
		if f.Question == q && f.Path == u.Path && u.Changed[f.Line] {
			return fmt.Sprintf("see the comment on line %d", f.Line)
		}
	}
	return ""
}

// checklistRisk names the checklist finding in u answering q, or "".
func checklistRisk(u *units.Unit, q finding.Question, checklist []finding.Finding) string {
	for _, f := range checklist {
		if f.Question == q && f.Path == u.Path && f.Line >= u.Start && f.Line <= u.End {
			return fmt.Sprintf("checklist: %s on line %d", f.Check, f.Line)
		}
	}
	return ""
}
