package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const demoSource = `package demo

import "net/http"

// Fetch has one finding: http.Get has no timeout.
func Fetch(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Probe has the same call, suppressed with a reason.
func Probe(u string) error {
	//prodready:ignore http-no-timeout the probe runs under a deadline set by its caller's process
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Ping has the same call, under a directive that gives no reason: the finding
// stands and the directive is reported.
func Ping(u string) error {
	//prodready:ignore http-no-timeout
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Status never closes the body, under bodyclose's directive.
func Status(c *http.Client, req *http.Request) (int, error) {
	resp, err := c.Do(req) //nolint:bodyclose // the caller's transport is a test double
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Code never closes the body either, with no directive.
func Code(c *http.Client, req *http.Request) (int, error) {
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
`

// want is every finding on demoSource, as "line check": Probe's reasoned
// directive and Status's //nolint:bodyclose silence theirs, and Ping's
// directive without a reason is reported beside the finding it names.
var want = []string{
	"7 http-no-timeout",
	"27 ignore-without-reason",
	"28 http-no-timeout",
	"46 http-body-not-closed",
}

// TestVetToolAgreesWithCheck builds prodready-vet and prodready, runs the
// first through go vet -vettool and the second as prodready check over a
// small module, and holds both to the same findings: suppression is one
// implementation, the checklist's.
func TestVetToolAgreesWithCheck(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build and run the vet tool: %v", err)
	}
	tmp := t.TempDir()
	tool := filepath.Join(tmp, "prodready-vet")
	cli := filepath.Join(tmp, "prodready")
	for out, pkg := range map[string]string{tool: ".", cli: "../prodready"} {
		build := exec.Command(goBin, "build", "-o", out, pkg)
		build.Env = append(os.Environ(), "GOTOOLCHAIN=local")
		if msg, err := build.CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", pkg, err, msg)
		}
	}

	mod := filepath.Join(tmp, "demo")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(mod, "go.mod"), "module example.com/demo\n\ngo 1.22\n")
	write(t, filepath.Join(mod, "demo.go"), demoSource)
	env := append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=", "GOWORK=off")

	vet := exec.Command(goBin, "vet", "-vettool="+tool, "./...")
	vet.Dir, vet.Env = mod, env
	var stderr bytes.Buffer
	vet.Stderr = &stderr
	err = vet.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("go vet with findings should exit non-zero, got err=%v\n%s", err, stderr.String())
	}
	var vetGot []string
	for _, line := range strings.Split(stderr.String(), "\n") {
		// demo.go:7:15: [http-no-timeout] message
		rest, ok := strings.CutPrefix(line, "demo.go:")
		if !ok {
			continue
		}
		parts := strings.SplitN(rest, ":", 3)
		id, _, found := strings.Cut(strings.TrimPrefix(strings.TrimSpace(parts[len(parts)-1]), "["), "]")
		if len(parts) != 3 || !found {
			t.Fatalf("unexpected vet line %q", line)
		}
		vetGot = append(vetGot, parts[0]+" "+id)
	}

	check := exec.Command(cli, "check", "--format", "json", "./...")
	check.Dir, check.Env = mod, env
	out, err := check.Output()
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("prodready check with findings should exit 1, got err=%v\n%s", err, out)
	}
	var report struct {
		Findings []struct {
			Path  string `json:"path"`
			Line  int    `json:"line"`
			Check string `json:"check"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("decode prodready check's JSON: %v\n%s", err, out)
	}
	var checkGot []string
	for _, f := range report.Findings {
		if f.Path != "demo.go" {
			t.Errorf("finding on %s, want demo.go", f.Path)
		}
		checkGot = append(checkGot, fmt.Sprintf("%d %s", f.Line, f.Check))
	}

	slices.Sort(vetGot)
	slices.Sort(checkGot)
	wantSorted := slices.Sorted(slices.Values(want))
	if !slices.Equal(vetGot, wantSorted) {
		t.Errorf("go vet -vettool=prodready-vet found\n%q\nwant\n%q\n%s", vetGot, wantSorted, stderr.String())
	}
	if !slices.Equal(checkGot, wantSorted) {
		t.Errorf("prodready check found\n%q\nwant\n%q", checkGot, wantSorted)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
