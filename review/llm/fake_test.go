package llm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"
	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist"
	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/internal/httpretry"
	"github.com/prodready/prodready/internal/testenv"
	"github.com/prodready/prodready/review"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/llm"
)

const testKey = "sk-test-key"

// fakeModel is a chat-completions server on 127.0.0.1 that enforces the
// rules of OpenAI's API a client can break (method, path, bearer key, JSON
// body, model, messages, response_format) and plays the model with a script.
type fakeModel struct {
	t   testing.TB
	srv *httptest.Server

	mu          sync.Mutex
	requests    int
	inFlight    int
	maxInFlight int
	bodies      []openai.ChatCompletionRequest
	// script answers request n (1-based). It may write any response.
	script func(n int, req openai.ChatCompletionRequest, w http.ResponseWriter, r *http.Request)
	// rejectSchema answers 400 to response_format json_schema, as servers
	// without structured output do.
	rejectSchema bool
	// gate, when set, is called with the request in flight (concurrency tests).
	gate func()
}

func newFakeModel(t testing.TB, script func(n int, req openai.ChatCompletionRequest, w http.ResponseWriter, r *http.Request)) *fakeModel {
	t.Helper()
	m := &fakeModel{t: t, script: script}
	m.srv = httptest.NewServer(http.HandlerFunc(m.serve))
	t.Cleanup(m.srv.Close)
	return m
}

func (m *fakeModel) url() string { return m.srv.URL + "/v1" }

func (m *fakeModel) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.requests
}

func apiError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": msg, "type": "invalid_request_error", "param": nil, "code": nil}})
}

func (m *fakeModel) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		apiError(w, http.StatusNotFound, "Invalid URL ("+r.Method+" "+r.URL.Path+")")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+testKey {
		apiError(w, http.StatusUnauthorized, "Incorrect API key provided.")
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		apiError(w, http.StatusBadRequest, "Content-Type must be application/json")
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		apiError(w, http.StatusBadRequest, "could not read body")
		return
	}
	var req openai.ChatCompletionRequest
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&req); err != nil {
		apiError(w, http.StatusBadRequest, "We could not parse the JSON body of your request.")
		return
	}
	switch {
	case req.Model == "":
		apiError(w, http.StatusBadRequest, "you must provide a model parameter")
		return
	case len(req.Messages) == 0:
		apiError(w, http.StatusBadRequest, "'messages' is a required property")
		return
	case req.Stream:
		apiError(w, http.StatusBadRequest, "stream not expected")
		return
	}
	for _, msg := range req.Messages {
		if msg.Role != "system" && msg.Role != "user" && msg.Role != "assistant" {
			apiError(w, http.StatusBadRequest, "invalid role "+msg.Role)
			return
		}
	}
	if rf := req.ResponseFormat; rf != nil {
		switch rf.Type {
		case "json_schema":
			if m.rejectSchema {
				apiError(w, http.StatusBadRequest, "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.")
				return
			}
			if rf.JSONSchema == nil || rf.JSONSchema.Name == "" || rf.JSONSchema.Schema == nil {
				apiError(w, http.StatusBadRequest, "Missing required parameter: 'response_format.json_schema'.")
				return
			}
		case "json_object":
			if !strings.Contains(strings.ToLower(req.Messages[0].Content+req.Messages[len(req.Messages)-1].Content), "json") {
				apiError(w, http.StatusBadRequest, "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.")
				return
			}
		case "text":
		default:
			apiError(w, http.StatusBadRequest, "Invalid value for 'response_format.type'")
			return
		}
	}
	m.mu.Lock()
	m.requests++
	n := m.requests
	m.inFlight++
	if m.inFlight > m.maxInFlight {
		m.maxInFlight = m.inFlight
	}
	m.bodies = append(m.bodies, req)
	gate := m.gate
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.inFlight--
		m.mu.Unlock()
	}()
	if gate != nil {
		gate()
	}
	m.script(n, req, w, r)
}

// reply writes a chat completion whose message content is content.
func reply(w http.ResponseWriter, req openai.ChatCompletionRequest, content string) {
	in := 0
	for _, msg := range req.Messages {
		in += len(msg.Content) / 4
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-test", "object": "chat.completion", "created": 1700000000, "model": req.Model,
		"choices": []map[string]any{{"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": content}}},
		"usage": map[string]any{"prompt_tokens": in, "completion_tokens": len(content)/4 + 1, "total_tokens": in + len(content)/4 + 1},
	})
}

var unitRE = regexp.MustCompile(`Unit \d+: (?:function literal|function|change outside functions) (.+?) in (\S+) \(new-file lines (\d+)-(\d+)\)`)

// unitsOf reads which units a request asks about, by name.
func unitsOf(req openai.ChatCompletionRequest) []string {
	var out []string
	for _, m := range unitRE.FindAllStringSubmatch(req.Messages[len(req.Messages)-1].Content, -1) {
		out = append(out, m[1])
	}
	return out
}

// asks reports whether a request asks about the unit named name.
func asks(req openai.ChatCompletionRequest, name string) bool {
	for _, n := range unitsOf(req) {
		if n == name {
			return true
		}
	}
	return false
}

// Test repository: a payment handler that charges, then writes a row.

const basePay = `package pay

import (
	"context"
	"database/sql"
	"net/http"
)

// Store keeps orders.
type Store struct {
	DB     *sql.DB
	Client *http.Client
}

// Charge charges an order.
func (s *Store) Charge(ctx context.Context, id string) error {
	// TODO
	return nil
}

func double(x int) int { return x * 2 }
`

const headPay = `package pay

import (
	"context"
	"database/sql"
	"net/http"
)

// Limit caps orders per batch.
const Limit = 100

// Store keeps orders.
type Store struct {
	DB     *sql.DB
	Client *http.Client
}

// Charge charges an order.
func (s *Store) Charge(ctx context.Context, id string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://pay.example/charge/"+id, nil)
	if err != nil {
		return err
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = s.DB.ExecContext(ctx, "INSERT INTO orders(id) VALUES ($1)", id)
	return err
}

func double(x int) int { return x*2 + 0 }
`

// payRepo builds a repository with basePay committed on main and headPay on
// top; it returns the repo, base and head.
func payRepo(t testing.TB, head string, extra map[string]string) (*testenv.Repo, string, string) {
	t.Helper()
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": testenv.GoMod, "pay/pay.go": basePay, "README.md": "# svc\n"})
	base := r.Commit("base")
	files := map[string]string{"pay/pay.go": head}
	for k, v := range extra {
		files[k] = v
	}
	r.Write(files)
	return r, base, r.Commit("head")
}

// lineOf returns the 1-based line of src holding sub (the first).
func lineOf(t testing.TB, src, sub string) int {
	t.Helper()
	for i, l := range strings.Split(src, "\n") {
		if strings.Contains(l, sub) {
			return i + 1
		}
	}
	t.Fatalf("no line holds %q", sub)
	return 0
}

// fakeClock records the waits the retrying transport asks for and never sleeps.
type fakeClock struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	return ctx.Err()
}

func (c *fakeClock) total() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	var t time.Duration
	for _, w := range c.waits {
		t += w
	}
	return t
}

// stageFor builds the stage against m with a fake clock.
func stageFor(t testing.TB, m *fakeModel, clock *fakeClock, mod func(*llm.Options)) *llm.Stage {
	t.Helper()
	opts := llm.Options{
		Endpoint: llm.Endpoint{BaseURL: m.url(), APIKey: testKey, Model: "test-model"},
		Retry:    httpretry.Transport{Sleep: clock.Sleep},
	}
	if mod != nil {
		mod(&opts)
	}
	s, err := llm.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// recorder keeps the AskInput the pipeline passed, to check grounding
// against the real patch.
type recorder struct {
	inner review.Asker
	in    *review.AskInput
}

func (r *recorder) Ask(ctx context.Context, in *review.AskInput) (*review.AskOutput, error) {
	r.in = in
	return r.inner.Ask(ctx, in)
}

// execCheck is a tiny checklist entry for the tests: it flags every
// ExecContext call, so that the tests do not depend on the real catalog.
func execCheck() *checklist.Check {
	a := &analysis.Analyzer{
		Name: "test_exec",
		Doc:  "flags ExecContext calls (test only)",
		Run: func(pass *analysis.Pass) (any, error) {
			for _, f := range pass.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "ExecContext" {
						pass.Reportf(sel.Sel.Pos(), "the write after the charge is not in a transaction with it")
					}
					return true
				})
			}
			return nil, nil
		},
	}
	return &checklist.Check{ID: "test-exec", Question: finding.FailsHalfway, Severity: finding.SeverityError,
		Title: "test", Analyzer: a}
}

// runReview runs the whole pipeline over base..head with asker.
func runReview(t testing.TB, r *testenv.Repo, base, head string, asker review.Asker, checks ...*checklist.Check) (*finding.Report, *review.AskInput) {
	t.Helper()
	return runReviewConfig(t, r, base, head, asker, config.Config{}, checks...)
}

// runReviewConfig is runReview with a repository config.
func runReviewConfig(t testing.TB, r *testenv.Repo, base, head string, asker review.Asker, cfg config.Config, checks ...*checklist.Check) (*finding.Report, *review.AskInput) {
	t.Helper()
	rec := &recorder{inner: asker}
	if checks == nil {
		checks = []*checklist.Check{}
	}
	res, err := review.Run(context.Background(), review.Options{
		Dir: r.Dir, Base: base, Head: head, Asker: rec, Checks: checks, Config: cfg,
	})
	if err != nil {
		t.Fatalf("review.Run: %v", err)
	}
	return res.Report, rec.in
}

// assertGrounded fails for any model finding that is not on a changed line
// of a changed Go file, or whose LineText is not that line.
func assertGrounded(t testing.TB, rep *finding.Report, in *review.AskInput, head string) {
	t.Helper()
	lines := strings.Split(head, "\n")
	for _, f := range rep.Findings {
		if f.Source != finding.SourceLLM {
			continue
		}
		pf := in.Patch.File(f.Path)
		if pf == nil || !pf.Added(f.Line) || !strings.HasSuffix(f.Path, ".go") {
			t.Errorf("ungrounded finding let through: %s:%d %q", f.Path, f.Line, f.Message)
			continue
		}
		if f.Path == "pay/pay.go" && f.LineText != lines[f.Line-1] {
			t.Errorf("finding %s:%d carries line text %q, want %q", f.Path, f.Line, f.LineText, lines[f.Line-1])
		}
		if !f.Question.Valid() || f.Check != "llm" || f.Fingerprint == "" {
			t.Errorf("finding %s:%d: question %q check %q fingerprint %q", f.Path, f.Line, f.Question, f.Check, f.Fingerprint)
		}
	}
}

func answerJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type c = map[string]any

func comment(line int, quote, q, body string) c {
	return c{"path": "pay/pay.go", "line": line, "quote": quote, "question": q, "severity": "error", "body": body}
}

func llmFindings(rep *finding.Report) []finding.Finding {
	var out []finding.Finding
	for _, f := range rep.Findings {
		if f.Source == finding.SourceLLM {
			out = append(out, f)
		}
	}
	return out
}

func describeFindings(fs []finding.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "\n  %s:%d %s %s %s %q", f.Path, f.Line, f.Check, f.Question, f.Source, f.Message)
	}
	return b.String()
}
