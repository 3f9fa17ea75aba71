// Package load type-checks the packages that hold a change's Go files, through
// golang.org/x/tools/go/packages. A package that does not type-check is still
// returned with its syntax, so that syntax-level checks run on it.
package load

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Mode is what the checks need: syntax and full type information for the
// loaded packages, export data for their dependencies.
const Mode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
	packages.NeedImports | packages.NeedTypes | packages.NeedTypesSizes |
	packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedModule

// Options tune a load.
type Options struct {
	// Tags are build tags, as for go build -tags.
	Tags []string
	// Tests loads _test.go files too.
	Tests bool
	// Env is appended to the process environment for the go command; the App
	// sets GOTOOLCHAIN=local, CGO_ENABLED=0 and GOFLAGS=-mod=mod here.
	Env []string
	// Loaded, when set, is told how many packages each load produced, as
	// it finishes (for a progress line).
	Loaded func(n int)
}

// Result is what a load produced.
type Result struct {
	Packages []*packages.Package
	// Partial names each package that loaded only partly, with the first cause.
	Partial []Partial
}

// Partial is a package that did not fully type-check.
type Partial struct {
	// Dir is the package directory, slash-separated, relative to the root.
	Dir    string
	Reason string
}

// Dirs loads the packages in dirs (relative to root). Each nested module is
// loaded from its own go.mod. Directories outside any module are parsed for
// syntax only.
func Dirs(ctx context.Context, root string, dirs []string, opts Options) (*Result, error) {
	byModule := map[string][]string{}
	for _, d := range dirs {
		mod := moduleRoot(root, filepath.Join(root, filepath.FromSlash(d)))
		byModule[mod] = append(byModule[mod], d)
	}
	mods := make([]string, 0, len(byModule))
	for m := range byModule {
		mods = append(mods, m)
	}
	sort.Strings(mods)
	res := &Result{}
	for _, mod := range mods {
		ds := byModule[mod]
		if mod == "" {
			for _, d := range ds {
				pkg, err := parseOnly(root, d, opts.Tests)
				if err != nil {
					return nil, err
				}
				if pkg != nil {
					if opts.Loaded != nil {
						opts.Loaded(1)
					}
					res.Packages = append(res.Packages, pkg)
					res.Partial = append(res.Partial, Partial{Dir: d, Reason: "no go.mod above it; checked for syntax only"})
				}
			}
			continue
		}
		patterns := make([]string, 0, len(ds))
		for _, d := range ds {
			rel, err := filepath.Rel(mod, filepath.Join(root, filepath.FromSlash(d)))
			if err != nil {
				return nil, fmt.Errorf("load %s: %w", d, err)
			}
			patterns = append(patterns, "./"+filepath.ToSlash(rel))
		}
		r, err := Patterns(ctx, root, mod, patterns, opts)
		if err != nil {
			return nil, err
		}
		res.Packages = append(res.Packages, r.Packages...)
		res.Partial = append(res.Partial, r.Partial...)
	}
	return res, nil
}

// Patterns loads go list patterns from dir, a module directory inside root.
func Patterns(ctx context.Context, root, dir string, patterns []string, opts Options) (*Result, error) {
	cfg := &packages.Config{
		Context: ctx,
		Mode:    Mode,
		Dir:     dir,
		Tests:   opts.Tests,
		Env:     workspaceEnv(dir, append(os.Environ(), opts.Env...)),
	}
	if len(opts.Tags) > 0 {
		cfg.BuildFlags = []string{"-tags=" + strings.Join(opts.Tags, ",")}
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("load packages: %w", ctx.Err())
		}
		return nil, fmt.Errorf("load packages %s: %w", strings.Join(patterns, " "), err)
	}
	if opts.Tests {
		pkgs = dropTestMains(pkgs)
	}
	if opts.Loaded != nil {
		opts.Loaded(len(pkgs))
	}
	res := &Result{Packages: pkgs}
	for _, p := range pkgs {
		if len(p.Errors) == 0 && !p.IllTyped {
			continue
		}
		res.Partial = append(res.Partial, Partial{Dir: PackageDir(root, p), Reason: reason(root, dir, p)})
		ensureTypes(p)
	}
	return res, nil
}

// reason names why p loaded only partly, on one line: a dependency that
// failed to load, with Go's own reason, or else the package's first error as
// file:line: message (paths relative to root).
func reason(root, dir string, p *packages.Package) string {
	if dep := failedDependency(p); dep != nil {
		return fmt.Sprintf("dependency %s did not load: %s", dep.PkgPath, oneLine(dep.Errors[0].Msg))
	}
	if len(p.Errors) == 0 {
		return "type information incomplete"
	}
	e := p.Errors[0]
	if e.Pos != "" && e.Pos != "-" {
		return fileLine(root, dir, e.Pos) + ": " + oneLine(e.Msg)
	}
	// go list reports a compile error as "# pkg\n./file.go:5:1: message".
	for _, line := range strings.Split(e.Msg, "\n") {
		if m := posMsgRE.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			return fileLine(root, dir, m[1]) + ": " + m[2]
		}
	}
	return oneLine(e.Msg)
}

// posMsgRE matches "file.go:line[:col]: message".
var posMsgRE = regexp.MustCompile(`^(\S+\.go:\d+(?::\d+)?): (.+)$`)

// failedDependency returns the first package p imports, directly or not,
// that has errors of its own: go/packages reports such an import in p only
// as "could not import X (invalid package name: \"\")", which hides the
// cause (a module that cannot be downloaded, say).
func failedDependency(p *packages.Package) *packages.Package {
	var found *packages.Package
	seen := map[*packages.Package]bool{}
	var visit func(q *packages.Package)
	visit = func(q *packages.Package) {
		paths := make([]string, 0, len(q.Imports))
		for path := range q.Imports {
			paths = append(paths, path)
		}
		sort.Strings(paths)
		for _, path := range paths {
			imp := q.Imports[path]
			if found != nil || seen[imp] {
				return
			}
			seen[imp] = true
			if len(imp.Errors) > 0 {
				found = imp
				return
			}
			visit(imp)
		}
	}
	visit(p)
	return found
}

// fileLine turns "path:line[:col]" into "rel:line", the path relative to
// root (a relative path is taken from dir, where go list ran).
func fileLine(root, dir, pos string) string {
	file, line := pos, ""
	if m := posRE.FindStringSubmatch(pos); m != nil {
		file, line = m[1], m[2]
	}
	if !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	if line == "" {
		return relPos(root, file)
	}
	return relPos(root, file) + ":" + line
}

// posRE splits "file:line[:col]".
var posRE = regexp.MustCompile(`^(.+?):(\d+)(?::\d+)?$`)

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// workspaceEnv drops -mod=mod from GOFLAGS when dir is in a go.work
// workspace: the go command refuses -mod=mod in workspace mode, and a
// workspace resolves its modules itself. The last entry of a key wins, as in
// os/exec.
func workspaceEnv(dir string, env []string) []string {
	gowork, goflags := "", -1
	for i, kv := range env {
		switch {
		case strings.HasPrefix(kv, "GOWORK="):
			gowork = strings.TrimPrefix(kv, "GOWORK=")
		case strings.HasPrefix(kv, "GOFLAGS="):
			goflags = i
		}
	}
	if goflags < 0 || gowork == "off" || (gowork == "" && FindWork(dir) == "") {
		return env
	}
	var kept []string
	for _, f := range strings.Fields(strings.TrimPrefix(env[goflags], "GOFLAGS=")) {
		if f != "-mod=mod" {
			kept = append(kept, f)
		}
	}
	out := slices.Clone(env)
	out[goflags] = "GOFLAGS=" + strings.Join(kept, " ")
	return out
}

// FindWork returns the go.work file at or above dir, or "".
func FindWork(dir string) string { return findUp(dir, "go.work") }

// FindModule returns the go.mod or go.work file at or above dir that the go
// command would use there, or "" when dir is outside any module.
func FindModule(dir string) string {
	if w := FindWork(dir); w != "" {
		return w
	}
	return findUp(dir, "go.mod")
}

func findUp(dir, name string) string {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, name)); err == nil && !st.IsDir() {
			return filepath.Join(d, name)
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// dropTestMains keeps, for each package, its test variant when there is one
// (it holds every file of the plain package too) and drops generated test mains.
func dropTestMains(pkgs []*packages.Package) []*packages.Package {
	hasVariant := map[string]bool{}
	for _, p := range pkgs {
		if p.ForTest != "" && p.PkgPath == p.ForTest {
			hasVariant[p.PkgPath] = true
		}
	}
	var out []*packages.Package
	for _, p := range pkgs {
		switch {
		case strings.HasSuffix(p.PkgPath, ".test") && p.Name == "main":
			continue
		case p.ForTest == "" && hasVariant[p.PkgPath]:
			continue
		}
		out = append(out, p)
	}
	return out
}

// ensureTypes gives an ill-typed package non-nil type structures, so that
// analyzers that consult them find empty maps instead of nil pointers.
func ensureTypes(p *packages.Package) {
	p.IllTyped = true
	if p.Types == nil {
		p.Types = types.NewPackage(p.PkgPath, p.Name)
	}
	if p.TypesInfo == nil {
		p.TypesInfo = newInfo()
	}
	if p.TypesSizes == nil {
		p.TypesSizes = types.SizesFor("gc", "amd64")
	}
}

func newInfo() *types.Info {
	return &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Scopes:       map[ast.Node]*types.Scope{},
		Instances:    map[*ast.Ident]types.Instance{},
		FileVersions: map[*ast.File]string{},
	}
}

// parseOnly builds a syntax-only package from the .go files of dir.
func parseOnly(root, dir string, tests bool) (*packages.Package, error) {
	abs := filepath.Join(root, filepath.FromSlash(dir))
	entries, err := os.ReadDir(abs)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	fset := token.NewFileSet()
	p := &packages.Package{ID: dir, PkgPath: path.Clean(dir), Fset: fset}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || (!tests && strings.HasSuffix(name, "_test.go")) {
			continue
		}
		file := filepath.Join(abs, name)
		f, err := parser.ParseFile(fset, file, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			p.Errors = append(p.Errors, packages.Error{Msg: err.Error(), Kind: packages.ParseError})
		}
		if f == nil {
			continue
		}
		if p.Name == "" {
			p.Name = f.Name.Name
		}
		p.Syntax = append(p.Syntax, f)
		p.GoFiles = append(p.GoFiles, file)
		p.CompiledGoFiles = append(p.CompiledGoFiles, file)
	}
	if len(p.Syntax) == 0 {
		return nil, nil
	}
	p.Errors = append(p.Errors, packages.Error{Msg: "no go.mod: syntax only", Kind: packages.ListError})
	ensureTypes(p)
	return p, nil
}

// moduleRoot returns the directory of the nearest go.mod at or above dir and
// inside root, or "" if there is none.
func moduleRoot(root, dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if d == root || !strings.HasPrefix(d, root) || filepath.Dir(d) == d {
			return ""
		}
	}
}

// PackageDir returns the directory of p's files relative to root, with
// slashes, or p's import path when it has no files under root.
func PackageDir(root string, p *packages.Package) string {
	files := p.GoFiles
	if len(files) == 0 {
		files = p.CompiledGoFiles
	}
	if len(files) == 0 {
		return p.PkgPath
	}
	rel, err := filepath.Rel(root, filepath.Dir(files[0]))
	if err != nil {
		return p.PkgPath
	}
	return filepath.ToSlash(rel)
}

func relPos(root, pos string) string {
	if rel, err := filepath.Rel(root, pos); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return pos
}
