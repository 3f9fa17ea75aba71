package checklist

// Fixed sets: the collections a loop may walk whose length was fixed when
// the code was written or configured, not by the input. query-in-loop and
// goroutine-unbounded both leave a loop over one alone.

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
)

// literalVars are the package-level variables initialised with a short
// composite literal: var regions = []string{"eu", "us", "ap", "sa"}.
type literalVars map[types.Object]bool

// maxFixedList bounds the literal a loop over counts as a fixed set.
const maxFixedList = 16

// packageLiterals finds the package's literalVars.
func packageLiterals(pass *analysis.Pass) literalVars {
	out := literalVars{}
	if pass.TypesInfo == nil {
		return out
	}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, sp := range gd.Specs {
				vs := sp.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					if cl, ok := ast.Unparen(vs.Values[i]).(*ast.CompositeLit); ok && len(cl.Elts) <= maxFixedList {
						if obj := pass.TypesInfo.Defs[n]; obj != nil {
							out[obj] = true
						}
					}
				}
			}
		}
	}
	return out
}

// fixed reports whether loop ranges over a package-level literal list or
// over an array of at most maxFixedList elements: a set fixed when the code
// was written, not data that grows.
func (lv literalVars) fixed(info *types.Info, loop ast.Node) bool {
	r, ok := loop.(*ast.RangeStmt)
	if !ok || info == nil {
		return false
	}
	if id, ok := ast.Unparen(r.X).(*ast.Ident); ok && lv[info.Uses[id]] {
		return true
	}
	if t := code.TypeOf(info, r.X); t != nil {
		if a, ok := t.Underlying().(*types.Array); ok && a.Len() <= maxFixedList {
			return true
		}
	}
	return false
}

// fixedSetWords name lists of peers (the endpoints, URLs, hosts, upstreams or backends
// a program is configured to talk to, and the webhooks an operator set up) and of partitions or shards.
var fixedSetWords = []string{"endpoint", "url", "uri", "host", "addr", "upstream", "backend", "target", "server",
	"peer", "replica", "partition", "shard", "webhook"}

// overFixedSet reports whether loop ranges over peers or partitions: a
// field or method result named for them (hcp.Endpoints, cfg.urlToFilename,
// h.Upstreams, consumer.Partitions()), or loop variables or a collection so
// named (for _, endpoint := range endpoints, for shard, c := range cursors).
// One call or goroutine per peer or per partition is a fan-out over a set
// fixed by configuration, not N+1 over data; a list of records (o.Items)
// still counts.
func overFixedSet(loop ast.Node) bool {
	r, ok := loop.(*ast.RangeStmt)
	if !ok {
		return false
	}
	// for _, endpoint := range endpoints, for shard, cursor := range cursors
	for _, e := range []ast.Expr{r.Key, r.Value, r.X} {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok && fixedSetName(id.Name) {
			return true
		}
	}
	x := ast.Unparen(r.X)
	if call, ok := x.(*ast.CallExpr); ok && len(call.Args) == 0 {
		x = ast.Unparen(call.Fun)
	}
	sel, ok := x.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	return fixedSetName(sel.Sel.Name) || fromConfig(sel.X)
}

// configWords name the structs that hold a program's configuration.
var configWords = []string{"config", "cfg", "conf", "metadata", "meta", "settings", "opts", "options", "spec"}

// fromConfig reports whether e, the value a ranged-over field is selected
// from, is configuration (s.metadata.QueueNames, cfg.Brokers,
// c.scalerConfig.Targets): a list someone configured, fixed while the
// program runs, rather than data that grows with the input.
func fromConfig(e ast.Expr) bool {
	for e != nil {
		var name string
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			name, e = x.Name, nil
		case *ast.SelectorExpr:
			name, e = x.Sel.Name, x.X
		default:
			return false
		}
		for _, word := range code.IdentWords(name) {
			if slices.Contains(configWords, word) {
				return true
			}
		}
	}
	return false
}

// fixedSetName reports whether a word of name (split at case changes and
// underscores: urlToFilename, cursorByShard) starts with a peer or partition
// word, so that "security" does not pass for a URI.
func fixedSetName(name string) bool {
	for _, word := range code.IdentWords(name) {
		for _, w := range fixedSetWords {
			if strings.HasPrefix(word, w) {
				return true
			}
		}
	}
	return false
}

// enclosingBody returns the body of the function around c, or nil.
func enclosingBody(c inspector.Cursor) *ast.BlockStmt {
	for p := range code.Ancestors(c) {
		switch f := p.Node().(type) {
		case *ast.FuncDecl:
			return f.Body
		case *ast.FuncLit:
			return f.Body
		}
	}
	return nil
}

// builtFixed reports whether loop ranges over a local slice that its
// function fills with a fixed number of elements: a literal, and appends
// that sit in no loop (the create and update requests a notifier builds),
// or that a function of this package builds that way and returns. Its
// length does not grow with the input, so a call per element is not N+1.
func builtFixed(info *types.Info, decls *code.Decls, body *ast.BlockStmt, loop ast.Node) bool {
	r, ok := loop.(*ast.RangeStmt)
	if !ok || body == nil {
		return false
	}
	v, ok := code.LocalVar(info, r.X)
	return ok && fixedList(info, decls, body, v, 1)
}

// fixedList reports whether the local slice v is declared in body and only
// ever set to a literal, appended to outside loops, or (hops permitting) set
// from a package function whose matching result is such a list; a list
// filled through its address (json.Unmarshal(b, &list)) or element by
// element (m[k] = x) is not.
func fixedList(info *types.Info, decls *code.Decls, body *ast.BlockStmt, v code.Var, hops int) bool {
	declared, fixed := false, true
	code.WalkStack(body, func(n ast.Node, stack []ast.Node) bool {
		if !fixed {
			return false
		}
		switch n := n.(type) {
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if v.Is(info, id) {
					declared = true
					if i < len(n.Values) {
						fixed = fixedElems(n.Values[i])
					}
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && v.Is(info, n.X) {
				fixed = false // filled through its address: json.Unmarshal(b, &list)
			}
		case *ast.IndexExpr:
			if v.Is(info, n.X) && len(stack) >= 2 {
				if as, ok := stack[len(stack)-2].(*ast.AssignStmt); ok && slices.Contains(as.Lhs, ast.Expr(n)) {
					fixed = false // m[k] = x: filled element by element
				}
			}
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if !v.Is(info, l) {
					continue
				}
				if n.Tok == token.DEFINE {
					declared = true
				}
				if len(n.Lhs) != len(n.Rhs) {
					call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr)
					fixed = ok && len(n.Rhs) == 1 && hops > 0 && fixedResult(info, decls, call, i, hops-1)
					continue
				}
				rhs := ast.Unparen(n.Rhs[i])
				if call, ok := rhs.(*ast.CallExpr); ok {
					if isAppendTo(info, call, v) {
						fixed = !mayRepeat(stack)
					} else {
						fixed = hops > 0 && fixedResult(info, decls, call, 0, hops-1)
					}
					continue
				}
				fixed = fixedElems(rhs)
			}
		}
		return true
	})
	return declared && fixed
}

// fixedResult reports whether call calls a function of this package whose
// result i is, on every return, nil or a local list built with a fixed
// number of elements.
func fixedResult(info *types.Info, decls *code.Decls, call *ast.CallExpr, i, hops int) bool {
	decl := decls.Of(info, call)
	if decl == nil {
		return false
	}
	returns, fixed := 0, true
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			returns++
			if i >= len(n.Results) {
				fixed = false // a bare return of named results
				return false
			}
			e := ast.Unparen(n.Results[i])
			if isNilIdent(e) {
				return false
			}
			rv, ok := code.LocalVar(info, e)
			fixed = fixed && ok && fixedList(info, decls, decl.Body, rv, hops)
		}
		return fixed
	})
	return fixed && returns > 0
}

// fixedElems reports whether e is a slice or array literal, whose length is
// written in the source.
func fixedElems(e ast.Expr) bool {
	_, ok := ast.Unparen(e).(*ast.CompositeLit)
	return ok
}

// isAppendTo reports whether call is append(v, x, ...) with no spread.
func isAppendTo(info *types.Info, call *ast.CallExpr, v code.Var) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok || id.Name != "append" || len(call.Args) < 2 || call.Ellipsis.IsValid() {
		return false
	}
	if info != nil {
		if _, builtin := info.Uses[id].(*types.Builtin); !builtin && info.Uses[id] != nil {
			return false
		}
	}
	return v.Is(info, call.Args[0])
}

// mayRepeat reports whether a node with these ancestors (below the body the
// walk started in) can run more than once: it sits in a loop or in a
// function literal, a callback that may be called any number of times.
func mayRepeat(stack []ast.Node) bool {
	for _, n := range stack {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		case *ast.FuncLit:
			return true // a callback may run any number of times
		}
	}
	return false
}
