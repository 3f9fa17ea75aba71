package patch

import (
	"strings"
	"testing"
)

const sample = `diff --git a/client/price.go b/client/price.go
index 1111111..2222222 100644
--- a/client/price.go
+++ b/client/price.go
@@ -1,5 +1,7 @@
 package client
 
-import "net/http"
+import (
+	"net/http"
+)
 
 func F() {}
@@ -20,3 +22,4 @@ func G() {
 	a := 1
+	b := 2
 	_ = a
 }
diff --git a/old.go b/new.go
similarity index 90%
rename from old.go
rename to new.go
index 3333333..4444444 100644
--- a/old.go
+++ b/new.go
@@ -1,2 +1,2 @@
 package x
-var v = 1
+var v = 2
diff --git a/gone.go b/gone.go
deleted file mode 100644
index 5555555..0000000
--- a/gone.go
+++ /dev/null
@@ -1,2 +0,0 @@
-package x
-var gone = 1
diff --git a/logo.png b/logo.png
new file mode 100644
index 0000000..6666666
Binary files /dev/null and b/logo.png differ
`

func TestParse(t *testing.T) {
	p, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Files) != 4 {
		t.Fatalf("want 4 files, got %d", len(p.Files))
	}
	f := p.File("client/price.go")
	if f == nil {
		t.Fatal("client/price.go missing")
	}
	for _, n := range []int{3, 4, 5, 23} {
		if !f.Added(n) {
			t.Errorf("line %d should be added", n)
		}
	}
	for _, n := range []int{1, 2, 6, 7, 22, 24, 25} {
		if f.Added(n) || !f.InHunk(n) {
			t.Errorf("line %d should be context in a hunk", n)
		}
	}
	if f.InHunk(10) || f.HunkIndex(10) != -1 {
		t.Error("line 10 lies between hunks")
	}
	if f.HunkIndex(23) != 1 || f.HunkIndex(3) != 0 {
		t.Error("wrong hunk index")
	}
	if l, _ := f.Line(23); l.Text != "\tb := 2" {
		t.Errorf("line 23 text %q", l.Text)
	}
	if got := f.AddedLines(); len(got) != 4 {
		t.Errorf("added lines %v", got)
	}

	r := p.File("new.go")
	if r == nil || !r.IsRename || r.OldPath != "old.go" || !r.Added(2) {
		t.Fatalf("rename: %+v", r)
	}
	d := p.File("gone.go")
	if d == nil || !d.IsDelete || d.NewPath != "" {
		t.Fatalf("delete: %+v", d)
	}
	b := p.File("logo.png")
	if b == nil || !b.IsBinary || !b.IsNew {
		t.Fatalf("binary: %+v", b)
	}
}

func TestInScope(t *testing.T) {
	p, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		mode Filter
		path string
		line int
		want bool
	}{
		{FilterAdded, "client/price.go", 23, true},
		{FilterAdded, "client/price.go", 22, false},
		{FilterDiffContext, "client/price.go", 22, true},
		{FilterDiffContext, "client/price.go", 10, false},
		{FilterFile, "client/price.go", 10, true},
		{FilterFile, "other.go", 1, false},
		{FilterFile, "gone.go", 1, false},
		{FilterNone, "other.go", 1, true},
	}
	for _, c := range cases {
		if got := p.InScope(c.mode, c.path, c.line); got != c.want {
			t.Errorf("InScope(%s, %s, %d) = %v, want %v", c.mode, c.path, c.line, got, c.want)
		}
	}
}

func TestParseCRLF(t *testing.T) {
	// git keeps a CRLF file's CR at the end of each content line.
	diff := "diff --git a/w.go b/w.go\nindex 1..2 100644\n--- a/w.go\n+++ b/w.go\n@@ -1,1 +1,2 @@\n package w\r\n+var x = 1\r\n"
	p, err := Parse(strings.NewReader(diff))
	if err != nil {
		t.Fatal(err)
	}
	f := p.File("w.go")
	if f == nil || !f.Added(2) {
		t.Fatalf("CRLF diff: %+v", f)
	}
	if l, _ := f.Line(2); l.Text != "var x = 1" {
		t.Fatalf("CR must be trimmed, got %q", l.Text)
	}
}

func TestParseEmptyAndMalformed(t *testing.T) {
	p, err := Parse(strings.NewReader(""))
	if err != nil || len(p.Files) != 0 {
		t.Fatalf("empty diff: %v %v", p, err)
	}
	bad := "diff --git a/x.go b/x.go\n--- a/x.go\n+++ b/x.go\n@@ -1,3 +1,3 @@\n line\n"
	if _, err := Parse(strings.NewReader(bad)); err == nil {
		t.Fatal("a hunk shorter than its header must be an error")
	} else if !strings.Contains(err.Error(), "parse diff") {
		t.Fatalf("error must name the stage: %v", err)
	}
}

func TestParseFilter(t *testing.T) {
	if f, err := ParseFilter(""); err != nil || f != FilterAdded {
		t.Fatalf("default filter: %v %v", f, err)
	}
	if _, err := ParseFilter("lines"); err == nil {
		t.Fatal("want error for unknown filter")
	}
}
