package action_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/github/action"
	"github.com/prodready/prodready/review/patch"
)

// BenchmarkLoadSanitizeTampered measures --post's intake of a hostile
// artifact: 1,000 findings, one with a 10 MB message, half anchored outside
// the diff.
func BenchmarkLoadSanitizeTampered(b *testing.B) {
	diff := "diff --git a/a.go b/a.go\n--- a/a.go\n+++ b/a.go\n@@ -1,2 +1,3 @@\n package a\n+var X = 1\n \n"
	pt, err := patch.Parse(strings.NewReader(diff))
	if err != nil {
		b.Fatal(err)
	}
	a := &action.Artifact{Version: 1, Repository: "o/r", Number: 1, HeadSHA: strings.Repeat("a", 40)}
	for i := 0; i < 1000; i++ {
		line := 2
		if i%2 == 1 {
			line = 40
		}
		f := finding.Finding{Path: "a.go", Line: line, EndLine: line, Check: "c", Question: finding.RunsTwice,
			Severity: finding.SeverityWarning, Message: "@someone look", Source: finding.SourceChecklist,
			Fingerprint: fmt.Sprintf("%016x", i)}
		if i == 0 {
			f.Message = strings.Repeat("A", 10<<20)
		}
		a.Findings = append(a.Findings, action.ArtifactFinding{Finding: f})
	}
	file := filepath.Join(b.TempDir(), "a.json")
	if err := a.Save(file); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got, err := action.LoadArtifact(file)
		if err != nil {
			b.Fatal(err)
		}
		rep, dropped := action.Sanitize(got, "", a.HeadSHA, pt)
		if len(rep.Findings) != 499 || len(dropped) != 501 {
			b.Fatalf("kept %d, dropped %d", len(rep.Findings), len(dropped))
		}
	}
}
