package checklist

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite CHECKS.md from the catalog")

// TestChecksMarkdown keeps CHECKS.md in step with the catalog: it renders
// the catalog and compares. Run `go generate ./checklist` (or this test with
// -update) to rewrite the file.
func TestChecksMarkdown(t *testing.T) {
	got := Markdown()
	if *update {
		if err := os.WriteFile("CHECKS.md", got, 0o644); err != nil {
			t.Fatalf("write CHECKS.md: %v", err)
		}
	}
	want, err := os.ReadFile("CHECKS.md")
	if err != nil {
		t.Fatalf("read CHECKS.md: %v; run go generate ./checklist to create it", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("CHECKS.md is out of date with the catalog; run go generate ./checklist")
	}
	for _, c := range Catalog() {
		if !bytes.Contains(got, []byte("\n### "+c.ID+"\n")) {
			t.Errorf("CHECKS.md has no section for %s", c.ID)
		}
		if !bytes.Contains(got, []byte(c.Rationale)) || !bytes.Contains(got, []byte(c.Good)) {
			t.Errorf("CHECKS.md lacks the rationale or good example of %s", c.ID)
		}
	}
	for _, id := range []string{"http-body-not-closed", "server-no-timeouts", "http-no-timeout"} {
		if !strings.Contains(docPeer(id), "testdata/src/peer") {
			t.Errorf("%s has no peer comparison pointing at its cases", id)
		}
	}
}

// Every check says where it speaks and why its severity is what it is, and
// the reason starts with the severity it explains.
func TestEveryCheckSaysWhereItSpeaks(t *testing.T) {
	for _, c := range Catalog() {
		if c.SpeaksIn == "" || c.SeverityReason == "" {
			t.Errorf("%s: no Speaks in or severity reason in contexts.go", c.ID)
			continue
		}
		if !strings.HasPrefix(c.SeverityReason, string(c.Severity)+":") {
			t.Errorf("%s: severity reason %q does not start with its severity %s", c.ID, c.SeverityReason, c.Severity)
		}
	}
	if len(speech) != len(Catalog()) {
		t.Errorf("contexts.go describes %d checks, the catalog has %d", len(speech), len(Catalog()))
	}
}
