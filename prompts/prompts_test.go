package prompts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultRenders(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	sys, err := s.System(SystemData{MaxComments: 3})
	if err != nil || !strings.Contains(sys, "At most 3 comments") {
		t.Fatalf("system: %v\n%s", err, sys)
	}
	user, err := s.Request(RequestData{Path: "a/b.go", Units: []UnitData{
		{Kind: "function", Name: "F", Start: 1, End: 2, Fence: "<<<CODE-1>>>", Code: "    1 +| func F() {}\n"},
		{Kind: "function", Name: "G", Start: 4, End: 5, Fence: "<<<CODE-2>>>", Code: "    4 +| func G() {}\n", Evidence: []string{"line 4 [x]: y"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Unit 1: function F in a/b.go (new-file lines 1-2)", "Unit 2: function G", "<<<CODE-2>>>\n    4 +| func G() {}\n<<<CODE-2>>>", "line 4 [x]: y"} {
		if !strings.Contains(user, want) {
			t.Errorf("request lacks %q:\n%s", want, user)
		}
	}
}

func TestOverrideDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, SystemFile), []byte("Answer in JSON. Max {{.MaxComments}}."), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := Default()
	if sys, _ := s.System(SystemData{MaxComments: 2}); sys != "Answer in JSON. Max 2." {
		t.Errorf("override not used: %q", sys)
	}
	if s.Hash() == def.Hash() {
		t.Error("the hash ignores the override, so cached answers would be reused")
	}
	// unit.tmpl was not overridden: the embedded one is used.
	if _, err := s.Request(RequestData{Path: "a.go"}); err != nil {
		t.Error(err)
	}
}

func TestBadOverridesFailEarly(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("a missing directory was accepted")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, UnitFile), []byte("{{.NoSuchField}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), UnitFile) {
		t.Errorf("a template naming an unknown field: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, UnitFile), []byte("{{if}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), UnitFile) {
		t.Errorf("a template that does not parse: %v", err)
	}
}
