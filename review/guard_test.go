package review

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist"
	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/load"
)

// TestCheckPanicIsANote: a check that panics on a package costs its own
// findings there, which the notes name; the other checks still report, and
// the run does not crash.
func TestCheckPanicIsANote(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/svc\n\ngo 1.22\n")
	write("fetch.go", `package svc

import (
	"io"
	"net/http"
)

// Fetch reads a page with the default client.
func Fetch(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}
`)
	res, err := load.Patterns(context.Background(), dir, dir, []string{"./..."}, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	timeout := checklist.Lookup("http-no-timeout")
	if timeout == nil {
		t.Fatal("http-no-timeout is not in the catalogue")
	}
	broken := &checklist.Check{ID: "broken-check", Question: finding.FailsHalfway, Severity: finding.SeverityError,
		Analyzer: &analysis.Analyzer{Name: "broken_check", Doc: "panics on every package",
			Run: func(*analysis.Pass) (any, error) { panic("index out of range [3] with length 3") }}}
	out, ms, err := analyzeModel(dir, res.Packages, []*checklist.Check{broken, timeout}, config.Config{})
	if err != nil {
		t.Fatalf("analyzeModel: %v", err)
	}
	if len(out) == 0 || out[0].Check != "http-no-timeout" {
		t.Errorf("findings = %v, want http-no-timeout's finding beside the failed check", out)
	}
	notes := ms.cutNotes()
	if len(notes) != 1 || notes[0].Kind != finding.NoteCheckFailed || notes[0].Path != "." ||
		!strings.Contains(notes[0].Reason, "broken_check") || !strings.Contains(notes[0].Reason, "index out of range") {
		t.Fatalf("notes = %q, want one check-failed note naming the check, its package and the panic", notes)
	}
	if got := notes[0].Skipped().Reason; !strings.HasPrefix(got, "check failed: ") {
		t.Errorf("skipped reason = %q, want it to start with \"check failed: \"", got)
	}
}
