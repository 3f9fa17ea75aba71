package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/prodready/prodready/internal/httpretry"
)

// Environment variables that configure the endpoint.
const (
	EnvAPIKey     = "OPENAI_API_KEY"
	EnvBaseURL    = "OPENAI_BASE_URL"
	EnvModel      = "PRODREADY_MODEL"
	EnvAPIVersion = "OPENAI_API_VERSION"
)

// DefaultModel is used when neither PRODREADY_MODEL nor the config names one.
const DefaultModel = "gpt-4.1-mini"

// defaultAzureAPIVersion is the api-version sent to Azure OpenAI deployment
// URLs when OPENAI_API_VERSION is unset.
const defaultAzureAPIVersion = "2024-10-21"

// Endpoint is an OpenAI-compatible chat-completions endpoint.
type Endpoint struct {
	// BaseURL is the API root, e.g. https://api.openai.com/v1 (the default)
	// or http://localhost:11434/v1 for Ollama.
	BaseURL string
	APIKey  string
	Model   string
	// APIVersion is only used for Azure OpenAI deployment URLs.
	APIVersion string
}

// EndpointFromEnv reads OPENAI_BASE_URL, OPENAI_API_KEY, PRODREADY_MODEL and
// OPENAI_API_VERSION.
func EndpointFromEnv(getenv func(string) string) Endpoint {
	return Endpoint{
		BaseURL:    strings.TrimSpace(getenv(EnvBaseURL)),
		APIKey:     strings.TrimSpace(getenv(EnvAPIKey)),
		Model:      strings.TrimSpace(getenv(EnvModel)),
		APIVersion: strings.TrimSpace(getenv(EnvAPIVersion)),
	}
}

// Validate checks the base URL, so that a typo is one clear error before the
// review starts rather than an unreachable endpoint after retries.
func (e Endpoint) Validate() error {
	if e.BaseURL == "" {
		return nil
	}
	u, err := url.Parse(e.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s=%q is not an http(s) URL; set it to the API root, e.g. https://api.openai.com/v1", EnvBaseURL, e.BaseURL)
	}
	return nil
}

// host names the endpoint in messages, without credentials or query.
func (e Endpoint) host() string {
	if e.BaseURL == "" {
		return "api.openai.com"
	}
	if u, err := url.Parse(e.BaseURL); err == nil && u.Host != "" {
		return u.Host
	}
	return "the configured endpoint"
}

// isAzure reports whether base is an Azure OpenAI host.
func isAzure(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	h := strings.ToLower(u.Hostname())
	return strings.HasSuffix(h, ".openai.azure.com") || strings.HasSuffix(h, ".cognitiveservices.azure.com")
}

// headerTransport adds one header to every request.
type headerTransport struct {
	base       http.RoundTripper
	key, value string
}

func (t *headerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set(t.key, t.value)
	return t.base.RoundTrip(req)
}

func transportOf(c *http.Client) http.RoundTripper {
	if c.Transport != nil {
		return c.Transport
	}
	return http.DefaultTransport
}

// isAzureDeployment reports whether base is a classic Azure OpenAI resource
// URL, which needs the api-key header, deployments in the path and an
// api-version. Azure's /openai/v1 API is plain OpenAI-compatible.
func isAzureDeployment(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	return isAzure(base) && !strings.Contains(u.Path, "/openai/v1")
}

// newClient builds the go-openai client over hc.
func newClient(e Endpoint, hc *http.Client) *openai.Client {
	var cfg openai.ClientConfig
	if e.BaseURL != "" && isAzureDeployment(e.BaseURL) {
		cfg = openai.DefaultAzureConfig(e.APIKey, strings.TrimRight(e.BaseURL, "/"))
		cfg.APIVersion = e.APIVersion
		if cfg.APIVersion == "" {
			cfg.APIVersion = defaultAzureAPIVersion
		}
		// The model name is the deployment name; use it as given.
		cfg.AzureModelMapperFunc = func(model string) string { return model }
	} else {
		cfg = openai.DefaultConfig(e.APIKey)
		if e.BaseURL != "" {
			cfg.BaseURL = strings.TrimRight(e.BaseURL, "/")
		}
		if isAzure(e.BaseURL) {
			// Azure's /openai/v1 API takes the key as a bearer token or in
			// api-key; send both, so either kind of key works.
			inner := hc
			hc = &http.Client{Timeout: inner.Timeout, Transport: &headerTransport{base: transportOf(inner), key: "api-key", value: e.APIKey}}
		}
	}
	cfg.HTTPClient = hc
	return openai.NewClientWithConfig(cfg)
}

// newHTTPClient sends every call through the retrying transport, caps the
// answer's size, and bounds the whole call by deadline.
func newHTTPClient(rt *httpretry.Transport, deadline time.Duration) *http.Client {
	return &http.Client{
		Timeout:   deadline,
		Transport: &limitTransport{base: rt, max: maxAnswerBytes},
	}
}

// maxAnswerBytes caps one HTTP answer from the model endpoint.
const maxAnswerBytes = 16 << 20

// limitTransport fails a response body that grows past max, so that a
// misbehaving endpoint cannot exhaust memory (go-openai reads bodies whole).
type limitTransport struct {
	base http.RoundTripper
	max  int64
}

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{rc: resp.Body, left: t.max}
	return resp, nil
}

type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, fmt.Errorf("model answer over %d bytes", maxAnswerBytes)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }

// Response formats, from most to least structured. A run starts at the top
// and steps down for the rest of the review when the endpoint rejects one.
const (
	formatSchema int32 = iota
	formatJSONObject
	formatText
)

// answerSchema is the JSON schema of the answer contract in DESIGN.md.
const answerSchema = `{
 "type":"object",
 "properties":{
  "verdicts":{"type":"array","items":{"type":"object","properties":{
    "function":{"type":"string"},
    "question":{"type":"string","enum":["runs-twice","fails-halfway","under-load"]},
    "verdict":{"type":"string","enum":["risk","ok","unclear","n/a"]},
    "reason":{"type":"string"}},
   "required":["question","verdict","reason"]}},
  "comments":{"type":"array","items":{"type":"object","properties":{
    "path":{"type":"string"},
    "line":{"type":"integer"},
    "end_line":{"type":"integer"},
    "quote":{"type":"string"},
    "question":{"type":"string","enum":["runs-twice","fails-halfway","under-load"]},
    "severity":{"type":"string","enum":["error","warning","info"]},
    "body":{"type":"string"},
    "suggestion":{"type":"string"}},
   "required":["line","quote","question","severity","body"]}}
 },
 "required":["verdicts","comments"]
}`

// completion is one model answer.
type completion struct {
	content             string
	tokensIn, tokensOut int
	calls               int
}

// caller sends chat completions, stepping down the response format when the
// endpoint rejects it. One caller serves one review.
type caller struct {
	client *openai.Client
	model  string
	maxOut int
	format atomic.Int32
}

// reasoningModel reports whether model takes max_completion_tokens and no
// temperature (OpenAI's o-series and gpt-5).
func reasoningModel(model string) bool {
	m := strings.ToLower(model)
	if i := strings.LastIndexByte(m, '/'); i >= 0 {
		m = m[i+1:]
	}
	for _, p := range []string{"o1", "o3", "o4", "gpt-5"} {
		if strings.HasPrefix(m, p) {
			return true
		}
	}
	return false
}

func (c *caller) request(system, user string, format int32) openai.ChatCompletionRequest {
	req := openai.ChatCompletionRequest{
		Model: c.model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: system},
			{Role: openai.ChatMessageRoleUser, Content: user},
		},
	}
	if reasoningModel(c.model) {
		req.MaxCompletionTokens = c.maxOut
	} else {
		// Ollama, vLLM and the llama.cpp server read max_tokens; OpenAI
		// still accepts it for non-reasoning models.
		//lint:ignore SA1019 max_completion_tokens is not understood by every OpenAI-compatible server
		req.MaxTokens = c.maxOut
		req.Temperature = 0.1
	}
	switch format {
	case formatSchema:
		req.ResponseFormat = &openai.ChatCompletionResponseFormat{
			Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
				Name: "prodready_review", Schema: json.RawMessage(answerSchema), Strict: false,
			},
		}
	case formatJSONObject:
		req.ResponseFormat = &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
	}
	return req
}

// complete asks once (plus format fallbacks). Retries of transient failures
// happen below, in the HTTP transport.
func (c *caller) complete(ctx context.Context, system, user string) (completion, error) {
	var out completion
	for {
		format := c.format.Load()
		resp, err := c.client.CreateChatCompletion(ctx, c.request(system, user, format))
		out.calls++
		if err != nil {
			if format < formatText && formatRejected(err) {
				c.format.CompareAndSwap(format, format+1)
				continue
			}
			return out, err
		}
		out.tokensIn += resp.Usage.PromptTokens
		out.tokensOut += resp.Usage.CompletionTokens
		if resp.Usage.PromptTokens == 0 {
			out.tokensIn += estimate(system) + estimate(user)
		}
		if len(resp.Choices) > 0 {
			out.content = resp.Choices[0].Message.Content
			if resp.Usage.CompletionTokens == 0 {
				out.tokensOut += estimate(out.content)
			}
		}
		return out, nil
	}
}

func estimate(s string) int { return (len(s) + 2) / 3 }

// httpStatus returns the HTTP status of a go-openai error, or 0.
func httpStatus(err error) (int, string) {
	var ae *openai.APIError
	if errors.As(err, &ae) {
		return ae.HTTPStatusCode, ae.Message
	}
	var re *openai.RequestError
	if errors.As(err, &re) {
		return re.HTTPStatusCode, string(re.Body)
	}
	return 0, ""
}

// formatRejected reports whether the endpoint refused the response format,
// as servers without structured output do with a 400 naming it.
func formatRejected(err error) bool {
	code, msg := httpStatus(err)
	if code != http.StatusBadRequest && code != http.StatusUnprocessableEntity {
		return false
	}
	msg = strings.ToLower(msg)
	for _, w := range []string{"response_format", "json_schema", "schema", "json_object", "format"} {
		if strings.Contains(msg, w) {
			return true
		}
	}
	return false
}

// permanent reports whether err concerns this request only (too long, bad
// content): the unit is listed as not asked and the review goes on. Any
// other failure means the endpoint is unusable.
func permanent(err error) bool {
	code, _ := httpStatus(err)
	return code == http.StatusBadRequest || code == http.StatusRequestEntityTooLarge || code == http.StatusUnprocessableEntity
}

// describe turns a call error into one line naming the cause and, where
// there is one, the fix.
func describe(err error) string {
	code, msg := httpStatus(err)
	msg = oneLine(msg, 200)
	switch {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return fmt.Sprintf("HTTP %d %s: check %s", code, msg, EnvAPIKey)
	case code == http.StatusNotFound:
		return fmt.Sprintf("HTTP 404 %s: check %s and %s", msg, EnvBaseURL, EnvModel)
	case code == http.StatusTooManyRequests:
		return fmt.Sprintf("HTTP 429 rate limited after retries: %s", msg)
	case code != 0:
		return fmt.Sprintf("HTTP %d after retries: %s", code, msg)
	case errors.Is(err, context.DeadlineExceeded):
		return "no answer before the deadline"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return oneLine(ue.Err.Error(), 300) + " (after retries); check " + EnvBaseURL
	}
	return oneLine(err.Error(), 300)
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}
