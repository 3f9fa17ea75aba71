package checklist

import (
	"go/token"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// TestCatalogEntries holds every entry to the catalog's contract: a unique
// ID, one of the three questions, a severity, a title, a rationale, a fix, a
// bad and a good example, and an analyzer that runs on broken code.
func TestCatalogEntries(t *testing.T) {
	checks := Catalog()
	if len(checks) == 0 {
		t.Fatal("the catalog is empty")
	}
	seen := map[string]bool{}
	for _, c := range checks {
		if c.ID == "" || seen[c.ID] {
			t.Errorf("check %q: empty or duplicate ID", c.ID)
		}
		seen[c.ID] = true
		if !c.Question.Valid() {
			t.Errorf("%s: question %q is not one of the three", c.ID, c.Question)
		}
		if !c.Severity.Valid() {
			t.Errorf("%s: severity %q is not error, warning or info", c.ID, c.Severity)
		}
		for field, v := range map[string]string{"Title": c.Title, "Rationale": c.Rationale, "Fix": c.Fix, "Bad": c.Bad, "Good": c.Good} {
			if v == "" {
				t.Errorf("%s: %s is empty", c.ID, field)
			}
		}
		if c.Analyzer == nil {
			t.Errorf("%s: no analyzer", c.ID)
			continue
		}
		if !token.IsIdentifier(c.Analyzer.Name) {
			t.Errorf("%s: analyzer name %q is not a Go identifier", c.ID, c.Analyzer.Name)
		}
		if !c.Analyzer.RunDespiteErrors {
			t.Errorf("%s: analyzer %s does not run on packages with type errors", c.ID, c.Analyzer.Name)
		}
		if l := Lookup(c.ID); l == nil || l.Analyzer != c.Analyzer {
			t.Errorf("%s: Lookup does not find it", c.ID)
		}
	}
	if err := analysis.Validate(Analyzers(checks)); err != nil {
		t.Fatalf("analyzers do not validate: %v", err)
	}
}

// TestGoodCodeIsSilent runs every analyzer of the catalog, through the
// same go/analysis/checker driver the review uses, over a corpus of
// realistic, correct services, and expects no finding at all.
func TestGoodCodeIsSilent(t *testing.T) {
	pkgs := loadTestdata(t, "goodcode/...")
	if len(pkgs) < 3 {
		t.Fatalf("loaded %d goodcode packages, want at least 3", len(pkgs))
	}
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			t.Fatalf("goodcode package %s does not type-check: %v", p.PkgPath, p.Errors[0])
		}
	}
	analyzers := Analyzers(Catalog())
	graph, err := checker.Analyze(analyzers, pkgs, &checker.Options{})
	if err != nil {
		t.Fatalf("analyze: %v", err)
	}
	ran := 0
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Errorf("%s on %s: %v", act.Analyzer.Name, act.Package.PkgPath, act.Err)
		}
		ran++
		for _, d := range act.Diagnostics {
			t.Errorf("%s: %s reports on correct code: %s", act.Package.Fset.Position(d.Pos), act.Analyzer.Name, d.Message)
		}
	}
	if want := len(analyzers) * len(pkgs); ran != want {
		t.Errorf("ran %d analyzer actions, want %d", ran, want)
	}
}

// loadTestdata loads packages from testdata/src in GOPATH mode, with the
// stand-in modules there, as analysistest does.
func loadTestdata(t testing.TB, patterns ...string) []*packages.Package {
	t.Helper()
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &packages.Config{
		Mode: packages.LoadAllSyntax,
		Dir:  filepath.Join(dir, "src"),
		Env:  append(os.Environ(), "GOPATH="+dir, "GO111MODULE=off", "GOFLAGS=", "GOWORK=off"),
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		t.Fatalf("load %v: %v", patterns, err)
	}
	return pkgs
}

// TestTestdataTypeChecks makes sure every test package (and the stand-ins
// for third-party modules) type-checks, so that the analysistest cases
// exercise the type-based paths rather than the syntax fallback.
func TestTestdataTypeChecks(t *testing.T) {
	pkgs := loadTestdata(t, "./...")
	if len(pkgs) < 20 {
		t.Fatalf("loaded %d testdata packages, want at least 20", len(pkgs))
	}
	for _, p := range pkgs {
		if len(p.GoFiles) > 0 {
			// Module-mode test packages (with their own go.mod) are loaded
			// and checked by their own tests.
			if _, err := os.Stat(filepath.Join(filepath.Dir(p.GoFiles[0]), "go.mod")); err == nil {
				continue
			}
		}
		for _, e := range p.Errors {
			t.Errorf("%s: %v", p.PkgPath, e)
		}
	}
}
