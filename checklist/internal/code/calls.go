package code

import (
	"go/ast"
	"iter"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// CallsAnalyzer indexes a package's call expressions once, in preorder,
// each with the file that holds it. Most checks walk every call of the
// package; profiling on a large module showed those walks, one per check,
// to be the largest share of the catalogue's own time, and one walk shared
// through the analysis graph (as inspect.Analyzer shares its inspector)
// costs less.
var CallsAnalyzer = &analysis.Analyzer{
	Name:             "callindex",
	Doc:              "indexes the package's call expressions for the checks that walk them",
	Requires:         []*analysis.Analyzer{inspect.Analyzer},
	RunDespiteErrors: true,
	ResultType:       reflect.TypeOf((*Calls)(nil)),
	Run: func(pass *analysis.Pass) (any, error) {
		ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		cs := &Calls{}
		for file, c := range Preorder(ins, (*ast.CallExpr)(nil)) {
			cs.sites = append(cs.sites, callSite{file, c})
		}
		return cs, nil
	},
}

// Calls is CallsAnalyzer's result: the package's calls in preorder.
type Calls struct {
	sites []callSite
}

type callSite struct {
	file *ast.File
	c    inspector.Cursor
}

// All yields each call's file and cursor, in the order Preorder would.
func (cs *Calls) All() iter.Seq2[*ast.File, inspector.Cursor] {
	return func(yield func(*ast.File, inspector.Cursor) bool) {
		for _, s := range cs.sites {
			if !yield(s.file, s.c) {
				return
			}
		}
	}
}
