package review

import (
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// sourceGraph returns copies of pkgs for the checker whose import graphs
// leave out the packages that cannot matter to an analysis: those loaded
// from export data (no syntax) that are well typed and import nothing that
// matters. The checker runs every fact-using analyzer, and what it
// requires, on each package of the import graph and waits on each import
// edge; on a module of a few hundred packages most of the graph is the
// standard library and third-party code, where every analyzer returns at
// once, exports no fact (facts come from syntax) and so hands its
// importers nothing. An export-data package is kept when it is ill-typed
// (an analyzer that does not run despite errors fails there, and so do its
// importers) or imports a kept package (a fact may pass through it), so the
// facts every analysis sees are the same. orig maps each copy back to its
// package.
func sourceGraph(pkgs []*packages.Package) (roots []*packages.Package, orig map[*packages.Package]*packages.Package) {
	keep := map[*packages.Package]bool{}
	var matters func(p *packages.Package) bool
	matters = func(p *packages.Package) bool {
		if k, ok := keep[p]; ok {
			return k
		}
		keep[p] = false // a cycle (there are none in a type-checked graph) ends here
		k := len(p.Syntax) > 0 || p.IllTyped
		for _, imp := range p.Imports {
			if matters(imp) {
				k = true // not returning: every import is judged for the copies below
			}
		}
		keep[p] = k
		return k
	}
	for _, p := range pkgs {
		matters(p)
	}
	copies := map[*packages.Package]*packages.Package{}
	orig = map[*packages.Package]*packages.Package{}
	var copyOf func(p *packages.Package) *packages.Package
	copyOf = func(p *packages.Package) *packages.Package {
		if c, ok := copies[p]; ok {
			return c
		}
		c := new(packages.Package)
		*c = *p
		copies[p], orig[c] = c, p
		c.Imports = map[string]*packages.Package{}
		for path, imp := range p.Imports {
			if keep[imp] {
				c.Imports[path] = copyOf(imp)
			}
		}
		return c
	}
	roots = make([]*packages.Package, len(pkgs))
	for i, p := range pkgs {
		roots[i] = copyOf(p)
	}
	return roots, orig
}

// restorePackages points the actions of graph back at the packages the
// copies of [sourceGraph] stand for, whose import graphs are whole.
func restorePackages(graph *checker.Graph, orig map[*packages.Package]*packages.Package) {
	for _, act := range graph.Roots {
		if p, ok := orig[act.Package]; ok {
			act.Package = p
		}
	}
}
