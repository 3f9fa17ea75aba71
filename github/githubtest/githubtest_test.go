package githubtest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prodready/prodready/github/githubtest"
)

// These tests pin the fake's rules with raw HTTP, so that a test passing
// against the fake means the client spoke the real API's language.

func newPR(t *testing.T) *githubtest.Server {
	t.Helper()
	r := githubtest.NewRepo(t)
	var lines []string
	for i := 1; i <= 40; i++ {
		lines = append(lines, "line")
	}
	r.WriteFile("f.go", strings.Join(lines, "\n")+"\n")
	base := r.Commit("base")
	lines[4] = "changed 5"
	lines[29] = "changed 30"
	r.WriteFile("f.go", strings.Join(lines, "\n")+"\n")
	head := r.Commit("head")
	s := githubtest.New(t)
	s.AddToken("w", githubtest.WriteToken("bot"))
	s.AddToken("r", githubtest.ReadOnlyToken("bot"))
	s.AddPR(t, githubtest.PR{Owner: "o", Repo: "r", Number: 7, BaseSHA: base, HeadSHA: head, Diff: r.Diff(base, head)})
	return s
}

func call(t *testing.T, method, url, token string, body any) (int, http.Header, string) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(data)
}

func review(line int, start int) map[string]any {
	c := map[string]any{"path": "f.go", "line": line, "side": "RIGHT", "body": "x"}
	if start > 0 {
		c["start_line"] = start
	}
	return map[string]any{"event": "COMMENT", "body": "b", "comments": []any{c}}
}

func TestFakeEnforcesDiffAnchors(t *testing.T) {
	s := newPR(t)
	u := s.URL + "/repos/o/r/pulls/7/reviews"
	if code, _, body := call(t, "POST", u, "w", review(20, 0)); code != 422 || !strings.Contains(body, "Pull request review thread line must be part of the diff") {
		t.Errorf("line outside hunks: %d %s", code, body)
	}
	if code, _, body := call(t, "POST", u, "w", review(30, 5)); code != 422 || !strings.Contains(body, "same hunk") {
		t.Errorf("start_line in another hunk: %d %s", code, body)
	}
	if code, _, body := call(t, "POST", u, "w", review(6, 4)); code != 200 {
		t.Errorf("range in one hunk: %d %s", code, body)
	}
	if code, _, _ := call(t, "POST", u, "", review(5, 0)); code != 401 {
		t.Errorf("no token: %d", code)
	}
	if code, _, body := call(t, "POST", u, "r", review(5, 0)); code != 403 || !strings.Contains(body, "Resource not accessible by integration") {
		t.Errorf("read-only token: %d %s", code, body)
	}
}

func TestFakePaginatesWithLinkHeaders(t *testing.T) {
	s := newPR(t)
	for i := 0; i < 5; i++ {
		s.AddComment("o", "r", 7, "bot", "f.go", 5, "c")
	}
	url := s.URL + "/api/v3/repos/o/r/pulls/7/comments?per_page=2"
	seen := 0
	for page := 0; url != "" && page < 10; page++ {
		code, h, body := call(t, "GET", url, "r", nil)
		if code != 200 {
			t.Fatalf("GET %s: %d", url, code)
		}
		var list []any
		if err := json.Unmarshal([]byte(body), &list); err != nil {
			t.Fatal(err)
		}
		seen += len(list)
		url = ""
		for _, part := range strings.Split(h.Get("Link"), ",") {
			if strings.Contains(part, `rel="next"`) {
				url = strings.Trim(strings.TrimSpace(strings.Split(part, ";")[0]), "<>")
			}
		}
	}
	if seen != 5 || s.Calls(githubtest.RouteListReviewComments) != 3 {
		t.Errorf("saw %d comments in %d pages, want 5 in 3", seen, s.Calls(githubtest.RouteListReviewComments))
	}
}

func TestFakeScriptedSecondaryLimit(t *testing.T) {
	s := newPR(t)
	s.Script(githubtest.SecondaryRateLimit(githubtest.RouteCreateIssueComment, 30e9))
	u := s.URL + "/repos/o/r/issues/7/comments"
	code, h, body := call(t, "POST", u, "w", map[string]any{"body": "x"})
	if code != 403 || h.Get("Retry-After") != "30" || !strings.Contains(body, "secondary rate limit") {
		t.Errorf("first: %d %v %s", code, h, body)
	}
	if code, _, _ := call(t, "POST", u, "w", map[string]any{"body": "x"}); code != 201 {
		t.Errorf("second: %d", code)
	}
}

func TestFakeGraphQLResolvesThreads(t *testing.T) {
	s := newPR(t)
	id := s.AddComment("o", "r", 7, "bot", "f.go", 5, "c")
	code, _, body := call(t, "POST", s.URL+"/api/graphql", "w", map[string]any{
		"query": "query{reviewThreads}", "variables": map[string]any{"owner": "o", "name": "r", "number": 7}})
	if code != 200 || !strings.Contains(body, `"isResolved":false`) {
		t.Fatalf("threads: %d %s", code, body)
	}
	code, _, body = call(t, "POST", s.URL+"/graphql", "r", map[string]any{
		"query": "mutation{resolveReviewThread}", "variables": map[string]any{"threadId": "PRRT_" + itoa(id)}})
	if code != 200 || !strings.Contains(body, "FORBIDDEN") || s.Resolved("o", "r", 7, id) {
		t.Errorf("read-only resolve: %d %s", code, body)
	}
	_, _, body = call(t, "POST", s.URL+"/graphql", "w", map[string]any{
		"query": "mutation{resolveReviewThread}", "variables": map[string]any{"threadId": "PRRT_" + itoa(id)}})
	if !s.Resolved("o", "r", 7, id) {
		t.Errorf("not resolved: %s", body)
	}
}

func itoa(n int64) string {
	data, _ := json.Marshal(n)
	return string(data)
}
