package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/prodready/prodready/internal/testenv"
)

// runCLI runs prodready with args and returns the exit code and both streams.
func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), &Env{
		Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
	}, args)
	return code, out.String(), errb.String()
}

func sampleRepo(t *testing.T) *testenv.Repo {
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": testenv.GoMod, "svc/svc.go": "package svc\n\nfunc A() {}\n"})
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write(map[string]string{"svc/svc.go": "package svc\n\nfunc A() {}\n\nfunc B() {}\n"})
	r.Commit("add B")
	return r
}

func TestBadInputIsOneLineAndExit2(t *testing.T) {
	r := sampleRepo(t)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"bad base", []string{"review", "--repo", r.Dir, "--base", "nope", "--llm", "off"}, `"nope": unknown revision`},
		{"not a repo", []string{"review", "--repo", t.TempDir(), "--llm", "off"}, "not a git repository"},
		{"missing dir", []string{"review", "--repo", "/does/not/exist", "--llm", "off"}, "not a git repository"},
		{"unknown format", []string{"review", "--repo", r.Dir, "--format", "xml", "--llm", "off"}, `unknown format "xml"`},
		{"unknown filter", []string{"review", "--repo", r.Dir, "--filter", "lines", "--llm", "off"}, `unknown filter "lines"`},
		{"unknown fail-on", []string{"review", "--repo", r.Dir, "--fail-on", "fatal", "--llm", "off"}, `unknown severity "fatal"`},
		{"unknown flag", []string{"review", "--nope"}, "flag provided but not defined"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown check", []string{"checks", "no-such-check"}, `no check "no-such-check"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, nil, c.args...)
			if code != ExitUsage {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitUsage, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "prodready: ") || !strings.Contains(last, c.want) {
				t.Fatalf("stderr's last line %q should name %q", last, c.want)
			}
			if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
				t.Fatalf("stack trace on bad input:\n%s", stderr)
			}
		})
	}
}

func TestBadConfigIsUsageError(t *testing.T) {
	r := sampleRepo(t)
	r.Write(map[string]string{".prodready.yml": "filter: sometimes\n"})
	code, _, stderr := runCLI(t, nil, "review", "--repo", r.Dir, "--llm", "off")
	if code != ExitUsage || !strings.Contains(stderr, "filter") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	r.Write(map[string]string{".prodready.yml": "chekcs: {}\n"})
	code, _, stderr = runCLI(t, nil, "review", "--repo", r.Dir, "--llm", "off")
	if code != ExitUsage || !strings.Contains(stderr, "chekcs") {
		t.Fatalf("unknown key: exit %d, stderr %q", code, stderr)
	}
}

func TestReviewJSONCleanChange(t *testing.T) {
	r := sampleRepo(t)
	code, stdout, stderr := runCLI(t, nil, "review", "--repo", r.Dir, "--format", "json", "--llm", "off")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Version  int               `json:"version"`
		Base     string            `json:"base"`
		Head     string            `json:"head"`
		Findings []json.RawMessage `json:"findings"`
		Stats    struct {
			Files    int `json:"files"`
			Packages int `json:"packages"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if rep.Version != 1 || rep.Head != r.Git("rev-parse", "HEAD") || rep.Base != r.Git("rev-parse", "main") {
		t.Fatalf("report header: %+v", rep)
	}
	if rep.Stats.Files != 1 || rep.Stats.Packages != 1 || len(rep.Findings) != 0 {
		t.Fatalf("stats: %+v", rep)
	}
}

func TestAutoWithoutKeySaysDeterministicOnly(t *testing.T) {
	r := sampleRepo(t)
	code, _, stderr := runCLI(t, nil, "review", "--repo", r.Dir)
	if code != ExitOK || !strings.Contains(stderr, "deterministic checks only") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestHelpAndVersion(t *testing.T) {
	for _, cmd := range []string{"review", "check", "checks", "version", "action", "serve"} {
		code, _, stderr := runCLI(t, nil, cmd, "--help")
		if code != ExitOK || !strings.Contains(stderr, "Usage: prodready "+cmd) {
			t.Errorf("%s --help: exit %d, output %q", cmd, code, stderr)
		}
	}
	code, stdout, _ := runCLI(t, nil, "version")
	if code != ExitOK || !strings.HasPrefix(stdout, "prodready ") {
		t.Fatalf("version: %d %q", code, stdout)
	}
}

func TestFailOnDecidesExitCode(t *testing.T) {
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": testenv.GoMod, "p/doc.go": "package p\n"})
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write(map[string]string{"p/p.go": "package p\n\nimport \"net/http\"\n\n// Ping pings.\nfunc Ping(url string) error {\n\tresp, err := http.Get(url)\n\tif err != nil {\n\t\treturn err\n\t}\n\treturn resp.Body.Close()\n}\n"})
	r.Commit("ping")
	code, stdout, stderr := runCLI(t, nil, "review", "--repo", r.Dir, "--llm", "off")
	if code != ExitFindings || !strings.Contains(stdout, "p/p.go:7:") || !strings.Contains(stdout, "[http-no-timeout]") {
		t.Fatalf("default fail-on error: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, _ := runCLI(t, nil, "review", "--repo", r.Dir, "--llm", "off", "--fail-on", "none"); code != ExitOK {
		t.Fatalf("--fail-on none: exit %d", code)
	}
	code, stdout, _ = runCLI(t, nil, "review", "--repo", r.Dir, "--llm", "off", "--format", "github-actions")
	if code != ExitFindings || !strings.Contains(stdout, "::error file=p/p.go,line=7") {
		t.Fatalf("github-actions: exit %d\n%s", code, stdout)
	}
}
