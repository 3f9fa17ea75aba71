package load

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// offline keeps the go command off the network and out of the developer's
// own settings.
func offline(t *testing.T) Options {
	return Options{Env: []string{"GOPROXY=off", "GOFLAGS=", "GOWORK=", "GOTOOLCHAIN=local", "GOENV=off"}}
}

func TestSyntaxErrorIsOneLineFileLine(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"go.mod":  "module example.com/s\n\ngo 1.22\n",
		"p/ok.go": "package p\n\nfunc A() {}\n",
		"p/p.go":  "package p\n\nfunc B() {\n\tx := \n}\n",
	})
	res, err := Dirs(context.Background(), dir, []string{"p"}, offline(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Partial) != 1 {
		t.Fatalf("partial = %+v", res.Partial)
	}
	got := res.Partial[0]
	if got.Dir != "p" || !strings.HasPrefix(got.Reason, "p/p.go:5: syntax error") || strings.Contains(got.Reason, "\n") {
		t.Fatalf("reason %q: want one line starting p/p.go:5: syntax error", got.Reason)
	}
}

func TestTypeErrorIsFileLine(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"go.mod":   "module example.com/s\n\ngo 1.22\n",
		"p/p.go":   "package p\n\nfunc B() int {\n\treturn \"x\"\n}\n",
		"p/ok.go":  "package p\n",
		"q/doc.go": "package q\n",
	})
	res, err := Patterns(context.Background(), dir, dir, []string{"./..."}, offline(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Partial) != 1 || !strings.HasPrefix(res.Partial[0].Reason, "p/p.go:4: ") || strings.Contains(res.Partial[0].Reason, "\n") {
		t.Fatalf("partial = %+v", res.Partial)
	}
}

func TestMissingDependencyIsNamed(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"go.mod": "module example.com/s\n\ngo 1.22\n\nrequire example.invalid/nope v1.0.0\n",
		"p.go":   "package p\n\nimport \"example.invalid/nope\"\n\nfunc A() { nope.X() }\n",
	})
	res, err := Patterns(context.Background(), dir, dir, []string{"./..."}, offline(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Partial) != 1 {
		t.Fatalf("partial = %+v", res.Partial)
	}
	r := res.Partial[0].Reason
	if !strings.Contains(r, "dependency example.invalid/nope") || strings.Contains(r, `invalid package name: ""`) || strings.Contains(r, "\n") {
		t.Fatalf("reason %q should name the dependency and Go's reason", r)
	}
}

func TestWorkspaceLoadsWithModMod(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"go.work":  "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n",
		"a/go.mod": "module example.com/a\n\ngo 1.22\n\nrequire example.com/b v0.0.0\n",
		"a/a.go":   "package a\n\nimport \"example.com/b\"\n\n// A is B.\nfunc A() int { return b.B() }\n",
		"b/go.mod": "module example.com/b\n\ngo 1.22\n",
		"b/b.go":   "package b\n\n// B is one.\nfunc B() int { return 1 }\n",
	})
	opts := offline(t)
	// What the App sets for modules outside a workspace.
	opts.Env = append(opts.Env, "GOFLAGS=-mod=mod")
	res, err := Dirs(context.Background(), dir, []string{"a"}, opts)
	if err != nil {
		t.Fatalf("go.work repository: %v", err)
	}
	if len(res.Packages) != 1 || len(res.Partial) != 0 || res.Packages[0].Types.Scope().Lookup("A") == nil {
		t.Fatalf("packages %v, partial %+v", res.Packages, res.Partial)
	}
	if w := FindModule(filepath.Join(dir, "a")); w != filepath.Join(dir, "go.work") {
		t.Fatalf("FindModule = %q", w)
	}
	if m := FindModule(t.TempDir()); m != "" {
		t.Fatalf("FindModule outside a module = %q", m)
	}
}

func TestWorkspaceEnv(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"go.work": "go 1.22\n"})
	env := workspaceEnv(dir, []string{"A=1", "GOFLAGS=-mod=mod -trimpath"})
	if env[1] != "GOFLAGS=-trimpath" {
		t.Fatalf("in a workspace: %q", env)
	}
	off := workspaceEnv(dir, []string{"GOFLAGS=-mod=mod", "GOWORK=off"})
	if off[0] != "GOFLAGS=-mod=mod" {
		t.Fatalf("GOWORK=off: %q", off)
	}
	if out := workspaceEnv(t.TempDir(), []string{"GOFLAGS=-mod=mod"}); out[0] != "GOFLAGS=-mod=mod" {
		t.Fatalf("outside a workspace: %q", out)
	}
}
