package llm

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// recordingTransport answers every request with a fixed completion and
// keeps the request; nothing leaves the process.
type recordingTransport struct{ reqs []*http.Request }

func (t *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.reqs = append(t.reqs, req)
	body := `{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"{}"}}],"usage":{"prompt_tokens":1,"completion_tokens":1}}`
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
}

func TestEndpointShapes(t *testing.T) {
	cases := []struct {
		name, base, model      string
		wantURL, header, value string
	}{
		{"openai default", "", "gpt-4.1-mini", "https://api.openai.com/v1/chat/completions", "Authorization", "Bearer k"},
		{"ollama", "http://localhost:11434/v1", "qwen2.5-coder:14b", "http://localhost:11434/v1/chat/completions", "Authorization", "Bearer k"},
		{"azure deployment", "https://res.openai.azure.com", "my-deploy", "https://res.openai.azure.com/openai/deployments/my-deploy/chat/completions?api-version=2024-10-21", "Api-Key", "k"},
		{"azure v1", "https://res.openai.azure.com/openai/v1", "my-deploy", "https://res.openai.azure.com/openai/v1/chat/completions", "Api-Key", "k"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := &recordingTransport{}
			cl := newClient(Endpoint{BaseURL: tc.base, APIKey: "k", Model: tc.model}, &http.Client{Transport: rt, Timeout: time.Minute})
			c := &caller{client: cl, model: tc.model, maxOut: 100}
			if _, err := c.complete(context.Background(), "sys json", "user"); err != nil {
				t.Fatal(err)
			}
			if len(rt.reqs) != 1 {
				t.Fatalf("%d requests", len(rt.reqs))
			}
			got := rt.reqs[0]
			if got.URL.String() != tc.wantURL || got.Header.Get(tc.header) != tc.value {
				t.Errorf("URL %s, %s=%q", got.URL, tc.header, got.Header.Get(tc.header))
			}
		})
	}
}

func TestEndpointValidate(t *testing.T) {
	for _, bad := range []string{"localhost:11434", "ftp://x/v1", "http://"} {
		if err := (Endpoint{BaseURL: bad}).Validate(); err == nil || !strings.Contains(err.Error(), EnvBaseURL) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if err := (Endpoint{BaseURL: "http://127.0.0.1:8080/v1"}).Validate(); err != nil {
		t.Error(err)
	}
}

func TestReasoningModelsGetMaxCompletionTokens(t *testing.T) {
	c := &caller{model: "o3-mini", maxOut: 10}
	if r := c.request("s", "u", formatText); r.MaxCompletionTokens != 10 || r.Temperature != 0 {
		t.Errorf("o3-mini: %+v", r)
	}
	c.model = "gpt-4o"
	//lint:ignore SA1019 checking the field the code sets on purpose
	if r := c.request("s", "u", formatText); r.MaxTokens != 10 {
		t.Errorf("gpt-4o: max_tokens not set")
	}
}

func TestDescribeNamesTheFix(t *testing.T) {
	cases := map[int]string{401: EnvAPIKey, 404: EnvModel, 429: "rate limited", 503: "503"}
	for code, want := range cases {
		err := &openai.APIError{HTTPStatusCode: code, Message: "m"}
		if got := describe(err); !strings.Contains(got, want) {
			t.Errorf("%d: %q lacks %q", code, got, want)
		}
	}
	if got := describe(errors.New("dial tcp 127.0.0.1:1: connect: connection refused")); !strings.Contains(got, "connection refused") {
		t.Errorf("%q", got)
	}
}
