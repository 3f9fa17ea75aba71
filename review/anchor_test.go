package review

import (
	"context"
	"strings"
	"testing"

	"github.com/prodready/prodready/checklist"
	"github.com/prodready/prodready/internal/testenv"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/patch"
)

const anchorStore = `package store

import (
	"context"
	"database/sql"
)

type Store struct{ DB *sql.DB }

func (s *Store) RecordRefund(ctx context.Context, id string) error {
	_, err := s.DB.ExecContext(ctx, "INSERT INTO refunds (charge_id) VALUES ($1)", id)
	return err
}
`

const anchorHookBase = `package hook

import (
	"net/http"

	"example.com/svc/store"
)

type H struct{ S *store.Store }

func (h *H) StripeWebhook(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}
`

// TestAnchorOnChain: a change that only adds a call from a webhook handler
// to an existing repository insert is reported on the added call, with the
// insert's place named, although the insert's package is not in the diff.
func TestAnchorOnChain(t *testing.T) {
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": testenv.GoMod, "store/store.go": anchorStore, "hook/hook.go": anchorHookBase})
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write(map[string]string{"hook/hook.go": strings.Replace(anchorHookBase, "\tw.WriteHeader", "\t_ = h.S.RecordRefund(r.Context(), r.FormValue(\"id\"))\n\tw.WriteHeader", 1)})
	r.Commit("record refunds")
	res, err := Run(context.Background(), Options{Dir: r.Dir, Base: "main", Flags: config.Flags{Filter: string(patch.FilterAdded)},
		Checks: []*checklist.Check{checklist.Lookup("insert-not-idempotent")}})
	if err != nil {
		t.Fatal(err)
	}
	rep := res.Report
	if len(rep.Findings) != 1 {
		t.Fatalf("want 1 finding anchored on the new call, got %+v", rep.Findings)
	}
	f := rep.Findings[0]
	if f.Path != "hook/hook.go" || f.Line != 12 || !strings.Contains(f.Message, "brings store/store.go:11 within reach") ||
		!strings.Contains(f.Message, "`(*Store).RecordRefund`") {
		t.Fatalf("finding: %+v", f)
	}
}

// chainAsker is an Asker that records the chains the review's program model
// gives for one function, as the LLM stage would ask for them.
type chainAsker struct {
	path   string
	line   int
	chains []string
	asked  bool
}

func (a *chainAsker) Ask(_ context.Context, in *AskInput) (*AskOutput, error) {
	a.asked = true
	if in.Reach != nil {
		a.chains = in.Reach.ChainsTo(a.path, a.line)
	}
	return &AskOutput{Findings: in.Findings}, nil
}

// TestReachReachesTheAsker: the LLM stage gets, with each review, the chains
// from entry points that its program model found, so a changed helper's
// prompt can name the webhook that reaches it.
func TestReachReachesTheAsker(t *testing.T) {
	r := testenv.NewRepo(t)
	r.Write(map[string]string{
		"go.mod":         "module example.com/svc\n\ngo 1.22\n",
		"store/store.go": anchorStore,
		"hook/hook.go":   strings.Replace(anchorHookBase, "\tw.WriteHeader", "\t_ = h.S.RecordRefund(r.Context(), r.FormValue(\"id\"))\n\tw.WriteHeader", 1),
	})
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write(map[string]string{"store/store.go": strings.Replace(anchorStore, "return err", "if err != nil {\n\t\treturn err\n\t}\n\treturn nil", 1)})
	r.Commit("wrap the error")
	asker := &chainAsker{path: "store/store.go", line: 10}
	if _, err := Run(context.Background(), Options{Dir: r.Dir, Base: "main", Asker: asker}); err != nil {
		t.Fatal(err)
	}
	if !asker.asked {
		t.Fatal("the asker was not called")
	}
	if len(asker.chains) == 0 || !strings.Contains(strings.Join(asker.chains, "\n"), "StripeWebhook") {
		t.Fatalf("chains to (*Store).RecordRefund = %q, want one from the webhook handler StripeWebhook", asker.chains)
	}
}
