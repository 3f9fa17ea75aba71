package checklist

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// loadMode is what prodready's loader asks for: syntax and types for the
// packages matched, export data for everything else.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
	packages.NeedImports | packages.NeedTypes | packages.NeedTypesSizes |
	packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedModule

var moduleWantRE = regexp.MustCompile("// want (`[^`]*`|\"(?:[^\"\\\\]|\\\\.)*\")")

// runModule loads the testdata module under testdata/programmod/name the way
// prodready does (its packages as roots, dependencies from export data),
// runs analyzers over it with the checker and matches every diagnostic,
// wherever in the module it lands, against the `// want` comments of all
// its files: each diagnostic needs a want on its line, and each want a
// diagnostic. A diagnostic capped by its Category is matched as "[info] "
// or "[warning] " followed by its message.
func runModule(t *testing.T, name string, patterns []string, analyzers ...*analysis.Analyzer) *checker.Graph {
	t.Helper()
	graph, pkgs, dir := loadModule(t, name, patterns, analyzers...)
	type key struct {
		file string
		line int
	}
	want := map[key][]*regexp.Regexp{}
	for _, p := range pkgs {
		for _, f := range p.Syntax {
			for _, cg := range f.Comments {
				for _, c := range cg.List {
					m := moduleWantRE.FindStringSubmatch(c.Text)
					if m == nil {
						continue
					}
					s := m[1]
					if s[0] == '"' {
						s, _ = strconv.Unquote(s)
					} else {
						s = s[1 : len(s)-1]
					}
					pos := p.Fset.Position(c.Pos())
					want[key{pos.Filename, pos.Line}] = append(want[key{pos.Filename, pos.Line}], regexp.MustCompile(s))
				}
			}
		}
	}
	seen := map[string]bool{}
	var unexpected []string
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Errorf("%s: %v", act, act.Err)
			continue
		}
		for _, d := range act.Diagnostics {
			pos := act.Package.Fset.Position(d.Pos)
			msg := d.Message
			switch d.Category {
			case AtMostInfo:
				msg = "[info] " + msg // a want anchored on ^ tells a posted finding from a capped one
			case AtMostWarning:
				msg = "[warning] " + msg
			}
			id := pos.String() + msg
			if seen[id] {
				continue
			}
			seen[id] = true
			k := key{pos.Filename, pos.Line}
			matched := false
			for i, rx := range want[k] {
				if rx.MatchString(msg) {
					want[k] = append(want[k][:i], want[k][i+1:]...)
					matched = true
					break
				}
			}
			if !matched {
				unexpected = append(unexpected, rel(dir, pos.String())+": unexpected diagnostic: "+msg)
			}
		}
	}
	for k, rxs := range want {
		for _, rx := range rxs {
			unexpected = append(unexpected, rel(dir, k.file)+":"+strconv.Itoa(k.line)+": no diagnostic matching "+rx.String())
		}
	}
	sort.Strings(unexpected)
	for _, u := range unexpected {
		t.Error(u)
	}
	return graph
}

// loadModule loads and analyses the testdata module under
// testdata/programmod/name the way prodready does.
func loadModule(t *testing.T, name string, patterns []string, analyzers ...*analysis.Analyzer) (*checker.Graph, []*packages.Package, string) {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "programmod", name))
	if err != nil {
		t.Fatal(err)
	}
	cfg := &packages.Config{Mode: loadMode, Dir: dir, Env: append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off")}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		t.Fatal(err)
	}
	graph, err := checker.Analyze(analyzers, pkgs, &checker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return graph, pkgs, dir
}

func rel(dir, p string) string {
	if r, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return p
}
