package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
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
`

// TestVetTool builds prodready-vet and runs it through go vet -vettool over
// a small module with one known finding and one suppressed one.
func TestVetTool(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build and run the vet tool: %v", err)
	}
	tmp := t.TempDir()
	tool := filepath.Join(tmp, "prodready-vet")
	build := exec.Command(goBin, "build", "-o", tool, ".")
	build.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build prodready-vet: %v\n%s", err, out)
	}

	mod := filepath.Join(tmp, "demo")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(mod, "go.mod"), "module example.com/demo\n\ngo 1.22\n")
	write(t, filepath.Join(mod, "demo.go"), demoSource)

	vet := exec.Command(goBin, "vet", "-vettool="+tool, "./...")
	vet.Dir = mod
	vet.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=", "GOWORK=off")
	var stderr bytes.Buffer
	vet.Stderr = &stderr
	err = vet.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("go vet with a finding should exit non-zero, got err=%v\n%s", err, stderr.String())
	}
	out := stderr.String()
	var findings []string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "[http-no-timeout]") {
			findings = append(findings, line)
		}
	}
	if len(findings) != 1 {
		t.Fatalf("want exactly one http-no-timeout finding, got %d:\n%s", len(findings), out)
	}
	if !strings.Contains(findings[0], "demo.go:7:") {
		t.Errorf("finding is not on demo.go line 7: %s", findings[0])
	}
	if strings.Contains(out, "demo.go:17:") {
		t.Errorf("the suppressed call on line 17 was reported:\n%s", out)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
