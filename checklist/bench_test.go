package checklist

import (
	"testing"

	"golang.org/x/tools/go/analysis/checker"
)

// BenchmarkCatalog measures the catalog's own analysis, without package
// loading, over the test packages (about 4,000 lines with the stand-ins).
func BenchmarkCatalog(b *testing.B) {
	pkgs := loadTestdata(b, "./...")
	if len(pkgs) == 0 {
		b.Fatal("no packages")
	}
	analyzers := Analyzers(Catalog())
	b.ResetTimer()
	for b.Loop() {
		if _, err := checker.Analyze(analyzers, pkgs, &checker.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
