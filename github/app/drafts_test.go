package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/prodready/prodready/github/app"
	"github.com/prodready/prodready/github/jobs"
)

// memQueue records what the webhook enqueues.
type memQueue struct {
	mu   sync.Mutex
	args []jobs.ReviewArgs
}

func (q *memQueue) Enqueue(_ context.Context, a jobs.ReviewArgs) (jobs.Enqueued, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.args = append(q.args, a)
	return jobs.Enqueued{JobID: int64(len(q.args))}, nil
}

func TestDraftsOnlyWhenConfigured(t *testing.T) {
	draft := set(t, fixture(t, "pull_request.opened.json"), "pull_request.draft", true)
	for _, drafts := range []bool{false, true} {
		q := &memQueue{}
		srv := httptest.NewServer((&app.Server{Webhook: &app.Webhook{Secret: []byte(secret), Queue: q, Drafts: drafts}}).Handler())
		code := deliver(t, srv.URL, "pull_request", "draft-delivery", draft, sign(secret, draft))
		srv.Close()
		want, wantJobs := http.StatusOK, 0
		if drafts {
			want, wantJobs = http.StatusAccepted, 1
		}
		if code != want || len(q.args) != wantJobs {
			t.Fatalf("Drafts=%v: status %d with %d jobs; want %d with %d", drafts, code, len(q.args), want, wantJobs)
		}
		if drafts {
			a := q.args[0]
			if a.Delivery != "draft-delivery" || a.Owner != "Codertocat" || a.Repo != "Hello-World" || a.Number != 2 ||
				a.InstallationID != 1 || a.HeadSHA != "ec26c3e57ca3a959ca5aad62de7213c562f8c821" || a.Event != "pull_request.opened" {
				t.Fatalf("job args = %+v", a)
			}
		}
	}
}

func TestWebhookRefusesWithoutSecret(t *testing.T) {
	q := &memQueue{}
	srv := httptest.NewServer((&app.Server{Webhook: &app.Webhook{Queue: q}}).Handler())
	defer srv.Close()
	p := fixture(t, "pull_request.opened.json")
	// Signed with the empty key, which go-github would accept: still refused.
	if code := deliver(t, srv.URL, "pull_request", "x", p, sign("", p)); code == http.StatusAccepted {
		t.Fatal("a delivery was accepted with no secret configured")
	}
	if len(q.args) != 0 {
		t.Fatalf("%d jobs", len(q.args))
	}
}
