package llm_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/prodready/prodready/review"
	"github.com/prodready/prodready/review/llm"
)

// The stage implements the pipeline's interface without importing it.
var _ review.Asker = (*llm.Stage)(nil)

// TestNothingUnderLLMImportsReview keeps the arrow pointing down: the Ask
// stage knows review/ask, never the pipeline (package review) above it.
func TestNothingUnderLLMImportsReview(t *testing.T) {
	const pipeline = "github.com/prodready/prodready/review"
	n := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		n++
		for _, im := range f.Imports {
			if p, _ := strconv.Unquote(im.Path.Value); p == pipeline {
				t.Errorf("%s imports %s", path, pipeline)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 5 {
		t.Fatalf("read %d files; the walk missed the package", n)
	}
}
