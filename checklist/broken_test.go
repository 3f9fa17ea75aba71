package checklist

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// brokenTypes has deliberate type errors around code that every syntax-level
// check can still judge.
const brokenTypes = `package broken

import (
	"database/sql"
	"net/http"
	"strings"
	"time"

	"example.com/not/downloaded"
)

func fetch(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	var n int = "not a number"
	_ = n
	return resp.Body.Close()
}

func fanOut(r *http.Request) {
	for _, u := range strings.Split(r.FormValue("urls"), ",") {
		go fetch(u)
	}
	undefinedHelper(downloaded.Thing)
}

func serve(h http.Handler) error {
	return http.ListenAndServe(":8080", h)
}

func open(dsn string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	return serveWith(func() error { return db.Ping(42) })
}

func slow(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second)
	missing.Call(w)
}

func client() *http.Client {
	return &http.Client{Transport: nosuch.Transport}
}

var (
	sharedTransport = &http.Transport{MaxIdleConns: undefinedLimit}
	sharedClient    = &http.Client{Transport: sharedTransport}
	serveFn         = http.ListenAndServe
	lateServer      = new(http.Server)
)
`

// brokenSyntax stops parsing halfway; the functions before the error still
// get their findings.
const brokenSyntax = `package syntaxbroken

import "net/http"

func fetch(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func broken( {
	if x := ; x > {
`

// brokenWant lists the findings that must survive broken types, by file,
// line and check ID.
var brokenWant = map[string][]string{
	"broken/broken.go": {
		"13 http-no-timeout",
		"24 goroutine-unbounded",
		"30 server-no-timeouts",
		"34 db-pool-unbounded",
		"42 sleep-in-handler",
		"47 http-no-timeout", // returned, no send in sight: info
		"47 prodready:at-most-info",
		"52 http-no-timeout",
		"52 prodready:at-most-info",
		"54 server-no-timeouts",
	},
	"syntaxbroken/syntaxbroken.go": {
		"6 http-no-timeout",
	},
}

// TestBrokenPackages loads a temporary module with type errors, a missing
// dependency and a syntax error through go/packages, runs every catalog
// analyzer over it twice (with the partial type information go/packages
// gives, and with none at all, as for a package that could not be loaded),
// and expects no panic, no analyzer error, and the syntax-level findings.
func TestBrokenPackages(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatalf("the go command is needed to load packages: %v", err)
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/brokenmod\n\ngo 1.22\n")
	writeFile(t, filepath.Join(dir, "broken", "broken.go"), brokenTypes)
	writeFile(t, filepath.Join(dir, "syntaxbroken", "syntaxbroken.go"), brokenSyntax)
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
			packages.NeedTypes | packages.NeedTypesSizes | packages.NeedSyntax | packages.NeedTypesInfo,
		Dir:   dir,
		Env:   append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"),
		Tests: false,
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if len(pkgs) != 2 {
		t.Fatalf("loaded %d packages, want 2", len(pkgs))
	}
	for _, p := range pkgs {
		if len(p.Errors) == 0 {
			t.Fatalf("package %s loaded without errors; the test needs broken code", p.PkgPath)
		}
		if p.TypesInfo == nil || p.Types == nil {
			t.Fatalf("package %s has no type information at all", p.PkgPath)
		}
	}
	for _, variant := range []string{"partial types", "no types"} {
		t.Run(variant, func(t *testing.T) {
			if variant == "no types" {
				for _, p := range pkgs {
					p.Types = types.NewPackage(p.PkgPath, p.Name)
					p.TypesInfo = emptyInfo()
				}
			}
			got := runAll(t, pkgs, dir)
			for file, wants := range brokenWant {
				for _, w := range wants {
					if !got[file+":"+w] {
						t.Errorf("missing finding %s:%s; got %v", file, w, keys(got))
					}
				}
			}
		})
	}
}

// TestAllTestdata runs every analyzer over every test package, stand-ins
// included, through the checker, and expects no panic and no error.
func TestAllTestdata(t *testing.T) {
	pkgs := loadTestdata(t, "./...")
	got := runAll(t, pkgs, "")
	if len(got) == 0 {
		t.Fatal("no findings at all over the test packages")
	}
}

// FuzzBrokenSource feeds arbitrary Go source to every analyzer, with no type
// information and with whatever go/types makes of it without imports. The
// seeds are this package's test sources, whole and cut short at several
// points. It checks only that nothing panics or fails.
func FuzzBrokenSource(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "src", "*", "*.go"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed files: %v", err)
	}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
		for _, frac := range []int{3, 2} {
			f.Add(src[:len(src)/frac])
		}
		f.Add([]byte(strings.ReplaceAll(string(src), "}", "")))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fset := token.NewFileSet()
		file, _ := parser.ParseFile(fset, "fuzz.go", src, parser.ParseComments|parser.AllErrors)
		if file == nil || file.Name == nil {
			return
		}
		name := file.Name.Name
		if !token.IsIdentifier(name) {
			name = "fuzz" // a package clause the parser could not read
		}
		for _, typed := range []bool{false, true} {
			// As review/load hands over a package that failed to load: its
			// errors listed, empty type information, the syntax it has.
			pkg := &packages.Package{
				ID: "fuzz", Name: name, PkgPath: "example.com/fuzz",
				Fset: fset, Syntax: []*ast.File{file}, IllTyped: true,
				Errors: []packages.Error{{Msg: "broken on purpose"}},
				Types:  types.NewPackage("example.com/fuzz", name), TypesInfo: emptyInfo(),
				TypesSizes: types.SizesFor("gc", "amd64"),
			}
			if typed {
				conf := types.Config{Importer: noImporter{}, Error: func(error) {}}
				if checked, _ := conf.Check(pkg.PkgPath, fset, pkg.Syntax, pkg.TypesInfo); checked != nil {
					pkg.Types = checked
				}
			}
			runAll(t, []*packages.Package{pkg}, "")
		}
	})
}

type noImporter struct{}

func (noImporter) Import(path string) (*types.Package, error) {
	return nil, fmt.Errorf("no importer in this test: %s", path)
}

// runAll runs every catalog analyzer through go/analysis/checker, turning a
// panic in any of them into a test failure, and returns the findings as
// "relative/path.go:line check-id".
func runAll(t *testing.T, pkgs []*packages.Package, root string) map[string]bool {
	t.Helper()
	checks := Catalog()
	ids := map[string]string{} // analyzer name to check ID
	for _, c := range checks {
		if _, ok := ids[c.Analyzer.Name]; !ok {
			ids[c.Analyzer.Name] = c.ID
		}
	}
	// Analyzers runs each check guarded: a panic becomes the action's
	// error, which fails the test below.
	graph, err := checker.Analyze(Analyzers(checks), pkgs, &checker.Options{})
	if err != nil {
		t.Fatalf("analyze: %v", err)
	}
	got := map[string]bool{}
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Errorf("%s on %s: %v", act.Analyzer.Name, act.Package.PkgPath, act.Err)
			continue
		}
		for _, d := range act.Diagnostics {
			pos := act.Package.Fset.Position(d.Pos)
			rel := pos.Filename
			if root != "" {
				if r, err := filepath.Rel(root, pos.Filename); err == nil {
					rel = filepath.ToSlash(r)
				}
			}
			// A capped finding is recorded under its check and its cap.
			got[fmt.Sprintf("%s:%d %s", rel, pos.Line, ids[act.Analyzer.Name])] = true
			if d.Category != "" {
				got[fmt.Sprintf("%s:%d %s", rel, pos.Line, d.Category)] = true
			}
		}
	}
	return got
}

func emptyInfo() *types.Info {
	return &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Instances:    map[*ast.Ident]types.Instance{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Scopes:       map[ast.Node]*types.Scope{},
		FileVersions: map[*ast.File]string{},
	}
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
