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
