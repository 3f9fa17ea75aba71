package load

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestWithChains widens a changed package to the module packages that import
// it, directly or not, and those it imports, and to nothing outside its
// module, in a nested module or in testdata, and not through test files.
func TestWithChains(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"go.mod":          "module example.com/m\n\ngo 1.22\n",
		"repo/repo.go":    "package repo\n",
		"svc/svc.go":      "package svc\n\nimport _ \"example.com/m/repo\"\n",
		"hook/hook.go":    "package hook\n\nimport _ \"example.com/m/svc\"\n",
		"cmd/app/main.go": "package main\n\nimport _ \"example.com/m/hook\"\n",
		"other/other.go":  "package other\n",
		"testdata/x/x.go": "package x\n\nimport _ \"example.com/m/svc\"\n",
		"sub/go.mod":      "module example.com/m/sub\n\ngo 1.22\n",
		"sub/s.go":        "package sub\n\nimport _ \"example.com/m/svc\"\n",
		"svc/svc_test.go": "package svc\n\nimport _ \"example.com/m/other\"\n",
	}
	for p, c := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := WithChains(root, []string{"svc"})
	want := []string{"cmd/app", "hook", "repo", "svc"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("WithChains(svc) = %v, want %v", got, want)
	}
	if got := WithChains(root, []string{"nomod/x"}); !reflect.DeepEqual(got, []string{"nomod/x"}) {
		t.Errorf("a directory with no Go files is returned alone: %v", got)
	}
}
