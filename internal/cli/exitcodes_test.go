package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/prodready/prodready/internal/exitcode"
	"github.com/prodready/prodready/internal/testenv"
)

// pingRepo is a change that calls the network without a timeout: one error
// finding (http-no-timeout) on p/p.go:7.
func pingRepo(t *testing.T) *testenv.Repo {
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": testenv.GoMod, "p/doc.go": "package p\n"})
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write(map[string]string{"p/p.go": "package p\n\nimport \"net/http\"\n\n// Ping pings.\nfunc Ping(url string) error {\n\tresp, err := http.Get(url)\n\tif err != nil {\n\t\treturn err\n\t}\n\treturn resp.Body.Close()\n}\n"})
	r.Commit("ping")
	return r
}

// TestEveryExitCode drives the binary's entry point to each code of the
// table in package exitcode.
func TestEveryExitCode(t *testing.T) {
	clean := sampleRepo(t)
	ping := pingRepo(t)
	srv := httptest.NewServer(http.NotFoundHandler())
	closed := srv.URL + "/v1"
	srv.Close() // nothing listens there now
	typo := pingRepo(t)
	typo.Write(map[string]string{".prodready.yml": "checks: {enable: [http-no-timout]}\n"})
	cases := map[int]struct {
		env  map[string]string
		args []string
	}{
		exitcode.OK:       {nil, []string{"review", "--repo", clean.Dir, "--llm", "off"}},
		exitcode.Findings: {nil, []string{"review", "--repo", ping.Dir, "--llm", "off"}},
		exitcode.Usage:    {nil, []string{"review", "--repo", typo.Dir, "--llm", "off"}},
		exitcode.Failure: {map[string]string{"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": closed},
			[]string{"review", "--repo", ping.Dir, "--llm", "on", "--fail-on", "none"}},
	}
	for _, row := range exitcode.Table() {
		c, ok := cases[row.Code]
		if !ok {
			t.Errorf("exit code %d has no test", row.Code)
			continue
		}
		code, _, stderr := runCLI(t, c.env, c.args...)
		if code != row.Code {
			t.Errorf("%v: exit %d, want %d (%s); stderr:\n%s", c.args, code, row.Code, row.Meaning, stderr)
		}
		if code >= exitcode.Usage {
			if lines := strings.Split(strings.TrimSpace(stderr), "\n"); !strings.HasPrefix(lines[len(lines)-1], "prodready: ") {
				t.Errorf("%v: exit %d without a closing 'prodready:' line:\n%s", c.args, code, stderr)
			}
		}
	}
}

// TestREADMEExitCodesMatch keeps the README's table and the code's in step.
func TestREADMEExitCodesMatch(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "### Exit codes")
	if i < 0 {
		t.Fatal("README has no '### Exit codes' section")
	}
	row := regexp.MustCompile(`(?m)^\| (\d) \| (.+) \|$`)
	var got []exitcode.Code
	for _, m := range row.FindAllStringSubmatch(s[i:min(len(s), i+2000)], -1) {
		n, _ := strconv.Atoi(m[1])
		got = append(got, exitcode.Code{Code: n, Meaning: m[2]})
	}
	want := exitcode.Table()
	if len(got) != len(want) {
		t.Fatalf("README lists %d exit codes, the code %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("README row %d = %+v, code says %+v", i, got[i], want[i])
		}
	}
}

func TestUnknownCheckIDIsExit2WithSuggestion(t *testing.T) {
	cases := map[string]struct{ yml, id, near string }{
		"enable":   {"checks: {enable: [http-no-timout]}\n", "http-no-timout", "http-no-timeout"},
		"disable":  {"checks: {disable: [query-in-lop]}\n", "query-in-lop", "query-in-loop"},
		"severity": {"checks: {severity: {read-unbound: info}}\n", "read-unbound", "read-unbounded"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := pingRepo(t)
			r.Write(map[string]string{".prodready.yml": c.yml})
			for _, args := range [][]string{
				{"review", "--repo", r.Dir, "--llm", "off"},
				{"check", "-C", r.Dir},
			} {
				code, stdout, stderr := runCLI(t, nil, args...)
				line := strings.TrimSpace(stderr)
				if code != ExitUsage || strings.Count(line, "\n") != 0 || stdout != "" {
					t.Fatalf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
				}
				if !strings.Contains(line, `unknown check "`+c.id+`"`) || !strings.Contains(line, `did you mean "`+c.near+`"`) {
					t.Fatalf("%v: %q should name %s and suggest %s", args, line, c.id, c.near)
				}
			}
		})
	}
}

func TestMissingConfigFileIsExit2(t *testing.T) {
	r := sampleRepo(t)
	missing := filepath.Join(t.TempDir(), "prodready.yml")
	for _, args := range [][]string{
		{"review", "--repo", r.Dir, "--llm", "off", "--config", missing},
		{"check", "-C", r.Dir, "--config", missing},
	} {
		code, _, stderr := runCLI(t, nil, args...)
		if code != ExitUsage || !strings.Contains(stderr, "--config") || !strings.Contains(stderr, "prodready.yml") {
			t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

func TestFlagsAfterPackages(t *testing.T) {
	r := pingRepo(t)
	code, stdout, stderr := runCLI(t, nil, "check", "-C", r.Dir, "./...", "--format", "json", "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Findings []struct {
			Check string `json:"check"`
		} `json:"findings"`
		Skipped []struct {
			Path string `json:"path"`
		} `json:"skipped"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("--format after the package was not honoured: %v\n%s", err, stdout)
	}
	if len(rep.Findings) == 0 || rep.Findings[0].Check != "http-no-timeout" {
		t.Fatalf("findings: %+v", rep.Findings)
	}
	for _, s := range rep.Skipped {
		if strings.HasPrefix(s.Path, "-") {
			t.Fatalf("a flag was taken for a package: %+v", rep.Skipped)
		}
	}
	// review takes no packages, wherever they stand.
	code, _, stderr = runCLI(t, nil, "review", "--repo", r.Dir, "extra", "--llm", "off")
	if code != ExitUsage || !strings.Contains(stderr, `"extra"`) {
		t.Fatalf("review extra: exit %d, stderr %q", code, stderr)
	}
}

func TestNoDefaultBaseIsExit2(t *testing.T) {
	r := testenv.NewRepo(t)
	r.Git("checkout", "-q", "-b", "trunk")
	r.Write(map[string]string{"go.mod": testenv.GoMod, "p/p.go": "package p\n"})
	r.Commit("only")
	code, _, stderr := runCLI(t, nil, "review", "--repo", r.Dir, "--llm", "off")
	if code != ExitUsage || !strings.Contains(stderr, "--base") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestParseInterleaved(t *testing.T) {
	fs := newFlagSet("t", "t", "t", &Env{Stderr: io.Discard})
	format := fs.String("format", "text", "")
	quiet := fs.Bool("quiet", false, "")
	if err := parse(fs, []string{"./a", "--format", "json", "./b", "-quiet", "--", "--c", "-"}); err != nil {
		t.Fatal(err)
	}
	if *format != "json" || !*quiet || strings.Join(fs.Args(), " ") != "./a ./b --c -" {
		t.Fatalf("format %q quiet %v args %q", *format, *quiet, fs.Args())
	}
	if err := parse(fs, []string{"./a", "--nope"}); !exitcode.IsUsage(err) {
		t.Fatalf("unknown flag after a package: %v", err)
	}
}

func TestBrokenChangeIsNamedOnceAndFailsTheGate(t *testing.T) {
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": testenv.GoMod, "p/p.go": "package p\n\nfunc A() {}\n"})
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write(map[string]string{"p/p.go": "package p\n\nfunc A() {\n\tx := \n}\n"})
	r.Commit("broken")
	const want = "p/p.go:5: syntax error"
	for _, format := range []string{"text", "json", "sarif", "rdjsonl", "github-actions"} {
		code, stdout, stderr := runCLI(t, nil, "review", "--repo", r.Dir, "--llm", "off", "--format", format)
		if code != ExitFindings {
			t.Errorf("%s: exit %d, want %d; stderr %q", format, code, ExitFindings, stderr)
		}
		if n := strings.Count(stdout+stderr, want); n != 1 {
			t.Errorf("%s: %q named %d times, want once:\n%s\n%s", format, want, n, stdout, stderr)
		}
		for _, line := range strings.Split(stdout+stderr, "\n") {
			if strings.Contains(line, "syntax error") && !strings.Contains(line, want) {
				t.Errorf("%s: the error spans lines: %q", format, line)
			}
		}
		if format == "json" && !strings.Contains(stdout, `"reason": "partial load: `+want) {
			t.Errorf("json: not under skipped:\n%s", stdout)
		}
	}
	if code, _, _ := runCLI(t, nil, "review", "--repo", r.Dir, "--llm", "off", "--fail-on", "none"); code != ExitOK {
		t.Errorf("--fail-on none: exit %d", code)
	}
}

func TestCheckOutsideAModuleIsExit2(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte("package p\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, nil, "check", "-C", dir)
	if code != ExitUsage || stdout != "" || !strings.Contains(stderr, "not inside a Go module") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestChecksFitsHundredColumns(t *testing.T) {
	code, stdout, _ := runCLI(t, nil, "checks")
	if code != ExitOK || !strings.HasPrefix(stdout, "ID ") || strings.Contains(stdout, "FIX") {
		t.Fatalf("exit %d:\n%s", code, stdout)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) < 20 {
		t.Fatalf("only %d lines", len(lines))
	}
	for _, l := range lines {
		if n := len([]rune(l)); n > 100 {
			t.Errorf("%d columns: %q", n, l)
		}
	}
	code, stdout, _ = runCLI(t, nil, "checks", "--wide")
	if code != ExitOK || !strings.Contains(strings.SplitN(stdout, "\n", 2)[0], "FIX") || !strings.Contains(stdout, "SetMaxOpenConns") {
		t.Fatalf("--wide: exit %d:\n%.300s", code, stdout)
	}
}
