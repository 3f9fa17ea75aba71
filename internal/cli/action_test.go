package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prodready/prodready/github/githubtest"
)

// TestActionTokenWithoutPullRequestsWrite runs the whole command against the
// fake API with a token that may read but not write pull requests: it must
// end with exactly one error line naming the permission, and exit 2.
func TestActionTokenWithoutPullRequestsWrite(t *testing.T) {
	origin := githubtest.NewRepo(t)
	origin.Git("config", "uploadpack.allowAnySHA1InWant", "true")
	origin.Write("go.mod", "module example.com/svc\n\ngo 1.22\n")
	origin.Write("svc/svc.go", "package svc\n\nfunc A() int { return 1 }\n")
	base := origin.Commit("base")
	origin.Write("svc/svc.go", "package svc\n\nfunc A() int { return 2 }\n")
	head := origin.Commit("head")
	checkout := githubtest.Clone(t, origin, "--depth=1")

	data, err := os.ReadFile("/work/shared/fixtures/webhooks/pull_request.opened.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(data, &ev); err != nil {
		t.Fatal(err)
	}
	pr := ev["pull_request"].(map[string]any)
	pr["base"].(map[string]any)["sha"] = base
	pr["head"].(map[string]any)["sha"] = head
	dir := t.TempDir()
	evPath := filepath.Join(dir, "event.json")
	data, _ = json.Marshal(ev)
	if err := os.WriteFile(evPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	srv := githubtest.New(t)
	srv.AddToken("tok", githubtest.Token{Login: "github-actions[bot]", Perms: map[string]string{
		"pull_requests": githubtest.Read, "issues": githubtest.Read, "contents": githubtest.Read}})
	srv.AddPR(t, githubtest.PR{Owner: "Codertocat", Repo: "Hello-World", Number: int(ev["number"].(float64)),
		BaseSHA: base, HeadSHA: head, Diff: origin.Diff(base, head)})
	envv := map[string]string{
		"GITHUB_EVENT_PATH": evPath, "GITHUB_EVENT_NAME": "pull_request", "GITHUB_REPOSITORY": "Codertocat/Hello-World",
		"GITHUB_API_URL": srv.APIURL(), "GITHUB_TOKEN": "tok", "GITHUB_WORKSPACE": checkout.Dir,
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary.md"),
	}
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), &Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return envv[k] }},
		[]string{"action", "--llm", "off"})
	if code != ExitUsage {
		t.Errorf("exit %d, want %d (stderr %q)", code, ExitUsage, stderr.String())
	}
	lines := strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "`pull-requests: write`") {
		t.Errorf("stderr = %q, want one line naming pull-requests: write", stderr.String())
	}
	if _, err := os.Stat(envv["GITHUB_STEP_SUMMARY"]); err != nil {
		t.Errorf("no step summary: %v", err)
	}
}
