package review

import (
	"fmt"
	"go/token"
	"path/filepath"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/review/patch"
)

// chainPlaces turns a diagnostic's related positions (a chain's calls) into
// places relative to root, dropping those outside it.
func chainPlaces(root string, fset *token.FileSet, rel []analysis.RelatedInformation) []finding.Place {
	var out []finding.Place
	for _, r := range rel {
		pos := fset.Position(r.Pos)
		if !pos.IsValid() {
			continue
		}
		if p, ok := relPath(root, pos.Filename); ok {
			out = append(out, finding.Place{Path: p, Line: pos.Line})
		}
	}
	return out
}

// enclosingFuncAny names the function around pos, looking in pkg first and
// then in the other packages: a finding reached through a chain may sit in
// a package other than the one whose pass reported it.
func enclosingFuncAny(pkgs []*packages.Package, pkg *packages.Package, pos token.Pos) string {
	if name := enclosingFunc(pkg, pos); name != "" {
		return name
	}
	for _, p := range pkgs {
		if p != pkg {
			if name := enclosingFunc(p, pos); name != "" {
				return name
			}
		}
	}
	return ""
}

// anchorOnChain moves a finding whose own line is outside the change onto a
// changed line of its chain: the call the change added that brings the
// flagged line within an entry point's reach. The call closest to the
// flagged line wins. The message says where the flagged line is.
func anchorOnChain(root string, p *patch.Patch, mode patch.Filter, f finding.Finding) (finding.Finding, bool) {
	for i := len(f.Chain) - 1; i >= 0; i-- {
		c := f.Chain[i]
		if c.Path == f.Path && c.Line == f.Line || !p.InScope(mode, c.Path, c.Line) {
			continue
		}
		g := f
		g.Message = fmt.Sprintf("%s (this change brings %s:%d within reach)", f.Message, f.Path, f.Line)
		g.Path, g.Line, g.EndLine, g.Column = c.Path, c.Line, c.Line, 0
		g.Function, g.Within = "", ""
		g.LineText = newSources(root).line(filepath.Join(root, filepath.FromSlash(c.Path)), c.Line)
		g.Suggestion = ""
		g.Chain = nil
		return g, true
	}
	return f, false
}
