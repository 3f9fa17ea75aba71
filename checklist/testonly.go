package checklist

import (
	"go/token"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist/program"
)

// testOnlyCode reports whether pos lies in code that runs only under test or
// as a demonstration: a _test.go file (where the program model's test-only
// entries live: tests, benchmarks, fuzz targets and examples), or a package
// under an example directory (example, examples, _examples), whose
// programs show an API and serve nobody. The fails-halfway checks that
// judge by context are silent there.
func testOnlyCode(pass *analysis.Pass, pos token.Pos) bool {
	f := pass.Fset.File(pos)
	if f == nil {
		return false
	}
	if strings.HasSuffix(f.Name(), "_test.go") {
		return true
	}
	if model, _ := pass.ResultOf[program.Analyzer].(*program.Model); model != nil {
		for _, e := range model.Entries {
			if e.Delivery == program.TestOnly && pass.Fset.File(e.Pos) == f {
				return true
			}
		}
	}
	for _, dir := range strings.Split(filepath.ToSlash(filepath.Dir(f.Name())), "/") {
		if dir == "example" || dir == "examples" || dir == "_examples" {
			return true
		}
	}
	return false
}
