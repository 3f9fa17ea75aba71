package code

import (
	"go/ast"
	"go/types"
	"iter"
	"reflect"
	"sync"

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
		cs := &Calls{info: pass.TypesInfo}
		for fc := range ins.Root().Children() {
			file, ok := fc.Node().(*ast.File)
			if !ok {
				continue
			}
			gen := Generated(file)
			for c := range fc.Preorder((*ast.CallExpr)(nil)) {
				cs.sites = append(cs.sites, callSite{file, c, gen})
			}
		}
		return cs, nil
	},
}

// Calls is CallsAnalyzer's result: the package's calls in preorder.
type Calls struct {
	sites []callSite
	info  *types.Info

	byCallee     sync.Once // analyzers of one package may run at once
	calleeToSite map[*types.Func][]int
}

type callSite struct {
	file      *ast.File
	c         inspector.Cursor
	generated bool
}

// All yields each call's file and cursor, in the order Preorder would,
// leaving out generated files as Preorder does: nothing is reported there.
func (cs *Calls) All() iter.Seq2[*ast.File, inspector.Cursor] {
	return cs.each(false)
}

// Everywhere is All with the calls of generated files too, for a check that
// asks a question of the whole package (is a pool limited anywhere?) before
// it reports.
func (cs *Calls) Everywhere() iter.Seq2[*ast.File, inspector.Cursor] {
	return cs.each(true)
}

func (cs *Calls) each(generated bool) iter.Seq2[*ast.File, inspector.Cursor] {
	return func(yield func(*ast.File, inspector.Cursor) bool) {
		for _, s := range cs.sites {
			if s.generated && !generated {
				continue
			}
			if !yield(s.file, s.c) {
				return
			}
		}
	}
}

// Of yields the calls in the package whose static callee is fn or an
// instance of it, each with its file, leaving out generated files as All
// does. The index
// is built on first use and shared by every check of the package.
func (cs *Calls) Of(fn *types.Func) iter.Seq2[*ast.File, inspector.Cursor] {
	cs.byCallee.Do(func() {
		cs.calleeToSite = map[*types.Func][]int{}
		for i, s := range cs.sites {
			if s.generated {
				continue
			}
			if f := Callee(cs.info, s.c.Node().(*ast.CallExpr)); f != nil {
				cs.calleeToSite[f.Origin()] = append(cs.calleeToSite[f.Origin()], i)
			}
		}
	})
	return func(yield func(*ast.File, inspector.Cursor) bool) {
		if fn == nil {
			return
		}
		for _, i := range cs.calleeToSite[fn.Origin()] {
			if !yield(cs.sites[i].file, cs.sites[i].c) {
				return
			}
		}
	}
}
