package checklist

import (
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist/program"
)

// testOnlyCode reports whether pos lies in code that runs only under test or
// as a demonstration: a file of the program model's test-only entries
// (tests, benchmarks, fuzz targets and examples), or a file the model's
// path and file rules (program.IsTestSupport, the rules program.Where uses
// for the under-load checks) call test support: _test.go files, test
// helpers, mocks, fakes and example programs, which serve nobody. The
// fails-halfway checks that judge by context are silent there.
func testOnlyCode(pass *analysis.Pass, pos token.Pos) bool {
	f := pass.Fset.File(pos)
	if f == nil {
		return false
	}
	model, _ := pass.ResultOf[program.Analyzer].(*program.Model)
	if testOnly, known := model.TestOnlyFile(f); known {
		return testOnly // judged once per file by the model
	}
	if program.IsTestSupport(pass.Pkg.Path(), pass.Pkg.Name(), f.Name()) {
		return true
	}
	if model != nil {
		for _, e := range model.Entries {
			if e.Delivery == program.TestOnly && pass.Fset.File(e.Pos) == f {
				return true
			}
		}
	}
	return false
}
