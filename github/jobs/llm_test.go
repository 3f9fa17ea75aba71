package jobs

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/prodready/prodready/github/store/storetest"
	"github.com/prodready/prodready/review"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/llm"
)

// fakeModel is an OpenAI-compatible endpoint on 127.0.0.1 that demands the
// key sk-test, counts its calls, and answers every unit with one verdict and
// no comment.
func fakeModel(t *testing.T, calls *atomic.Int32) *httptest.Server {
	t.Helper()
	model := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" || r.Header.Get("Authorization") != "Bearer sk-test" {
			http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
			return
		}
		calls.Add(1)
		answer, _ := json.Marshal(map[string]any{
			"verdicts": []any{map[string]any{"function": "Fetch", "question": "fails-halfway", "verdict": "risk", "reason": "no timeout"}},
			"comments": []any{},
		})
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id": "c1", "object": "chat.completion", "model": "m",
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": string(answer)}}},
			"usage": map[string]any{"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
		})
	}))
	t.Cleanup(model.Close)
	return model
}

// modelStage is the LLM stage on the fake model, caching in cache (nil: none).
func modelStage(t *testing.T, model *httptest.Server, cache llm.Cache) *llm.Stage {
	t.Helper()
	stage, err := llm.New(llm.Options{Endpoint: llm.Endpoint{BaseURL: model.URL + "/v1", APIKey: "sk-test", Model: "m"}, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	return stage
}

// The LLM stage's answers are cached in the App's database: a second review
// of the same change asks the model nothing, and tokens are counted.
func TestPipelineLLMAnswersCachedInDatabase(t *testing.T) {
	var calls atomic.Int32
	model := fakeModel(t, &calls)
	for _, b := range storetest.Backends {
		t.Run(b, func(t *testing.T) {
			calls.Store(0)
			st := storetest.Open(t, b, "")
			stage := modelStage(t, model, st)
			f := newFixture(t)
			f.p.NewAsker = func(context.Context, config.Config) (review.Asker, error) { return stage, nil }
			for id := int64(1); id <= 2; id++ {
				if err := f.p.Review(context.Background(), f.job(id)); err != nil {
					t.Fatal(err)
				}
			}
			if n := calls.Load(); n != 1 {
				t.Fatalf("the model was asked %d times over two reviews of one change, want 1 (cached)", n)
			}
			if v := testutil.ToFloat64(f.metrics.LLMTokens.WithLabelValues("in")); v != 100 {
				t.Errorf("llm tokens in = %v, want 100 (the cached review costs none)", v)
			}
		})
	}
}
