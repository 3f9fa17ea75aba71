package load

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
)

// WithChains widens a change's package directories (relative to root) to
// what the program model needs to see chains through them: the module's
// packages that import a changed package, directly or not (so that the
// handlers, consumers and jobs reaching it are entries), and the module's
// packages a changed package imports (so that a new call's effects are
// known). The import graph comes from the files' import clauses, read
// without the go command, so the widening costs a parse of headers only.
// Directories outside any module are returned as given.
func WithChains(root string, dirs []string) []string {
	out := map[string]bool{}
	byModule := map[string][]string{}
	for _, d := range dirs {
		out[d] = true
		if mod := moduleRoot(root, filepath.Join(root, filepath.FromSlash(d))); mod != "" {
			byModule[mod] = append(byModule[mod], d)
		}
	}
	for mod, ds := range byModule {
		for _, d := range moduleChains(root, mod, ds) {
			out[d] = true
		}
	}
	res := make([]string, 0, len(out))
	for d := range out {
		res = append(res, d)
	}
	sort.Strings(res)
	return res
}

// moduleChains returns the directories (relative to root) of the packages
// of the module at mod that import, or are imported by, the packages in ds.
func moduleChains(root, mod string, ds []string) []string {
	data, err := os.ReadFile(filepath.Join(mod, "go.mod"))
	if err != nil {
		return nil
	}
	modPath := modfile.ModulePath(data)
	if modPath == "" {
		return nil
	}
	imports := map[string][]string{} // import path -> module imports
	dirOf := map[string]string{}     // import path -> dir relative to root
	fset := token.NewFileSet()
	_ = filepath.WalkDir(mod, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil // an unreadable directory is skipped, not fatal
		}
		if e.IsDir() {
			name := e.Name()
			if p != mod && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if p != mod {
				if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
					return filepath.SkipDir // a nested module
				}
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return nil // a file that does not parse adds no edges
		}
		relMod, _ := filepath.Rel(mod, filepath.Dir(p))
		ip := modPath
		if relMod != "." {
			ip += "/" + filepath.ToSlash(relMod)
		}
		relRoot, _ := filepath.Rel(root, filepath.Dir(p))
		dirOf[ip] = filepath.ToSlash(relRoot)
		for _, s := range f.Imports {
			if path, err := strconv.Unquote(s.Path.Value); err == nil && (path == modPath || strings.HasPrefix(path, modPath+"/")) {
				imports[ip] = append(imports[ip], path)
			}
		}
		return nil
	})
	importers := map[string][]string{}
	for ip, imps := range imports {
		for _, imp := range imps {
			importers[imp] = append(importers[imp], ip)
		}
	}
	byDir := map[string]string{}
	for ip, d := range dirOf {
		byDir[d] = ip
	}
	var out []string
	walk := func(edges map[string][]string) {
		seen := map[string]bool{}
		var queue []string
		for _, d := range ds {
			if ip, ok := byDir[d]; ok {
				queue = append(queue, ip)
			}
		}
		for len(queue) > 0 {
			ip := queue[0]
			queue = queue[1:]
			for _, next := range edges[ip] {
				if !seen[next] {
					seen[next] = true
					queue = append(queue, next)
					if d, ok := dirOf[next]; ok {
						out = append(out, d)
					}
				}
			}
		}
	}
	walk(importers)
	walk(imports)
	return out
}
