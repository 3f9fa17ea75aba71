package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prodready/prodready/internal/testenv"
)

const cliBase = `package pay

import "net/http"

func Fetch(c *http.Client) error {
	return nil
}
`

const cliHead = `package pay

import "net/http"

func Fetch(c *http.Client) error {
	resp, err := c.Get("https://pay.example/price")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
`

func cliRepo(t *testing.T) (string, string, string) {
	t.Helper()
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": testenv.GoMod, "pay/pay.go": cliBase})
	base := r.Commit("base")
	r.Write(map[string]string{"pay/pay.go": cliHead})
	return r.Dir, base, r.Commit("head")
}

// runLLMCLI runs prodready with env vars and the user cache directory moved
// to a temporary one; it returns the exit code, stdout and stderr.
func runLLMCLI(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	if os.Getenv("GOCACHE") == "" {
		// Keep the go command's build cache where it is while the user cache
		// directory moves.
		if dir, err := os.UserCacheDir(); err == nil {
			t.Setenv("GOCACHE", filepath.Join(dir, "go-build"))
		}
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // the LLM disk cache goes here, not in the real home
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }}
	code := Main(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func oneLine(t *testing.T, s string) {
	t.Helper()
	if strings.Count(strings.TrimRight(s, "\n"), "\n") != 0 || s == "" {
		t.Errorf("want exactly one stderr line, got %q", s)
	}
}

func TestLLMOnWithoutKeyIsAUsageError(t *testing.T) {
	dir, base, head := cliRepo(t)
	code, _, stderr := runLLMCLI(t, nil, "review", "--repo", dir, "--base", base, "--head", head, "--llm", "on")
	if code != ExitUsage || !strings.Contains(stderr, "OPENAI_API_KEY") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	oneLine(t, stderr)
}

func TestLLMAutoWithoutKeySaysDeterministicOnly(t *testing.T) {
	dir, base, head := cliRepo(t)
	code, _, stderr := runLLMCLI(t, nil, "review", "--repo", dir, "--base", base, "--head", head)
	if code != ExitOK || !strings.Contains(stderr, "deterministic checks only") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestLLMBadFlags(t *testing.T) {
	dir, base, head := cliRepo(t)
	key := map[string]string{"OPENAI_API_KEY": "k"}
	for _, args := range [][]string{
		{"--llm", "maybe"},
		{"--prompts", filepath.Join(t.TempDir(), "missing")},
	} {
		code, _, stderr := runLLMCLI(t, key, append([]string{"review", "--repo", dir, "--base", base, "--head", head}, args...)...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
		oneLine(t, stderr)
	}
	code, _, stderr := runLLMCLI(t, map[string]string{"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": "localhost:11434"},
		"review", "--repo", dir, "--base", base, "--head", head)
	if code != ExitUsage || !strings.Contains(stderr, "OPENAI_BASE_URL") {
		t.Errorf("bad base URL: exit %d, stderr %q", code, stderr)
	}
}

func TestLLMUnreachable(t *testing.T) {
	dir, base, head := cliRepo(t)
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/v1"
	srv.Close() // nothing listens there now
	vars := map[string]string{"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": url}

	code, _, stderr := runLLMCLI(t, vars, "review", "--repo", dir, "--base", base, "--head", head, "--llm", "on")
	if code != ExitFailure || !strings.Contains(stderr, "LLM unavailable") {
		t.Errorf("--llm on: exit %d, stderr %q", code, stderr)
	}
	oneLine(t, stderr)

	code, stdout, _ := runLLMCLI(t, vars, "review", "--repo", dir, "--base", base, "--head", head, "--llm", "auto")
	if code != ExitOK || !strings.Contains(stdout, "LLM unavailable: ") {
		t.Errorf("--llm auto: exit %d, stdout %q", code, stdout)
	}
}

func TestLLMReviewThroughTheCLI(t *testing.T) {
	dir, base, head := cliRepo(t)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path != "/v1/chat/completions" || r.Header.Get("Authorization") != "Bearer k" {
			http.Error(w, `{"error":{"message":"bad"}}`, http.StatusUnauthorized)
			return
		}
		var req struct {
			Model string `json:"model"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model != "my-model" {
			http.Error(w, `{"error":{"message":"bad model"}}`, http.StatusBadRequest)
			return
		}
		answer := `{"verdicts":[],"comments":[{"line":6,"quote":"c.Get(","question":"under-load","severity":"warning","body":"The client has no timeout: a slow upstream under a burst of 1,000 requests holds 1,000 goroutines."}]}`
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"id": "x", "object": "chat.completion", "model": req.Model,
			"choices": []map[string]any{{"index": 0, "finish_reason": "stop", "message": map[string]any{"role": "assistant", "content": answer}}},
			"usage":   map[string]any{"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}})
	}))
	defer srv.Close()
	vars := map[string]string{"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": srv.URL + "/v1", "PRODREADY_MODEL": "my-model"}
	code, stdout, stderr := runLLMCLI(t, vars, "review", "--repo", dir, "--base", base, "--head", head, "--llm", "on", "--format", "json", "--fail-on", "warning")
	if code != ExitFindings {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var rep struct {
		Findings []struct {
			Line     int    `json:"line"`
			Source   string `json:"source"`
			Question string `json:"question"`
		} `json:"findings"`
		Stats struct {
			LLMCalls int `json:"llm_calls"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Line != 6 || rep.Findings[0].Source != "llm" || rep.Stats.LLMCalls != 1 || calls.Load() != 1 {
		t.Errorf("report %+v, server calls %d", rep, calls.Load())
	}
	// The answer was cached on disk under the user cache directory.
	cache := filepath.Join(os.Getenv("XDG_CACHE_HOME"), "prodready", "llm")
	if entries, err := os.ReadDir(cache); err != nil || len(entries) == 0 {
		t.Errorf("no cache under %s: %v", cache, err)
	}
}
