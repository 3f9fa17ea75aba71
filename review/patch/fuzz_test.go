package patch

import (
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary text to the Patch stage: it must return a patch or
// an error, never panic, and every indexed line must point back at itself.
func FuzzParse(f *testing.F) {
	f.Add(sample)
	f.Add("")
	f.Add("diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -0,0 +1 @@\n+x\n")
	f.Add("diff --git a/a.go b/a.go\nnew file mode 100644\n--- /dev/null\n+++ b/a.go\n@@ -0,0 +1,2 @@\n+package a\n+\r\n")
	f.Add("@@ -1 +1 @@\n-a\n+b\n")
	f.Fuzz(func(t *testing.T, text string) {
		p, err := Parse(strings.NewReader(text))
		if err != nil {
			return
		}
		for _, file := range p.Files {
			if p.File(file.Path()) == nil {
				t.Fatalf("file %q not indexed", file.Path())
			}
			for hi, h := range file.Hunks {
				for _, l := range h.Lines {
					if l.New == 0 {
						continue
					}
					got, ok := file.Line(l.New)
					if !ok || file.HunkIndex(l.New) < 0 {
						t.Fatalf("line %d of hunk %d not indexed", l.New, hi)
					}
					if got.New != l.New {
						t.Fatalf("line %d indexed as %d", l.New, got.New)
					}
				}
			}
			for _, n := range file.AddedLines() {
				if !file.Added(n) {
					t.Fatalf("added line %d not reported as added", n)
				}
			}
		}
	})
}
