package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/prodready/prodready/github/app"
	"github.com/prodready/prodready/github/jobs"
)

// stubQueue answers every enqueue with its job 1; from the second on, as a
// duplicate.
type stubQueue struct {
	mu sync.Mutex
	n  int
}

func (q *stubQueue) Enqueue(context.Context, jobs.ReviewArgs) (jobs.Enqueued, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.n++
	return jobs.Enqueued{JobID: 1, Duplicate: q.n > 1}, nil
}

// A redelivery is routine: its "review job stored" line is at DEBUG, the
// first delivery's at INFO.
func TestDuplicateDeliveryLoggedAtDebug(t *testing.T) {
	var logs bytes.Buffer
	h := &app.Webhook{Secret: []byte(secret), Queue: &stubQueue{},
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	srv := httptest.NewServer(h)
	defer srv.Close()
	p := []byte(`{"action":"opened","number":7,"installation":{"id":1},
		"repository":{"name":"shop","owner":{"login":"octo"},"clone_url":"https://github.com/octo/shop.git"},
		"pull_request":{"number":7,"state":"open","head":{"sha":"` + strings.Repeat("a", 40) + `"},"base":{"sha":"` + strings.Repeat("b", 40) + `"}}}`)
	for i := 0; i < 2; i++ {
		deliver(t, strings.TrimSuffix(srv.URL, "/"), "pull_request", "same", p, sign(secret, p))
	}
	// deliver posts to url+"/webhook"; the bare handler serves every path.
	var levels []string
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec struct {
			Level, Msg string
			Duplicate  bool
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec.Msg == "review job stored" {
			levels = append(levels, rec.Level)
		}
	}
	if len(levels) != 2 || levels[0] != "INFO" || levels[1] != "DEBUG" {
		t.Fatalf("levels of \"review job stored\" = %v; want [INFO DEBUG]\n%s", levels, logs.String())
	}
}
