package checklist

import (
	"os/exec"
	"strings"
	"testing"
)

// TestChecklistImportsNothingAbove holds the arrows down: no package of the
// checklist, nor anything it depends on, is part of the review pipeline, the
// GitHub side or the CLI.
func TestChecklistImportsNothingAbove(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	const mod = "github.com/prodready/prodready/"
	var seen int
	for _, pkg := range strings.Fields(string(out)) {
		rel, ok := strings.CutPrefix(pkg, mod)
		if !ok {
			continue
		}
		seen++
		for _, above := range []string{"review", "github", "internal/cli"} {
			if rel == above || strings.HasPrefix(rel, above+"/") {
				t.Errorf("the checklist depends on %s", pkg)
			}
		}
	}
	if seen == 0 {
		t.Fatalf("go list -deps named no package of the module:\n%s", out)
	}
}
