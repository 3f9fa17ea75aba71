package checklist

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// TestBundleMatchesAnalyzers: the bundle finds, package by package, what
// the catalogue's analyzers find run side by side, on modules of several
// packages whose checks carry facts across them (tokens, TOTP verdicts,
// reads of a request body).
func TestBundleMatchesAnalyzers(t *testing.T) {
	t.Parallel()
	for _, mod := range []string{"shop", "tokens", "totp", "kvtokens", "orders"} {
		t.Run(mod, func(t *testing.T) {
			t.Parallel()
			checks := Catalog()
			apart, _, dir := loadModule(t, mod, []string{"./..."}, Analyzers(checks)...)
			var want []string
			for _, act := range apart.Roots {
				for _, d := range act.Diagnostics {
					want = append(want, fmt.Sprintf("%s %s %s", IDOf(act.Analyzer), rel(dir, act.Package.Fset.Position(d.Pos).String()), d.Message))
				}
			}
			bundle := Bundle(checks)
			together, _, _ := loadModule(t, mod, []string{"./..."}, bundle)
			var got []string
			for _, act := range together.Roots {
				if act.Err != nil {
					t.Fatalf("%s: %v", act.Package.PkgPath, act.Err)
				}
				res := act.Result.(*BundleResult)
				for _, f := range res.Failed {
					t.Errorf("%s failed: %v", f.Analyzer.Name, f.Err)
				}
				for _, cd := range res.Diagnostics {
					got = append(got, fmt.Sprintf("%s %s %s", IDOf(cd.Analyzer), rel(dir, act.Package.Fset.Position(cd.Diagnostic.Pos).String()), cd.Diagnostic.Message))
				}
			}
			slices.Sort(want)
			slices.Sort(got)
			if len(want) == 0 {
				t.Fatal("the module has no findings to compare")
			}
			if !slices.Equal(got, want) {
				t.Errorf("bundle:\n%q\nanalyzers apart:\n%q", got, want)
			}
		})
	}
}

// TestBundleContainsPanic: a check that panics loses its own findings on
// the package, reported as failed, and the others still report.
func TestBundleContainsPanic(t *testing.T) {
	t.Parallel()
	boom := &analysis.Analyzer{Name: "boom", Doc: "panics", Run: func(*analysis.Pass) (any, error) { panic("boom") }}
	fails := &analysis.Analyzer{Name: "fails", Doc: "errs", Run: func(*analysis.Pass) (any, error) { return nil, errors.New("no") }}
	checks := append([]*Check{{ID: "boom", Analyzer: boom}, {ID: "fails", Analyzer: fails}}, Catalog()...)
	graph, _, _ := loadModule(t, "tokens", []string{"./..."}, Bundle(checks))
	found, failed := 0, 0
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Fatalf("%s: %v", act.Package.PkgPath, act.Err)
		}
		res := act.Result.(*BundleResult)
		found += len(res.Diagnostics)
		for _, f := range res.Failed {
			if f.Analyzer != boom && f.Analyzer != fails {
				t.Errorf("%s failed: %v", f.Analyzer.Name, f.Err)
			}
			failed++
		}
	}
	if found == 0 {
		t.Error("no findings beside the failing checks")
	}
	if failed != 2*len(graph.Roots) {
		t.Errorf("%d failures, want two on each of %d packages", failed, len(graph.Roots))
	}
}
