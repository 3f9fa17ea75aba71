package llm_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"github.com/prodready/prodready/internal/testenv"
	"github.com/prodready/prodready/prompts"
	"github.com/prodready/prodready/review"
	"github.com/prodready/prodready/review/llm"
	"github.com/prodready/prodready/review/llm/units"
)

// benchPackages is the shape of the multi-package change the benchmark
// reviews: packages, functions per file, and per package how many functions
// the change touches with an outbound call and how many pure helpers.
const (
	benchPackages  = 5
	benchFuncs     = 24
	benchRiskyEdit = 2
	benchPureEdit  = 4
)

// benchFile renders one package's file. In the head version, the first
// benchRiskyEdit functions gain a database write and an HTTP call, and the
// next benchPureEdit pure helpers change their arithmetic.
func benchFile(pkg string, head bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n\nimport (\n\t\"context\"\n\t\"database/sql\"\n\t\"fmt\"\n\t\"net/http\"\n\t\"strings\"\n)\n\n", pkg)
	b.WriteString("// Service holds the package's dependencies.\ntype Service struct {\n\tDB     *sql.DB\n\tClient *http.Client\n\tPrefix string\n}\n")
	for i := 0; i < benchFuncs; i++ {
		switch {
		case i < benchRiskyEdit && head:
			fmt.Fprintf(&b, `
// Sync%[1]d pushes record %[1]d upstream and records it.
func (s *Service) Sync%[1]d(ctx context.Context, id string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://upstream.example/%[1]d/"+id, nil)
	if err != nil {
		return fmt.Errorf("build request: %%w", err)
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return fmt.Errorf("push %%s: %%w", id, err)
	}
	defer resp.Body.Close()
	if _, err := s.DB.ExecContext(ctx, "UPDATE items SET synced = true WHERE id = $1", id); err != nil {
		return fmt.Errorf("mark %%s synced: %%w", id, err)
	}
	return nil
}
`, i)
		case i < benchRiskyEdit:
			fmt.Fprintf(&b, `
// Sync%[1]d pushes record %[1]d upstream and records it.
func (s *Service) Sync%[1]d(ctx context.Context, id string) error {
	_ = ctx
	_ = id
	return nil
}
`, i)
		default:
			op := "+"
			if head && i < benchRiskyEdit+benchPureEdit {
				op = "*"
			}
			fmt.Fprintf(&b, `
// Format%[1]d renders value %[1]d for display, with the service prefix.
func (s *Service) Format%[1]d(parts []string, n int) string {
	var b strings.Builder
	b.WriteString(s.Prefix)
	for i, p := range parts {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strings.TrimSpace(p))
	}
	return fmt.Sprintf("%%s (%%d)", b.String(), n %[2]s %[1]d)
}
`, i, op)
		}
	}
	return b.String()
}

// BenchmarkPromptTokens compares the tokens the gated, function-unit prompts
// send with a naive prompt of the whole diff plus the whole changed files,
// per 100 changed lines. Both sides cover the non-test .go files the review
// looks at, and both are counted with units.EstimateTokens (bytes/3); the
// naive side includes the system prompt once. uncached-tokens leaves out the
// system prompt of every call after the first, which a provider that caches
// prefixes reads from its cache. The real checklist catalog
// runs, so its findings gate units as they would in a review.
//
// By default it reviews a synthetic multi-package change built in a temporary
// repository. Set PRODREADY_BENCH_REPO to a repository with branches main and
// change to measure a real one, e.g. the spine's go-redis v9.5.1..v9.6.1
// (see .ci/bench-review.sh for how that repository is built):
//
//	PRODREADY_BENCH_REPO=/tmp/llmbench/repo go test -run XXX -bench PromptTokens -benchtime 1x ./review/llm/
func BenchmarkPromptTokens(b *testing.B) {
	dir, baseRev, headRev := os.Getenv("PRODREADY_BENCH_REPO"), "main", "change"
	if dir == "" {
		dir, baseRev, headRev = syntheticChange(b)
	}
	git := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("git %v: %v", args, err)
		}
		return string(out)
	}
	diff := git("diff", baseRev+".."+headRev, "--", "*.go", ":!*_test.go")
	changed := 0
	for _, l := range strings.Split(diff, "\n") {
		if strings.HasPrefix(l, "+") && !strings.HasPrefix(l, "+++") {
			changed++
		}
	}
	set, err := prompts.Default()
	if err != nil {
		b.Fatal(err)
	}
	system, err := set.System(prompts.SystemData{MaxComments: llm.DefaultMaxComments})
	if err != nil {
		b.Fatal(err)
	}
	naive := units.EstimateTokens(system) + units.EstimateTokens(diff)
	for _, name := range strings.Fields(git("diff", "--name-only", "--diff-filter=d", baseRev+".."+headRev, "--", "*.go", ":!*_test.go")) {
		naive += units.EstimateTokens(git("show", headRev+":"+name))
	}
	per100 := func(n int) float64 { return float64(n) * 100 / float64(changed) }
	sysTokens := units.EstimateTokens(system)
	for _, perCall := range []int{1, 4, llm.DefaultUnitsPerCall} {
		b.Run(fmt.Sprintf("units-per-call=%d", perCall), func(b *testing.B) {
			var gated, calls, asked, skipped int
			for i := 0; i < b.N; i++ {
				m := newFakeModel(b, func(_ int, req openai.ChatCompletionRequest, w http.ResponseWriter, _ *http.Request) {
					reply(w, req, `{"verdicts":[],"comments":[]}`)
				})
				stage := stageFor(b, m, &fakeClock{}, func(o *llm.Options) { o.UnitsPerCall = perCall })
				res, err := review.Run(context.Background(), review.Options{Dir: dir, Base: baseRev, Head: headRev, Asker: stage})
				if err != nil {
					b.Fatal(err)
				}
				rep := res.Report
				gated, calls, asked, skipped = 0, len(m.bodies), 0, 0
				for _, body := range m.bodies {
					asked += len(unitsOf(body))
					for _, msg := range body.Messages {
						gated += units.EstimateTokens(msg.Content)
					}
				}
				for _, s := range rep.SkippedAndNotes() {
					if strings.HasPrefix(s.Reason, "not asked:") {
						skipped++
					}
				}
				m.srv.Close()
			}
			b.ReportMetric(float64(changed), "changed-lines")
			b.ReportMetric(per100(gated), "gated-tokens/100lines")
			// With prefix caching (providers cache a prompt prefix of 1,024
			// tokens or more), every call after the first reads the system
			// prompt from the cache: what is left is sent uncached.
			b.ReportMetric(per100(gated-max(calls-1, 0)*sysTokens), "uncached-tokens/100lines")
			b.ReportMetric(per100(naive), "naive-tokens/100lines")
			b.ReportMetric(float64(gated)/float64(naive), "gated/naive")
			b.ReportMetric(float64(calls), "calls")
			b.ReportMetric(float64(asked), "units-asked")
			b.ReportMetric(float64(skipped), "units-skipped")
		})
	}
}

// syntheticChange commits benchFile's base and head versions of
// benchPackages packages and returns the repository, base and head.
func syntheticChange(b *testing.B) (string, string, string) {
	r := testenv.NewRepo(b)
	base := map[string]string{"go.mod": testenv.GoMod}
	head := map[string]string{}
	for p := 0; p < benchPackages; p++ {
		pkg := fmt.Sprintf("pkg%d", p)
		base[pkg+"/"+pkg+".go"] = benchFile(pkg, false)
		head[pkg+"/"+pkg+".go"] = benchFile(pkg, true)
	}
	r.Write(base)
	baseRev := r.Commit("base")
	r.Write(head)
	return r.Dir, baseRev, r.Commit("head")
}
