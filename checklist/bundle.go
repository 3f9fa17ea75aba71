package checklist

import (
	"reflect"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist/internal/code"
)

// BundleResult is what Bundle's analyzer found on one package: every
// check's diagnostics, each with the check's analyzer, and the checks that
// failed there.
type BundleResult struct {
	Diagnostics []CheckDiagnostic
	Failed      []CheckFailure
}

// CheckDiagnostic is one diagnostic of one check.
type CheckDiagnostic struct {
	Analyzer   *analysis.Analyzer
	Diagnostic analysis.Diagnostic
}

// CheckFailure is a check that failed on a package (a panic, an error).
type CheckFailure struct {
	Analyzer *analysis.Analyzer
	Err      error
}

// Bundle returns one analyzer that runs the analyzers of checks in turn on
// each package, sharing what they require (the program model, the
// inspector, the call index). The result is the same as running them side
// by side under golang.org/x/tools/go/analysis/checker, but the checker
// schedules one action per analyzer and package and one goroutine per
// dependency edge, and with forty-odd checks over a large module that
// bookkeeping cost about two fifths of the analysis (k8s.io/client-go: some
// 100,000 goroutines a run; BenchmarkCheckModule in review/). Each check runs
// behind code.Guard, so one that panics loses its own findings on that
// package only (BundleResult.Failed says so). The analyzers stay as they
// are for analysistest and the vet tool, which run them one by one.
func Bundle(checks []*Check) *analysis.Analyzer {
	var runs []*analysis.Analyzer
	seen := map[*analysis.Analyzer]bool{}
	var requires []*analysis.Analyzer
	required := map[*analysis.Analyzer]bool{}
	var facts []analysis.Fact
	factTypes := map[reflect.Type]bool{}
	for _, c := range checks {
		a := c.Analyzer
		if a == nil || seen[a] {
			continue
		}
		seen[a] = true
		runs = append(runs, a)
		for _, r := range a.Requires {
			if !required[r] {
				required[r] = true
				requires = append(requires, r)
			}
		}
		for _, f := range a.FactTypes {
			if t := reflect.TypeOf(f); !factTypes[t] {
				factTypes[t] = true
				facts = append(facts, f)
			}
		}
	}
	return &analysis.Analyzer{
		Name:             "checklist",
		Doc:              "runs the catalogue's checks in turn on each package",
		Requires:         requires,
		FactTypes:        facts,
		RunDespiteErrors: true,
		ResultType:       reflect.TypeOf((*BundleResult)(nil)),
		Run: func(pass *analysis.Pass) (any, error) {
			res := &BundleResult{}
			for _, a := range runs {
				if !a.RunDespiteErrors && len(pass.TypeErrors) > 0 {
					continue
				}
				sub := *pass
				sub.Analyzer = a
				sub.Report = func(d analysis.Diagnostic) {
					res.Diagnostics = append(res.Diagnostics, CheckDiagnostic{Analyzer: a, Diagnostic: d})
				}
				if _, err := code.Guard(a.Name, a.Run)(&sub); err != nil {
					res.Failed = append(res.Failed, CheckFailure{Analyzer: a, Err: err})
				}
			}
			return res, nil
		},
	}
}
