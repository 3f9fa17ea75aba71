package action_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"go.yaml.in/yaml/v3"
)

// fakeRelease serves /<tag>/checksums.txt and /<tag>/prodready_linux_amd64.tar.gz
// for tag v9.9.9, whose binary is a script printing "released". With bad, the
// checksum does not match.
func fakeRelease(t *testing.T, bad bool) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	body := []byte("#!/bin/sh\necho released\n")
	if err := tw.WriteHeader(&tar.Header{Name: "prodready", Mode: 0o755, Size: int64(len(body))}); err != nil {
		t.Fatal(err)
	}
	tw.Write(body)
	tw.Close()
	gz.Close()
	archive := buf.Bytes()
	sum := sha256.Sum256(archive)
	if bad {
		sum[0] ^= 0xff
	}
	checksums := hex.EncodeToString(sum[:]) + "  prodready_linux_amd64.tar.gz\n" +
		strings.Repeat("0", 64) + "  prodready_darwin_arm64.tar.gz\n"
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/v9.9.9/checksums.txt":
			w.Write([]byte(checksums))
		case "/v9.9.9/prodready_linux_amd64.tar.gz":
			w.Write(archive)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

type installRun struct {
	code           int
	out            string
	temp           string
	output, envOut string
}

// runInstall runs github/action/install.sh as the composite step does, with
// a fake Action source whose ./cmd/prodready prints "built from source".
func runInstall(t *testing.T, releases, ref string) installRun {
	t.Helper()
	src := t.TempDir()
	for name, body := range map[string]string{
		"go.mod":                "module example.com/fakeaction\n\ngo 1.22\n",
		"cmd/prodready/main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"built from source\") }\n",
	} {
		p := filepath.Join(src, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	temp := t.TempDir()
	files := map[string]string{}
	for _, f := range []string{"GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH"} {
		files[f] = filepath.Join(temp, strings.ToLower(f))
		os.WriteFile(files[f], nil, 0o644)
	}
	gocache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", filepath.Join("install.sh"))
	cmd.Env = append(os.Environ(),
		"GITHUB_ACTION_PATH="+src, "RUNNER_TEMP="+temp, "RUNNER_OS=Linux", "RUNNER_ARCH=X64",
		"ACTION_REF="+ref, "ACTION_REPO=prodready/prodready", "PRODREADY_RELEASES_URL="+releases,
		// The developer's build cache, so the fallback build does not start cold.
		"PRODREADY_GOCACHE="+strings.TrimSpace(string(gocache)),
		"GITHUB_OUTPUT="+files["GITHUB_OUTPUT"], "GITHUB_ENV="+files["GITHUB_ENV"], "GITHUB_PATH="+files["GITHUB_PATH"])
	out, err := cmd.CombinedOutput()
	r := installRun{out: string(out), temp: temp}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	o, _ := os.ReadFile(files["GITHUB_OUTPUT"])
	e, _ := os.ReadFile(files["GITHUB_ENV"])
	p, _ := os.ReadFile(files["GITHUB_PATH"])
	r.output, r.envOut = string(o), string(e)+string(p)
	return r
}

func (r installRun) binaryPrints(t *testing.T, want string) {
	t.Helper()
	bin := filepath.Join(r.temp, "prodready-bin", "prodready")
	if !strings.Contains(r.output, "path="+bin) {
		t.Fatalf("GITHUB_OUTPUT %q lacks path=%s\n%s", r.output, bin, r.out)
	}
	got, err := exec.Command(bin).Output()
	if err != nil || strings.TrimSpace(string(got)) != want {
		t.Fatalf("installed binary printed %q (%v), want %q", got, err, want)
	}
	if r.envOut != "" {
		t.Fatalf("install wrote to GITHUB_ENV or GITHUB_PATH: %q", r.envOut)
	}
}

func TestInstallUsesTheCheckedRelease(t *testing.T) {
	srv, _ := fakeRelease(t, false)
	r := runInstall(t, srv.URL, "v9.9.9")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.out)
	}
	r.binaryPrints(t, "released")
}

func TestInstallRefusesABadChecksum(t *testing.T) {
	srv, _ := fakeRelease(t, true)
	r := runInstall(t, srv.URL, "v9.9.9")
	if r.code == 0 || !strings.Contains(r.out, "does not match") {
		t.Fatalf("exit %d\n%s", r.code, r.out)
	}
	if _, err := os.Stat(filepath.Join(r.temp, "prodready-bin", "prodready")); err == nil {
		t.Fatal("a binary that failed its checksum was installed")
	}
}

func TestInstallBuildsFromSourceWithoutARelease(t *testing.T) {
	srv, hits := fakeRelease(t, false)
	r := runInstall(t, srv.URL, "v9.9.10") // a tag with no release
	if r.code != 0 || !strings.Contains(r.out, "building from source") {
		t.Fatalf("exit %d\n%s", r.code, r.out)
	}
	r.binaryPrints(t, "built from source")
	before := hits.Load()
	r = runInstall(t, srv.URL, "main") // a branch: no download at all
	if r.code != 0 || hits.Load() != before {
		t.Fatalf("branch ref: exit %d, %d downloads\n%s", r.code, hits.Load()-before, r.out)
	}
	r.binaryPrints(t, "built from source")
}

// TestActionHasNoSideEffects reads action.yml: no step may set up Go or a
// cache for the job, and the binary comes from install.sh.
func TestActionHasNoSideEffects(t *testing.T) {
	var a struct {
		Runs struct {
			Using string `yaml:"using"`
			Steps []struct {
				Uses string            `yaml:"uses"`
				Run  string            `yaml:"run"`
				Env  map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	if a.Runs.Using != "composite" || len(a.Runs.Steps) < 2 {
		t.Fatalf("runs: %+v", a.Runs)
	}
	for _, s := range a.Runs.Steps {
		if s.Uses != "" {
			t.Errorf("step uses %s: an action step may change the job for later steps", s.Uses)
		}
		if strings.Contains(s.Run, "GITHUB_ENV") || strings.Contains(s.Run, "GITHUB_PATH") {
			t.Errorf("step writes GITHUB_ENV or GITHUB_PATH:\n%s", s.Run)
		}
	}
	if !strings.Contains(a.Runs.Steps[0].Run, "github/action/install.sh") || a.Runs.Steps[0].Env["ACTION_REF"] != "${{ github.action_ref }}" {
		t.Errorf("the first step should run install.sh for the action's ref: %+v", a.Runs.Steps[0])
	}
}

// TestReleaseWorkflowMatchesInstall checks that the release workflow builds
// the archives and checksums install.sh downloads, on version tags, with a
// multi-arch image.
func TestReleaseWorkflowMatchesInstall(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", ".github", "workflows", "release.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		On struct {
			Push struct {
				Tags []string `yaml:"tags"`
			} `yaml:"push"`
		} `yaml:"on"`
		Jobs map[string]any `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatal(err)
	}
	if len(wf.On.Push.Tags) == 0 || !strings.HasPrefix(wf.On.Push.Tags[0], "v") {
		t.Fatalf("release must run on version tags: %+v", wf.On)
	}
	s := string(b)
	for _, want := range []string{
		`prodready_${os}_${arch}.tar.gz`, "checksums.txt", "linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64",
		"platforms: linux/amd64,linux/arm64", `git tag -f "$major"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("release.yml lacks %q", want)
		}
	}
	sh, err := os.ReadFile("install.sh")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(sh), `asset="prodready_${os}_${arch}.tar.gz"`) || !strings.Contains(string(sh), "checksums.txt") {
		t.Error("install.sh and release.yml disagree on the asset names")
	}
}
