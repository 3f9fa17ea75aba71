package program

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// node is one function of the package under construction.
type node struct {
	name  string
	pos   token.Pos
	obj   *types.Func // nil for a literal entry
	own   []Effect
	edges []edge
	flags Summary // Deduped and Tx seen in the function itself
	entry *Entry
	sum   *Summary
	busy  bool
	// checked is the end of the first check-first read that returns early
	// (oneshot.go): inserts on the path after it are guarded.
	checked token.Pos
	// sender: the function reads a delivery id or checks a signature
	// (see senderEvidence).
	sender bool
	// created are the bodies of the function's not-found branches (if
	// ent.IsNotFound(err) { create }): a get-or-create (oneshot.go).
	created [][2]token.Pos
}

// edge is a call (or a function value handed on) from a node.
type edge struct {
	callee *types.Func // a declared function, or an interface method to dispatch
	pos    token.Pos
	async  bool // made inside a go statement
	// args are, per argument of a call, its constant string value,
	// "param:N" when it is the caller's own parameter N, or "".
	args []string
}

// builder holds one run's state.
type builder struct {
	model    *Model
	pass     *analysis.Pass
	nodes    []*node
	byObj    map[*types.Func]*node
	dispatch map[*types.Func][]*types.Func
	cut      map[string]bool
	module   string
	pkgs     map[string]*types.Package
	pkgFacts []analysis.PackageFact
	index    map[string][]string
	byMethod map[string][]*types.TypeName // declaring's lists
	crowded  map[*types.Func]bool         // interface methods with too many implementations to follow
}

func run(pass *analysis.Pass) (any, error) {
	m := &Model{Funcs: map[string]*Summary{}, byFunc: map[*types.Func]*Summary{}}
	if len(pass.Files) == 0 || pass.TypesInfo == nil || stdlib(pass) {
		return m, nil // a package loaded from export data, or the standard library: nothing to model
	}
	b := &builder{model: m, pass: pass, byObj: map[*types.Func]*node{}, dispatch: map[*types.Func][]*types.Func{}, cut: map[string]bool{}, crowded: map[*types.Func]bool{}}
	if pass.Module != nil {
		b.module = pass.Module.Path
	}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	var regs []registration
	for fc := range insp.Root().Children() {
		file, ok := fc.Node().(*ast.File)
		if !ok {
			continue
		}
		filename := pass.Fset.Position(file.Pos()).Filename
		for dc := range fc.Children() {
			if _, ok := dc.Node().(*ast.GenDecl); ok {
				regs = append(regs, b.varEntries(file, filename, dc)...)
				continue
			}
			fd, ok := dc.Node().(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			n := &node{name: funcName(obj, fd.Name.Name), pos: fd.Name.Pos(), obj: obj}
			if obj != nil {
				b.byObj[obj] = n
			}
			b.nodes = append(b.nodes, n)
			m.Spans = append(m.Spans, Span{Name: n.name, Pos: fd.Pos(), End: fd.End()})
			if label, d, ok := entryOf(pass.TypesInfo, file, filename, dc); ok {
				n.entry = &Entry{Name: n.name, Label: label, Delivery: d, Pos: n.pos}
			}
			regs = append(regs, b.walk(file, filename, fd.Body, dc, n)...)
		}
	}
	for _, n := range b.nodes {
		b.summarize(n)
	}
	// Entries registered on webhook routes, wherever the function is declared.
	for _, r := range regs {
		if authCallback(r.route) {
			// A browser sign-in redirect, whatever its handler is named.
			if n := b.byObj[r.fn]; n != nil && n.entry != nil {
				n.entry = &Entry{Name: n.name, Label: "request handler", Delivery: Concurrent, Pos: n.pos}
			}
			continue
		}
		if n := b.byObj[r.fn]; n != nil {
			if n.entry == nil || n.entry.Delivery != AtLeastOnce {
				n.entry = &Entry{Name: n.name, Label: "webhook handler (" + r.route + ")", Delivery: AtLeastOnce, Pos: n.pos, Summary: n.sum}
			}
			continue
		}
		if fs := b.summaryOf(r.fn, r.pos); fs != nil {
			s := &Summary{}
			b.absorb(s, fs, nil, map[token.Pos]bool{}, nil)
			m.Entries = append(m.Entries, &Entry{Name: funcName(r.fn, r.fn.Name()), Label: "webhook handler (" + r.route + ")",
				Delivery: AtLeastOnce, Pos: r.pos, Summary: s, Key: HandlerKey(r.fn), Sender: fs.Sender})
		}
	}
	m.Entries = append(m.Entries, b.reopened()...)
	m.limiters, m.buffers = exportBodyLimiters(pass)
	findRetryHelpers(pass, insp, m)
	m.Routes, m.RouterArgs, m.BodyLimit = scanRoutes(pass)
	var open []EntryRef
	for _, n := range b.nodes {
		if n.entry != nil {
			n.entry.Summary = n.sum
			n.entry.Key = b.keyOf(n)
			n.entry.Sender = n.sender
			m.Entries = append(m.Entries, n.entry)
			if n.obj != nil && n.entry.Delivery == AtLeastOnce && len(n.sum.Open) > 0 {
				open = append(open, EntryRef{Func: refName(n.obj), Label: n.entry.Label, Pos: n.pos, Sender: n.sender})
			}
		}
		if n.obj != nil {
			m.Funcs[n.name] = n.sum
			m.byFunc[n.obj] = n.sum
			if !empty(n.sum) && visibleToImporters(n.obj) {
				pass.ExportObjectFact(n.obj, n.sum)
			}
		}
	}
	sort.SliceStable(m.Entries, func(i, j int) bool { return m.Entries[i].Pos < m.Entries[j].Pos })
	for c := range b.cut {
		m.Cut = append(m.Cut, c)
	}
	sort.Strings(m.Cut)
	pass.ExportPackageFact(&Methods{ByMethod: sortedIndex(b.localIndex()), Entries: open})
	m.testFiles = testOnlyFiles(pass, m.Entries)
	return m, nil
}

// visibleToImporters reports whether the checker hands a fact about fn on
// to the packages that import fn's package: an exported function or any
// method (golang.org/x/tools/go/analysis/checker drops the facts of
// unexported functions there). The model reads its own package's summaries
// from its nodes, never from facts, so the others are not exported.
func visibleToImporters(fn *types.Func) bool {
	return fn.Exported() || fn.Signature().Recv() != nil
}

// keyOf names a node's function as routes name their handlers.
func (b *builder) keyOf(n *node) string {
	if n.obj != nil {
		return HandlerKey(n.obj)
	}
	return LiteralKey(b.pass.Fset, n.pos)
}

// stdlib reports whether the pass is over a standard library package
// (analysistest loads them from source; the model has nothing to say there).
func stdlib(pass *analysis.Pass) bool {
	f := pass.Fset.Position(pass.Files[0].Pos()).Filename
	return strings.HasPrefix(filepath.ToSlash(f), filepath.ToSlash(filepath.Join(build.Default.GOROOT, "src"))+"/")
}

// reopened returns the at-least-once entries of imported packages whose open
// interface calls this package can dispatch, each with a summary of only
// what the dispatch adds (the rest was reported where the entry is).
func (b *builder) reopened() []*Entry {
	var out []*Entry
	for _, pf := range b.facts() {
		ms, ok := pf.Fact.(*Methods)
		if !ok {
			continue
		}
		for _, ref := range ms.Entries {
			fn := lookupFunc(pf.Package, ref.Func)
			var fs Summary
			if fn == nil || !b.pass.ImportObjectFact(fn, &fs) {
				continue
			}
			s := &Summary{}
			b.absorb(s, &Summary{Open: fs.Open, Deduped: fs.Deduped}, nil, map[token.Pos]bool{}, nil)
			if len(s.Effects) > 0 {
				out = append(out, &Entry{Name: funcName(fn, fn.Name()), Label: ref.Label, Delivery: AtLeastOnce, Pos: ref.Pos, Summary: s, Sender: ref.Sender})
			}
		}
	}
	return out
}

// refName is how an EntryRef names a function: F or T.M.
func refName(fn *types.Func) string {
	if r := recvName(fn); r != "" {
		return r + "." + fn.Name()
	}
	return fn.Name()
}

// lookupFunc finds the function an EntryRef names in pkg.
func lookupFunc(pkg *types.Package, name string) *types.Func {
	tname, method, isMethod := strings.Cut(name, ".")
	if !isMethod {
		f, _ := pkg.Scope().Lookup(name).(*types.Func)
		return f
	}
	tn, _ := pkg.Scope().Lookup(tname).(*types.TypeName)
	if tn == nil {
		return nil
	}
	m, _, _ := types.LookupFieldOrMethod(types.NewPointer(tn.Type()), false, pkg, method)
	f, _ := m.(*types.Func)
	return f
}

// registration is a function registered on a webhook route.
type registration struct {
	fn    *types.Func
	route string
	pos   token.Pos
}

// walk records the effects, guards and calls of the body of n, and returns
// the webhook route registrations in it. Literal entries inside become
// nodes of their own.
func (b *builder) walk(file *ast.File, filename string, body *ast.BlockStmt, c inspector.Cursor, n *node) []registration {
	info := b.pass.TypesInfo
	var regs []registration
	once := map[*ast.BlockStmt]bool{} // lazy getters' init branches
	reads := map[types.Object]bool{}  // variables filled by a read
	var goEnd token.Pos               // the end of the go statement being walked
	c.Inspect(nil, func(c inspector.Cursor) bool {
		if goEnd.IsValid() && c.Node().Pos() >= goEnd {
			goEnd = token.NoPos
		}
		async := goEnd.IsValid()
		switch x := c.Node().(type) {
		case *ast.BlockStmt:
			if once[x] {
				return false // runs on the first call only: not a per-delivery effect
			}
		case *ast.AssignStmt:
			readResults(info, body, x, reads)
		case *ast.IfStmt:
			if nilInitBranch(info, b.pass.Pkg, x) {
				once[x.Body] = true
			}
			if x.Init != nil {
				readResults(info, body, x.Init, reads)
			}
			if !n.checked.IsValid() && checkFirst(info, x, reads) {
				n.checked = x.End()
			}
			if notFoundBranch(info, x.Cond, reads) {
				n.created = append(n.created, [2]token.Pos{x.Body.Pos(), x.Body.End()})
			}
		case *ast.FuncLit:
			if call, ok := c.Parent().Node().(*ast.CallExpr); ok && oneShotLit(info, call) {
				return false // a sync.Once body runs once per process
			}
			if label, d, ok := entryOf(info, file, filename, c); ok {
				ln := &node{name: "func literal", pos: x.Pos()}
				ln.entry = &Entry{Name: ln.name, Label: label, Delivery: d, Pos: x.Pos()}
				b.nodes = append(b.nodes, ln)
				if bc, ok := c.FindNode(x.Body); ok {
					regs = append(regs, b.walk(file, filename, body, bc, ln)...)
				}
				return false
			}
		case *ast.GoStmt:
			n.own = append(n.own, Effect{Kind: Goroutine, Detail: "go", Pos: x.Pos(), Async: async})
			if !goEnd.IsValid() {
				goEnd = x.End()
			}
		case *ast.Ident:
			if dedupeIdent(x.Name) {
				n.flags.Deduped = true
			}
		case *ast.BasicLit:
			if x.Kind == token.STRING && senderString(x.Value) {
				n.sender = true
			}
			if x.Kind == token.STRING && (x.Value == `"23505"` || x.Value == "`23505`" || containsFold(x.Value, "idempotency")) {
				n.flags.Deduped = true // a unique violation handled, an Idempotency-Key header sent
			}
		case *ast.CallExpr:
			if senderCall(x) {
				n.sender = true
			}
			if !n.checked.IsValid() && lockingRead(info, body, x) {
				n.checked = x.End()
			}
			callee, _ := typeutil.Callee(info, x).(*types.Func)
			eff, dd, tx := callEffect(info, body, x, callee)
			if eff != nil || dd || tx {
				if eff != nil {
					eff.Async = async
					switch eff.Kind {
					case Delete, Update:
						eff.Counted = countRead(info, body, c, x)
					case KVDelete, KVClaim:
						eff.Counted = eff.Counted || kvReplyRead(info, body, c, x)
					}
					n.own = append(n.own, *eff)
				}
				n.flags.Deduped = n.flags.Deduped || dd
				n.flags.Tx = n.flags.Tx || tx
			}
			if eff == nil {
				if pe := paramRequest(info, x, callee, n.obj); pe != nil {
					pe.Async = async
					n.own = append(n.own, *pe)
				}
			}
			if callee != nil && !migrationName(callee.Name()) && !loggingCall(callee) {
				n.edges = append(n.edges, edge{callee: callee, pos: x.Pos(), async: async, args: argTexts(info, x, n.obj)})
			}
			for _, a := range x.Args {
				if fn := funcValue(info, a); fn != nil && !migrationName(fn.Name()) {
					n.edges = append(n.edges, edge{callee: fn, pos: a.Pos(), async: async})
				}
			}
			if fn, route := routeRegistration(info, x); fn != nil {
				regs = append(regs, registration{fn: fn, route: route, pos: x.Pos()})
			}
		}
		return true
	})
	return regs
}

// varEntries makes nodes of the entry literals in a package-level
// declaration (var cmd = &cobra.Command{RunE: func...}).
func (b *builder) varEntries(file *ast.File, filename string, dc inspector.Cursor) []registration {
	var regs []registration
	dc.Inspect([]ast.Node{(*ast.FuncLit)(nil)}, func(c inspector.Cursor) bool {
		x := c.Node().(*ast.FuncLit)
		label, d, ok := entryOf(b.pass.TypesInfo, file, filename, c)
		if !ok {
			return true
		}
		ln := &node{name: "func literal", pos: x.Pos()}
		ln.entry = &Entry{Name: ln.name, Label: label, Delivery: d, Pos: x.Pos()}
		b.nodes = append(b.nodes, ln)
		if bc, ok := c.FindNode(x.Body); ok {
			regs = append(regs, b.walk(file, filename, x.Body, bc, ln)...)
		}
		return false
	})
	return regs
}

// summarize computes n's summary from its own effects and its callees'.
func (b *builder) summarize(n *node) *Summary {
	if n.sum != nil {
		return n.sum
	}
	if n.busy {
		return nil // a cycle: cut it here
	}
	n.busy = true
	s := &Summary{Deduped: n.flags.Deduped, Tx: n.flags.Tx, Sender: n.sender}
	seen := map[token.Pos]bool{}
	for _, e := range n.own {
		if !seen[e.Pos] && len(s.Effects) < maxEffects {
			seen[e.Pos] = true
			s.Effects = append(s.Effects, e)
		}
	}
	for _, e := range n.edges {
		targets := b.targets(e.callee)
		if len(targets) == 0 && !b.crowded[e.callee] {
			if oc, ok := b.openCall(e.callee, e.pos); ok {
				s.Open = append(s.Open, oc)
			}
		}
		for _, target := range targets {
			if cs := b.summaryFor(target, e.pos); cs != nil {
				from := len(s.Effects)
				b.absorb(s, cs, []Step{{Name: funcName(target, target.Name()), Pos: e.pos}}, seen, e.args)
				if e.async {
					for i := from; i < len(s.Effects); i++ {
						s.Effects[i].Async = true
					}
				}
			}
		}
	}
	if n.checked.IsValid() {
		for i, e := range s.Effects {
			if chainStart(e.Pos, e.Via) <= n.checked {
				continue
			}
			switch e.Kind {
			case Insert, ObjectCreate:
				s.Effects[i].Kind, s.Effects[i].Detail = Upsert, e.Detail+" (checked first)"
			case RelUpdate:
				// "already a member → return" before num_members + 1.
				s.Effects[i].Kind, s.Effects[i].Detail = Update, e.Detail+" (checked first)"
			}
		}
	}
	for i, e := range s.Effects {
		if n.inCreated(chainStart(e.Pos, e.Via)) {
			created(s.Effects[i : i+1])
		}
	}
	for i, oc := range s.Open {
		if n.inCreated(chainStart(oc.Pos, oc.Via)) {
			s.Open[i].Created = true
		}
	}
	n.busy = false
	n.sum = s
	return s
}

// chainStart is where a chain leaves the summarised function: the first
// call on its way (via), or pos itself for the function's own effect.
func chainStart(pos token.Pos, via []Step) token.Pos {
	if len(via) > 0 {
		return via[0].Pos
	}
	return pos
}

// inCreated reports whether pos lies in one of the node's not-found
// branches.
func (n *node) inCreated(pos token.Pos) bool {
	for _, r := range n.created {
		if pos >= r[0] && pos < r[1] {
			return true
		}
	}
	return false
}

// created turns the inserts and object creates among effs into upserts: a
// get-or-create's insert runs only when a lookup found nothing, so a
// second run finds the row and does not insert again.
func created(effs []Effect) {
	for i, e := range effs {
		switch e.Kind {
		case Insert, ObjectCreate:
			effs[i].Kind, effs[i].Detail = Upsert, e.Detail+" (created only when a lookup found none)"
		}
	}
}

// summaryFor returns the summary of a function of this package or, through
// its fact, of another.
func (b *builder) summaryFor(fn *types.Func, at token.Pos) *Summary {
	if tn := b.byObj[fn]; tn != nil {
		return b.summarize(tn)
	}
	return b.summaryOf(fn, at)
}

// absorb adds a callee's summary cs to s, each chain prefixed with prefix,
// and dispatches the callee's open interface calls where implementations
// are now in sight. args are the call's arguments as [edge] records them
// (nil where there is no call): they resolve HTTPParam methods.
func (b *builder) absorb(s, cs *Summary, prefix []Step, seen map[token.Pos]bool, args []string) {
	s.Deduped = s.Deduped || cs.Deduped
	s.Tx = s.Tx || cs.Tx
	for _, ce := range cs.Effects {
		if seen[ce.Pos] || len(s.Effects) >= maxEffects {
			continue
		}
		detail := ce.Detail
		if ce.Kind == HTTPParam {
			if detail = paramMethod(detail, args); detail == "" {
				continue
			}
		}
		seen[ce.Pos] = true
		s.Effects = append(s.Effects, Effect{Kind: ce.Kind, Detail: detail, Target: ce.Target, Pos: ce.Pos, Via: concat(prefix, ce.Via), Async: ce.Async, Counted: ce.Counted})
	}
	for _, c := range cs.Cut {
		if len(s.Cut) < maxEffects && !slices.Contains(s.Cut, c) {
			s.Cut = append(s.Cut, c)
		}
	}
	for _, oc := range cs.Open {
		via := concat(prefix, oc.Via)
		targets, crowded := b.resolve(oc)
		if crowded {
			continue
		}
		if len(targets) == 0 {
			if len(s.Open) < maxEffects {
				s.Open = append(s.Open, OpenCall{Pkg: oc.Pkg, Iface: oc.Iface, Method: oc.Method, Pos: oc.Pos, Via: via, Created: oc.Created})
			}
			continue
		}
		for _, t := range targets {
			if ts := b.summaryFor(t, oc.Pos); ts != nil {
				from := len(s.Effects)
				b.absorb(s, ts, concat(via, []Step{{Name: funcName(t, t.Name()), Pos: oc.Pos}}), seen, nil)
				if oc.Created {
					created(s.Effects[from:])
				}
			}
		}
	}
}

func concat(a, b []Step) []Step {
	out := make([]Step, 0, len(a)+len(b))
	return append(append(out, a...), b...)
}

// openCall describes a call of one of the module's interfaces that has no
// implementation in sight.
func (b *builder) openCall(fn *types.Func, at token.Pos) (OpenCall, bool) {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil || fn.Pkg() == nil || !b.inModule(fn.Pkg()) {
		return OpenCall{}, false
	}
	named, ok := types.Unalias(sig.Recv().Type()).(*types.Named)
	if !ok || !types.IsInterface(named) {
		return OpenCall{}, false
	}
	return OpenCall{Pkg: fn.Pkg().Path(), Iface: named.Obj().Name(), Method: fn.Name(), Pos: at}, true
}

// resolve dispatches an open call with the implementations in sight here;
// crowded reports an interface with too many implementations to follow.
func (b *builder) resolve(oc OpenCall) (targets []*types.Func, crowded bool) {
	pkg := b.pkgByPath(oc.Pkg)
	if pkg == nil {
		return nil, false
	}
	tn, _ := pkg.Scope().Lookup(oc.Iface).(*types.TypeName)
	if tn == nil {
		return nil, false
	}
	m, _, _ := types.LookupFieldOrMethod(tn.Type(), false, pkg, oc.Method)
	fn, _ := m.(*types.Func)
	if fn == nil {
		return nil, false
	}
	t := b.targets(fn)
	return t, b.crowded[fn]
}

// pkgByPath finds an analysed package by its path.
func (b *builder) pkgByPath(path string) *types.Package {
	if path == b.pass.Pkg.Path() {
		return b.pass.Pkg
	}
	if b.pkgs == nil {
		b.pkgs = map[string]*types.Package{}
		for _, pf := range b.facts() {
			b.pkgs[pf.Package.Path()] = pf.Package
		}
	}
	return b.pkgs[path]
}

// summaryOf returns the fact summary of a function of another package. A
// function of a module package that was not analysed (it did not load, or
// came from export data) is recorded as a cut chain.
func (b *builder) summaryOf(fn *types.Func, at token.Pos) *Summary {
	fn = fn.Origin()
	if s, ok := b.model.byFunc[fn]; ok {
		return s
	}
	var s Summary
	if b.pass.ImportObjectFact(fn, &s) {
		b.model.byFunc[fn] = &s
		return &s
	}
	if fn.Pkg() == nil || fn.Pkg() == b.pass.Pkg || b.module == "" || !strings.HasPrefix(fn.Pkg().Path(), b.module) {
		b.model.byFunc[fn] = nil // no summary, every time it is asked: fmt.Errorf, a method of the standard library
		return nil
	}
	var ms Methods
	if !b.pass.ImportPackageFact(fn.Pkg(), &ms) {
		c := fmt.Sprintf("%s: call to %s.%s not followed (package not analysed)", shortPos(b.pass.Fset, at), fn.Pkg().Name(), funcName(fn, fn.Name()))
		b.cut[c] = true
		return &Summary{Cut: []string{c}}
	}
	b.model.byFunc[fn] = nil // an analysed function of the module with no effects
	return nil
}

// targets resolves a callee: itself, or for an interface method every
// implementation among the concrete types of this package and of the
// module packages it imports.
func (b *builder) targets(fn *types.Func) []*types.Func {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil || !types.IsInterface(sig.Recv().Type()) {
		return []*types.Func{fn}
	}
	if t, ok := b.dispatch[fn]; ok {
		return t
	}
	var out []*types.Func
	iface, _ := sig.Recv().Type().Underlying().(*types.Interface)
	ipkg := fn.Pkg()
	if iface == nil || ipkg == nil || !b.inModule(ipkg) {
		b.dispatch[fn] = nil
		return nil // io.Writer and friends: not the module's own interface
	}
	b.dispatch[fn] = nil // an interface embedded in its own implementation's chain ends here
	ok := true
	for _, tn := range b.declaring(fn.Name()) {
		// T's method set is part of *T's: a type whose pointer does
		// not implement the interface (most candidates) is ruled out
		// by one check.
		var t types.Type = types.NewPointer(tn.Type())
		if !types.Implements(t, iface) {
			continue
		}
		if types.Implements(tn.Type(), iface) {
			t = tn.Type()
		}
		if m, _, _ := types.LookupFieldOrMethod(t, false, fn.Pkg(), fn.Name()); m != nil {
			if f, ok := m.(*types.Func); ok {
				if fs, _ := f.Type().(*types.Signature); fs != nil && fs.Recv() != nil && types.IsInterface(fs.Recv().Type()) {
					// Promoted from an interface the type embeds (a facade
					// embedding its Store): that interface's implementations.
					out = append(out, b.targets(f)...)
				} else {
					out = append(out, f)
				}
			}
		}
		if len(out) > maxTargets {
			ok = false
			break
		}
	}
	if !ok {
		out = nil // implemented all over (runtime.Object, io.Reader-like): not a service boundary
		b.crowded[fn] = true
	}
	b.dispatch[fn] = out
	return out
}

// declaring returns the named types that declare a method called name, of
// this package and then of each module package in sight, in that order.
// Interfaces of a module share method names (every typed client has Get,
// List and Watch), so the list is made once per name.
func (b *builder) declaring(name string) []*types.TypeName {
	if tns, ok := b.byMethod[name]; ok {
		return tns
	}
	var tns []*types.TypeName
	add := func(pkg *types.Package, names []string) {
		for _, n := range names {
			if tn, _ := pkg.Scope().Lookup(n).(*types.TypeName); tn != nil {
				tns = append(tns, tn)
			}
		}
	}
	add(b.pass.Pkg, b.localIndex()[name])
	for _, pf := range b.facts() {
		if ms, isMs := pf.Fact.(*Methods); isMs && pf.Package != b.pass.Pkg {
			add(pf.Package, ms.TypesWith(name))
		}
	}
	if b.byMethod == nil {
		b.byMethod = map[string][]*types.TypeName{}
	}
	b.byMethod[name] = tns
	return tns
}

// maxTargets is the most implementations an interface call is dispatched
// to; an interface with more is a framework's, not a service seam, and
// following all of them would tie every caller to every implementation.
const maxTargets = 8

// facts returns the package facts in sight, listed once per run.
func (b *builder) facts() []analysis.PackageFact {
	if b.pkgFacts == nil {
		b.pkgFacts = b.pass.AllPackageFacts()
	}
	return b.pkgFacts
}

// localIndex indexes the package's own concrete types by method name.
func (b *builder) localIndex() map[string][]string {
	if b.index == nil {
		b.index = methodIndex(b.pass.Pkg)
	}
	return b.index
}

// inModule reports whether pkg is the current package or one of the
// module's analysed packages.
func (b *builder) inModule(pkg *types.Package) bool {
	if pkg == b.pass.Pkg {
		return true
	}
	var ms Methods
	return b.pass.ImportPackageFact(pkg, &ms)
}

// methodIndex maps each method name to the package's named non-interface
// types whose pointer has a method of that name: declared, or promoted from
// an embedded field (a facade struct that embeds one service per area
// implements the handlers' interface through its fields' methods).
func methodIndex(pkg *types.Package) map[string][]string {
	idx := map[string][]string{}
	for _, name := range pkg.Scope().Names() {
		tn, ok := pkg.Scope().Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		named, ok := tn.Type().(*types.Named)
		if !ok || types.IsInterface(named) {
			continue
		}
		if _, isStruct := named.Underlying().(*types.Struct); !isStruct {
			for i := range named.NumMethods() {
				m := named.Method(i).Name()
				idx[m] = append(idx[m], name)
			}
			continue
		}
		ms := types.NewMethodSet(types.NewPointer(named))
		for i := range ms.Len() {
			m := ms.At(i).Obj().Name()
			idx[m] = append(idx[m], name)
		}
	}
	return idx
}

// sortedIndex turns a method index into the fact's sorted form.
func sortedIndex(idx map[string][]string) []MethodTypes {
	out := make([]MethodTypes, 0, len(idx))
	for name, ts := range idx {
		out = append(out, MethodTypes{Name: name, Types: ts})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func empty(s *Summary) bool {
	return s == nil || len(s.Effects) == 0 && !s.Deduped && !s.Tx && len(s.Cut) == 0 && len(s.Open) == 0
}

// funcName is a function's display name: F, T.M or (*T).M.
func funcName(fn *types.Func, fallback string) string {
	if fn == nil {
		return fallback
	}
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil {
		return fn.Name()
	}
	t := sig.Recv().Type()
	ptr := false
	if p, ok := t.(*types.Pointer); ok {
		t, ptr = p.Elem(), true
	}
	var rn string
	if n, ok := t.(*types.Named); ok {
		rn = n.Obj().Name() // what TypeString writes before any type arguments, without its cost
	} else {
		rn = types.TypeString(t, func(*types.Package) string { return "" })
		if i := strings.IndexByte(rn, '['); i >= 0 {
			rn = rn[:i]
		}
	}
	if ptr {
		return "(*" + rn + ")." + fn.Name()
	}
	return rn + "." + fn.Name()
}

// shortPos renders a position as dir/file.go:line.
func shortPos(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	if !p.IsValid() {
		return "?"
	}
	return filepath.ToSlash(filepath.Join(filepath.Base(filepath.Dir(p.Filename)), filepath.Base(p.Filename))) + fmt.Sprintf(":%d", p.Line)
}

// FuncName is a function's display name in chains: F, T.M or (*T).M.
func FuncName(fn *types.Func) string { return funcName(fn, fn.Name()) }

// ShortPos renders a position as dir/file.go:line, the form chain messages use.
func ShortPos(fset *token.FileSet, pos token.Pos) string { return shortPos(fset, pos) }
