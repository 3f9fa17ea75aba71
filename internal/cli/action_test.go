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
	"github.com/prodready/prodready/internal/testenv"
)

const priceGo = `package price

import (
	"io"
	"net/http"
)

// Fetch reads a price.
func Fetch(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}
`

// actionWorld builds a pull request adding http.Get (an error-severity
// finding of the real catalog) from a real repository, a shallow checkout,
// the webhook fixture as the event, and the fake API holding the PR.
func actionWorld(t *testing.T, fork bool, token githubtest.Token) (map[string]string, *githubtest.Server) {
	t.Helper()
	return actionWorldWith(t, fork, token, priceGo)
}

// actionWorldWith is actionWorld with head as the pull request's
// price/price.go.
func actionWorldWith(t *testing.T, fork bool, token githubtest.Token, headSrc string) (map[string]string, *githubtest.Server) {
	t.Helper()
	origin := githubtest.NewRepo(t)
	origin.Git("config", "uploadpack.allowAnySHA1InWant", "true")
	origin.WriteFile("go.mod", "module example.com/svc\n\ngo 1.22\n")
	origin.WriteFile("price/doc.go", "// Package price reads prices.\npackage price\n")
	base := origin.Commit("base")
	origin.WriteFile("price/price.go", headSrc)
	head := origin.Commit("head")
	checkout := githubtest.Clone(t, origin, "--depth=1")

	data := testenv.Webhook(t, "pull_request.opened.json")
	var ev map[string]any
	if err := json.Unmarshal(data, &ev); err != nil {
		t.Fatal(err)
	}
	pr := ev["pull_request"].(map[string]any)
	pr["base"].(map[string]any)["sha"] = base
	pr["head"].(map[string]any)["sha"] = head
	if fork {
		pr["head"].(map[string]any)["repo"].(map[string]any)["full_name"] = "forker/Hello-World"
	}
	dir := t.TempDir()
	evPath := filepath.Join(dir, "event.json")
	data, _ = json.Marshal(ev)
	if err := os.WriteFile(evPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	srv := githubtest.New(t)
	srv.AddToken("tok", token)
	srv.AddPR(t, githubtest.PR{Owner: "Codertocat", Repo: "Hello-World", Number: int(ev["number"].(float64)),
		BaseSHA: base, HeadSHA: head, Diff: origin.Diff(base, head), Fork: fork})
	return map[string]string{
		"GITHUB_EVENT_PATH": evPath, "GITHUB_EVENT_NAME": "pull_request", "GITHUB_REPOSITORY": "Codertocat/Hello-World",
		"GITHUB_API_URL": srv.APIURL(), "GITHUB_TOKEN": "tok", "GITHUB_WORKSPACE": checkout.Dir,
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary.md"), "GITHUB_OUTPUT": filepath.Join(dir, "output.txt"),
	}, srv
}

func runMain(envv map[string]string, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), &Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return envv[k] }},
		append([]string{"action"}, args...))
	return code, stdout.String(), stderr.String()
}

// TestActionTokenWithoutPullRequestsWrite: a token that may read but not
// write pull requests ends with exactly one error line naming the
// permission, exit 2, and the findings still reach annotations and the step
// summary.
func TestActionTokenWithoutPullRequestsWrite(t *testing.T) {
	envv, _ := actionWorld(t, false, githubtest.Token{Login: "github-actions[bot]", Perms: map[string]string{
		"pull_requests": githubtest.Read, "issues": githubtest.Write, "checks": githubtest.Write, "contents": githubtest.Read}})
	code, stdout, stderr := runMain(envv, "--llm", "off")
	if code != ExitUsage {
		t.Errorf("exit %d, want %d (stderr %q)", code, ExitUsage, stderr)
	}
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "`pull-requests: write`") {
		t.Errorf("stderr = %q, want one line naming pull-requests: write", stderr)
	}
	if !strings.Contains(stdout, "::error file=price/price.go,line=10,") {
		t.Errorf("no annotation for the finding:\n%s", stdout)
	}
	if data, err := os.ReadFile(envv["GITHUB_STEP_SUMMARY"]); err != nil || !strings.Contains(string(data), "price/price.go:10") {
		t.Errorf("step summary: %v %q", err, data)
	}
}

// TestActionForkExitsByFailOn: a fork's read-only token degrades to
// annotations, the step summary and one notice, and the exit code follows
// --fail-on, so the check is never silently green.
func TestActionForkExitsByFailOn(t *testing.T) {
	envv, srv := actionWorld(t, true, githubtest.ReadOnlyToken("github-actions[bot]"))
	code, stdout, stderr := runMain(envv, "--llm", "off")
	if code != ExitFindings {
		t.Errorf("exit %d, want %d with an error finding (stderr %q)", code, ExitFindings, stderr)
	}
	// Info findings are notices too, on their files; the run's own notice
	// has no file.
	if strings.Count(stdout, "::notice title=prodready::") != 1 || !strings.Contains(stdout, "fork") {
		t.Errorf("want one notice about the fork:\n%s", stdout)
	}
	if !strings.Contains(stdout, "::error file=price/price.go,line=10,endLine=10,col=15,title=prodready http-no-timeout (fails-halfway)::") {
		t.Errorf("no annotation for http.Get:\n%s", stdout)
	}
	if srv.Calls(githubtest.RouteCreateReview)+srv.Calls(githubtest.RouteCreateIssueComment) != 0 {
		t.Errorf("a read-only run tried to post")
	}
	if data, _ := os.ReadFile(envv["GITHUB_OUTPUT"]); !strings.Contains(string(data), "findings=") {
		t.Errorf("outputs = %q", data)
	}

	code, _, _ = runMain(envv, "--llm", "off", "--fail-on", "none")
	if code != ExitOK {
		t.Errorf("--fail-on none: exit %d, want 0", code)
	}
}

// TestActionBrokenCodeFailsTheGate: a pull request that does not compile is
// named in the step summary and fails the step by --fail-on, like the CLI.
func TestActionBrokenCodeFailsTheGate(t *testing.T) {
	envv, _ := actionWorldWith(t, true, githubtest.ReadOnlyToken("github-actions[bot]"),
		"package price\n\nfunc Fetch() {\n\tx := \n}\n")
	code, _, stderr := runMain(envv, "--llm", "off")
	if code != ExitFindings {
		t.Errorf("exit %d, want %d for code that does not compile (stderr %q)", code, ExitFindings, stderr)
	}
	if data, _ := os.ReadFile(envv["GITHUB_STEP_SUMMARY"]); !strings.Contains(string(data), "price/price.go:5: syntax error") {
		t.Errorf("step summary does not name the error:\n%s", data)
	}
	if code, _, _ := runMain(envv, "--llm", "off", "--fail-on", "none"); code != ExitOK {
		t.Errorf("--fail-on none: exit %d, want 0", code)
	}
}
