package jobs

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	gh "github.com/google/go-github/v62/github"

	"github.com/prodready/prodready/review"
	"github.com/prodready/prodready/review/config"
)

// fixedCode is fetchCode with the finding fixed: the client has a timeout.
// The import block changes too, which the LLM stage never asks about, so
// the file carries a "not asked" note.
const fixedCode = `package m

import (
	"net/http"
	"time"
)

var client = &http.Client{Timeout: 10 * time.Second}

// Fetch gets a page.
func Fetch(url string) error {
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
`

// A finding fixed by a push gets its "Fixed in" reply and its thread
// resolved, with the LLM off and on. With the LLM on, the fixed file has
// units the model was not asked about; such notes are not skipped paths.
func TestPipelineFixedFindingResolvesItsThread(t *testing.T) {
	for _, withLLM := range []bool{false, true} {
		name := "llm-off"
		if withLLM {
			name = "llm-on"
		}
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			var calls atomic.Int32
			if withLLM {
				stage := modelStage(t, fakeModel(t, &calls), nil)
				f.p.NewAsker = func(context.Context, config.Config) (review.Asker, error) { return stage, nil }
			}
			var notes [][]string
			inner := f.p.Publisher
			f.p.Publisher = PublisherFunc(func(ctx context.Context, c *gh.Client, tg Target, res *review.Result) error {
				var ns []string
				for _, n := range res.Notes() {
					ns = append(ns, string(n.Kind)+" "+n.Path)
				}
				notes = append(notes, ns)
				return inner.Publish(ctx, c, tg, res)
			})
			ctx := context.Background()
			if err := f.p.Review(ctx, f.job(1)); err != nil {
				t.Fatal(err)
			}
			cs := f.g.API.ReviewComments("octo", "shop", 7)
			if len(cs) != 1 {
				t.Fatalf("review comments = %d, want the http.Get finding", len(cs))
			}
			first := cs[0].GetID()

			fixed := f.repo.Push("feature", map[string]string{"price.go": fixedCode})
			f.repo.MovePR(7, f.base, fixed)
			f.head = fixed
			if err := f.p.Review(ctx, f.job(2)); err != nil {
				t.Fatal(err)
			}
			if withLLM {
				if calls.Load() == 0 {
					t.Fatal("the model was never asked; the test does not cover the LLM stage")
				}
				if !strings.Contains(strings.Join(notes[1], ","), "not-asked price.go") {
					t.Fatalf("notes of the second review = %v; want a not-asked note on price.go (what used to block the resolve)", notes[1])
				}
			}
			var reply string
			for _, c := range f.g.API.ReviewComments("octo", "shop", 7) {
				if c.GetInReplyTo() == first {
					reply = c.GetBody()
				}
			}
			if !strings.HasPrefix(reply, "Fixed in "+fixed) {
				t.Errorf("reply to the fixed comment = %q, want \"Fixed in %s\"", reply, fixed)
			}
			if !f.g.API.Resolved("octo", "shop", 7, first) {
				t.Errorf("the fixed comment's thread is not resolved")
			}
			if sum := f.g.Summaries("octo", "shop", 7); len(sum) != 1 || !strings.Contains(sum[0].GetBody(), "1 fixed since the last review") {
				t.Errorf("summary = %+v; want one, counting the fix", sum)
			}
		})
	}
}
