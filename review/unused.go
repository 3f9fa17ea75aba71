package review

import (
	"go/ast"
	"go/token"
	"go/types"
	"iter"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/prodready/prodready/checklist/program"
)

// unused tells which declared functions of an application nothing that
// runs in production reaches: a finding inside one is about code that does
// not run, which a reviewer does not want commented on.
//
// Decisions:
//   - Only in an application: some loaded root package is a main package
//     that is not an example, a test or a developers' tool (a library's
//     examples/ and tools/ mains do not make it an application).
//     A library's exported functions are called by its users, whom the
//     module does not show. In a review the loader widens the change to
//     every package of the module that imports it (load.WithChains), so
//     every possible caller of a changed function is loaded too.
//   - Reachability over references, not calls: a function is live when a
//     live function, or code outside any function (a package-level
//     variable's initialiser), refers to it by name (a call, a function
//     value, a method value). Roots are main, init, a Go plugin's exported
//     functions (a main package with no main function: its host looks them
//     up by name, and may call them at any time, so they are live but not
//     start-up code), functions a directive
//     exposes (//go:linkname, //export) and package-level code. _test.go
//     files are not roots: code only tests reach is not production.
//   - Functions are compared by full name, so that a package's test variant
//     and the package agree. With the whole module in sight, a reference to
//     a method reaches that method on its own type, and an interface call
//     reaches the methods of that name whose types may implement the
//     interface (every one of that name for another module's interface:
//     code out of sight converts values to it). With part of the module out
//     of sight (a review of a change), liveness takes all methods of one
//     name together, the conservative test.
//   - A conversion to an interface refers to the methods it hands over
//     (conversions.go): where a value of a concrete type flows into an
//     interface that has methods (a call's argument, an assignment, a
//     composite literal's element, a return, I(x), a send), the code
//     that converts it refers to the type's methods of the module that
//     are in the interface's method set. Another module's code calls
//     them out of sight: river calls a worker's Work, asynq a handler's
//     ProcessTask, net/http a handler's ServeHTTP.
//   - The same graph answers which code only one-shot CLI commands run
//     (oneshot.go).
//
// Written here rather than taken from golang.org/x/tools/go/callgraph
// (RTA): that needs the SSA form of every package, which the review does not
// build, and the question is only whether a name is reached at all.
type unused struct {
	app   bool
	live  map[string]bool // function keys reached, methods by name
	once  *oneShot        // what only one-shot CLI commands reach (oneshot.go)
	start *startUp        // what only start-up code reaches (startup.go)
}

// newUnused builds the reference graph of pkgs (the run's root packages)
// and walks it from the roots; serving are the positions of the entry
// points and route registrations of the run's program models, which make a
// CLI command that reaches them a server, and entries those of the entry
// points alone, whose code runs again and again.
func newUnused(pkgs []*packages.Package, serving, entries []token.Pos) *unused {
	u := &unused{live: map[string]bool{}}
	for _, p := range pkgs {
		if p.Name == "main" && !exampleOrTool(p.PkgPath) {
			u.app = true
		}
	}
	if !u.app {
		return u // a library: the graph is not needed
	}
	g := newGraph(pkgs, serving)
	reach := byName
	if !g.partial {
		reach = typed // every caller of a method is in sight
	}
	u.live = g.walk(append(slices.Clip(g.roots), g.exports...), reach, func(ref) bool { return true })
	u.once = g.oneShot(u.live)
	u.start = g.startUpOnly(entries)
	return u
}

// graph is the reference graph of an application's root packages: a node is
// a declared function (keyed by its full name) or a CLI command's run (the
// value of cobra.Command's RunE, urfave/cli's Action: keyed by position).
//
// Decisions:
//   - References inside a command's run belong to the run's node, not to
//     the function or package-level code that builds the command, which
//     has a command edge to it instead: building a command does not run it.
//   - A reference to a method keeps its method's name, so that a walk can
//     take every method of that name (the conservative test) or, for a
//     method of a concrete type, only that method.
type graph struct {
	edges  map[string][]ref
	byName map[string][]string // method name -> keys of the module's methods of that name
	roots  []string
	// exports are a Go plugin's exported functions, which its host looks
	// up and may call at any time: live, but not start-up code.
	exports []string
	// cmds are the command runs, spans their extents for positions
	// inside a literal run; decls the declared functions' extents.
	cmds         []string
	spans, decls []span
	lits         []span // function literals, keyless (startup.go)
	// serves: nodes whose own code starts serving (oneshot.go);
	// declared: the declared functions; lasts: functions whose own body
	// loops for the process's life (startup.go).
	serves, declared, lasts map[string]bool
	// ours are the module paths of the root packages; partial is set when
	// a root package imports a package of one that was not loaded with
	// syntax, so that some of the module's code is out of sight.
	ours    []string
	partial bool
	// recv holds each method's receiver type (without the pointer);
	// sigs caches those types' method sets: name -> signature.
	recv map[string]types.Type
	sigs map[string]map[string]string
	// msets caches method sets for conversions to interfaces; ifaces the
	// interfaces with methods that another module's packages declare, for
	// values handed to them as any.
	msets  typeutil.MethodSetCache
	ifaces map[*types.Package][]types.Type
}

// ref is an edge of the graph.
type ref struct {
	to     string     // the function's key
	pkg    string     // the function's package path
	method string     // the method's name, for a method
	iface  bool       // an interface's method: any method of that name may run
	recv   types.Type // the interface, for an interface's method
	cmd    bool       // a command's run: it runs when the command is invoked
	// plain: a call in the node's own code (not in a function literal,
	// not started with go), made when the node runs and only then. Any
	// other reference (a function value handed on, a method converted to
	// an interface) may make it run at any time.
	plain bool
}

// span is a node's extent.
type span struct {
	pos, end token.Pos
	key      string
}

// key names a declared function for the graph.
func key(fn *types.Func) string { return fn.Origin().FullName() }

func newGraph(pkgs []*packages.Package, serving []token.Pos) *graph {
	g := &graph{edges: map[string][]ref{}, byName: map[string][]string{}, serves: map[string]bool{}, declared: map[string]bool{}, lasts: map[string]bool{},
		recv: map[string]types.Type{}, sigs: map[string]map[string]string{}}
	loaded := map[string]bool{}
	for _, p := range pkgs {
		loaded[p.PkgPath] = p.TypesInfo != nil
		if p.Module != nil && !slices.Contains(g.ours, p.Module.Path) {
			g.ours = append(g.ours, p.Module.Path)
		}
	}
	for _, p := range pkgs {
		if p.ForTest != "" || strings.HasSuffix(p.PkgPath, ".test") {
			continue // a test variant imports test helpers nothing else needs
		}
		for path := range p.Imports {
			if !loaded[path] && g.our(path) {
				g.partial = true
			}
		}
	}
	for _, p := range pkgs {
		if p.TypesInfo == nil {
			continue
		}
		b := &builder{g: g, info: p.TypesInfo, fset: p.Fset, runs: map[ast.Node]bool{}}
		// A main package with no main function is a Go plugin
		// (-buildmode=plugin): the host looks its exported functions up
		// by name (plugin.Open, Lookup), so they are roots.
		plug := p.Name == "main" && p.Types != nil && p.Types.Scope().Lookup("main") == nil
		for _, f := range p.Syntax {
			if tf := p.Fset.File(f.Pos()); tf != nil && strings.HasSuffix(tf.Name(), "_test.go") {
				continue
			}
			pkgCode := "package-level code of " + p.PkgPath
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok {
					// Package-level code: what it refers to is reached
					// when the package is initialised.
					g.roots = append(g.roots, pkgCode)
					b.walk(pkgCode, d)
					continue
				}
				fn, ok := p.TypesInfo.Defs[fd.Name].(*types.Func)
				if !ok {
					continue
				}
				from := key(fn)
				if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
					g.byName[fn.Name()] = append(g.byName[fn.Name()], from)
					t := sig.Recv().Type()
					if p, ok := t.(*types.Pointer); ok {
						t = p.Elem()
					}
					g.recv[from] = t
				}
				if directive(fd) || (fd.Recv == nil && (fd.Name.Name == "main" || fd.Name.Name == "init")) {
					g.roots = append(g.roots, from)
				}
				if plug && fd.Recv == nil && fd.Name.IsExported() {
					g.exports = append(g.exports, from)
				}
				g.decls = append(g.decls, span{fd.Pos(), fd.End(), from})
				g.declared[from] = true
				if fd.Body != nil {
					b.sig, _ = fn.Type().(*types.Signature)
					b.walk(from, fd.Body)
					b.sig = nil
				}
			}
		}
	}
	for _, p := range pkgs {
		g.cmds = append(g.cmds, taggedRuns(p)...)
		g.cmds = append(g.cmds, subcommandRuns(p)...)
	}
	g.markServing(serving)
	return g
}

// typeNames yields the type names a package declares at package level
// (none for a test variant, whose commands are the package's own).
func typeNames(p *packages.Package) iter.Seq[*types.TypeName] {
	return func(yield func(*types.TypeName) bool) {
		if p.Types == nil || p.ForTest != "" {
			return
		}
		scope := p.Types.Scope()
		for _, name := range scope.Names() {
			if tn, ok := scope.Lookup(name).(*types.TypeName); ok && !yield(tn) {
				return
			}
		}
	}
}

// taggedRuns returns the keys of the Run methods of a package's subcommands
// declared by struct tags, as go-arg (`arg:"subcommand:name"`) and kong
// (`cmd:""`) declare them: the parser calls the chosen one's Run when that
// command is invoked, through an interface the graph sees only as a
// dispatch to every Run.
func taggedRuns(p *packages.Package) []string {
	var out []string
	for tn := range typeNames(p) {
		st, ok := tn.Type().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for i := range st.NumFields() {
			tag := reflect.StructTag(st.Tag(i))
			_, kong := tag.Lookup("cmd")
			if !kong && !strings.HasPrefix(tag.Get("arg"), "subcommand") {
				continue
			}
			obj, _, _ := types.LookupFieldOrMethod(st.Field(i).Type(), true, st.Field(i).Pkg(), "Run")
			if fn, ok := obj.(*types.Func); ok && !slices.Contains(out, key(fn)) {
				out = append(out, key(fn))
			}
		}
	}
	return out
}

// subcommandRuns returns the keys of the Execute methods of a package's
// github.com/google/subcommands commands (a type whose Execute returns
// subcommands.ExitStatus): subcommands.Execute calls the chosen one's
// through the Command interface, which main hands the values to with
// Register.
func subcommandRuns(p *packages.Package) []string {
	var out []string
	for tn := range typeNames(p) {
		if types.IsInterface(tn.Type()) {
			continue
		}
		obj, _, _ := types.LookupFieldOrMethod(tn.Type(), true, p.Types, "Execute")
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		sig := fn.Type().(*types.Signature)
		if sig.Results().Len() != 1 {
			continue
		}
		if n, ok := types.Unalias(sig.Results().At(0).Type()).(*types.Named); ok && n.Obj().Pkg() != nil &&
			n.Obj().Pkg().Path() == "github.com/google/subcommands" && n.Obj().Name() == "ExitStatus" && !slices.Contains(out, key(fn)) {
			out = append(out, key(fn))
		}
	}
	return out
}

// our reports whether an import path is in one of the root packages' modules.
func (g *graph) our(path string) bool {
	for _, m := range g.ours {
		if path == m || strings.HasPrefix(path, m+"/") {
			return true
		}
	}
	return false
}

// mode says how a walk follows a reference to a method.
type mode int

const (
	byName  mode = iota // every method of the name: nothing dispatched out of sight is missed
	precise             // the method itself, or every method of the name for an interface's
	// typed: the method itself; for an interface of the module's, every
	// method of the name whose type may implement it; for another
	// module's interface, every method of the name.
	typed
)

// walk returns the nodes reached from roots, following the command edges
// follow accepts.
func (g *graph) walk(roots []string, m mode, follow func(ref) bool) map[string]bool {
	seen := map[string]bool{}
	cmds := map[string]bool{}
	for _, c := range g.cmds {
		cmds[c] = true
	}
	stack := slices.Clone(roots)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[n] {
			continue
		}
		seen[n] = true
		for _, r := range g.edges[n] {
			if (r.cmd || cmds[r.to]) && !follow(ref{to: r.to, cmd: true}) {
				continue // a command's run, also one a plain reference reaches (a tagged subcommand's Run)
			}
			stack = append(stack, r.to)
			if r.method == "" || (m != byName && !r.iface) {
				continue
			}
			for _, k := range g.byName[r.method] {
				if cmds[k] && !follow(ref{to: k, cmd: true}) {
					continue // a tagged subcommand's Run, reached through the parser's interface
				}
				if m != typed || g.mayImplement(k, r) {
					stack = append(stack, k)
				}
			}
		}
	}
	return seen
}

// mayImplement reports whether the type of method k may implement the
// interface of the interface method reference r: always for another
// module's interface (code out of sight converts values to it) and for a
// generic type; else when the type's method set holds every method of the
// interface, compared by name and written signature: a package and its
// test variant declare distinct types of the same names, which
// types.Implements would tell apart.
func (g *graph) mayImplement(k string, r ref) bool {
	t := g.recv[k]
	if !g.our(r.pkg) || r.recv == nil || t == nil {
		return true
	}
	it, ok := r.recv.Underlying().(*types.Interface)
	if !ok {
		return true
	}
	if n, ok := t.(*types.Named); !ok || n.TypeParams().Len() > 0 {
		return true
	}
	sigs := g.sigs[k]
	if sigs == nil {
		sigs = map[string]string{}
		ms := types.NewMethodSet(types.NewPointer(t))
		for i := range ms.Len() {
			sigs[ms.At(i).Obj().Name()] = types.TypeString(ms.At(i).Obj().Type(), nil)
		}
		g.sigs[k] = sigs
	}
	for i := range it.NumMethods() {
		m := it.Method(i)
		if sig, ok := sigs[m.Name()]; !ok || sig != types.TypeString(m.Type(), nil) {
			return false
		}
	}
	return true
}

// builder adds one package's nodes and edges to a graph.
type builder struct {
	g    *graph
	info *types.Info
	fset *token.FileSet
	runs map[ast.Node]bool // values that are command runs, met before their turn
	sig  *types.Signature  // the declared function being walked, for its returns
}

// walk adds the references under n to node from; a command's run under n
// becomes a node of its own.
func (b *builder) walk(from string, n ast.Node) {
	if body, ok := n.(*ast.BlockStmt); ok && program.Lasts(b.info, body) {
		b.g.serves[from] = true // a function that loops for the process's life
		b.g.lasts[from] = true
	}
	var lits []*ast.FuncLit             // the function literals around the node, innermost last
	started := map[*ast.CallExpr]bool{} // calls of go statements
	callees := map[*ast.Ident]bool{}    // the names called by the other calls
	ast.Inspect(n, func(m ast.Node) bool {
		if m == nil {
			return false
		}
		if b.runs[m] {
			b.command(from, m)
			return false
		}
		for len(lits) > 0 && lits[len(lits)-1].End() <= m.Pos() {
			lits = lits[:len(lits)-1] // walked past it
		}
		b.conversions(from, m, lits)
		switch x := m.(type) {
		case *ast.Ident:
			if fn, ok := b.info.Uses[x].(*types.Func); ok {
				r := ref{to: key(fn)}
				if fn.Pkg() != nil {
					r.pkg = fn.Pkg().Path()
				}
				if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
					r.method, r.iface = fn.Name(), types.IsInterface(sig.Recv().Type())
					if r.iface {
						r.recv = sig.Recv().Type()
					}
				}
				// n itself may be a command's run: a literal, or a
				// function named as the run (RunE: runValidate).
				r.plain = (callees[x] || isRun(n, x)) && (len(lits) == 0 || len(lits) == 1 && lits[0] == n)
				b.g.edges[from] = append(b.g.edges[from], r)
			}
		case *ast.CompositeLit:
			for _, el := range x.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok && ownRun(b.info, x, id.Name) {
						b.runs[kv.Value] = true
					}
				}
			}
		case *ast.AssignStmt:
			for i, l := range x.Lhs {
				if sel, ok := l.(*ast.SelectorExpr); ok && i < len(x.Rhs) && len(x.Lhs) == len(x.Rhs) && ownRun(b.info, sel.X, sel.Sel.Name) {
					b.runs[x.Rhs[i]] = true
				}
			}
		case *ast.GoStmt:
			started[x.Call] = true
		case *ast.CallExpr:
			if program.StartsServing(b.info, x) {
				b.g.serves[from] = true
			}
			if id := calledName(x.Fun); id != nil && !started[x] {
				callees[id] = true
			}
		case *ast.FuncLit:
			lits = append(lits, x)
			b.g.lits = append(b.g.lits, span{pos: x.Pos(), end: x.End()})
			if program.Lasts(b.info, x.Body) {
				b.g.serves[from] = true // a worker loop: go func() { for { ... } }()
			}
		}
		return true
	})
}

// command makes the command run v (a literal, a function value, or a call
// combining them) a node reached from from by a command edge.
func (b *builder) command(from string, v ast.Node) {
	k := "command run at " + b.fset.Position(v.Pos()).String()
	b.g.edges[from] = append(b.g.edges[from], ref{to: k, cmd: true})
	b.g.cmds = append(b.g.cmds, k)
	b.g.spans = append(b.g.spans, span{v.Pos(), v.End(), k})
	delete(b.runs, v)
	b.walk(k, v)
}

// unusedFunc returns the name of the declared function holding pos in pkg
// when nothing live reaches it, else "".
func (u *unused) unusedFunc(pkg *packages.Package, pos token.Pos) string {
	if u == nil || !u.app || pkg.TypesInfo == nil {
		return ""
	}
	fd := enclosingDecl(pkg, pos)
	if fd == nil {
		return ""
	}
	fn, ok := pkg.TypesInfo.Defs[fd.Name].(*types.Func)
	if !ok || u.live[key(fn)] {
		return ""
	}
	return fd.Name.Name
}

// exampleOrTool reports whether a package path has a segment naming
// examples, tests or developers' tools.
func exampleOrTool(path string) bool {
	for seg := range strings.SplitSeq(path, "/") {
		switch strings.ToLower(seg) {
		case "example", "examples", "_examples", "test", "tests", "testdata", "e2e", "hack", "tools", "scripts", "internal_tools":
			return true
		}
	}
	return false
}

// directive reports whether a function's doc carries a directive that
// makes something outside Go's references call it (//go:linkname,
// //export for cgo).
func directive(fd *ast.FuncDecl) bool {
	if fd.Doc == nil {
		return false
	}
	for _, c := range fd.Doc.List {
		if strings.HasPrefix(c.Text, "//go:linkname") || strings.HasPrefix(c.Text, "//export ") {
			return true
		}
	}
	return false
}
