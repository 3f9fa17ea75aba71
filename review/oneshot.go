package review

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/prodready/prodready/checklist/program"
)

// oneShot tells which code of an application runs only in one-shot CLI
// commands (app validate, runner unregister, reset-password): a function
// that the production roots reach only through the runs of commands that
// do not serve. The risks of some checks need a long-running process (a
// request that hangs forever, a leaked connection, an unbounded pool); in a
// command a person runs and can interrupt, and whose process exits, such a
// finding is worth knowing, not a comment (see [onceCapped]).
//
// Decisions:
//   - A command's run is the value of cobra.Command's Run, RunE, PreRun,
//     PostRun (and their E forms) or urfave/cli Command's Action, in a
//     composite literal or assigned (cmd.RunE = ...), written inline or
//     named as a function or method value. cobra's Persistent hooks run
//     before every subcommand, the server's too, so they stay with the code
//     that builds the command. The root urfave/cli App's Action is the
//     program itself and stays too.
//   - A subcommand declared by a struct tag (go-arg's arg:"subcommand:name",
//     kong's cmd:"") runs through its type's Run method, which the parser
//     hands back behind an interface: that Run is a command's run, and a
//     plain reference or an interface dispatch reaching it is the command
//     being invoked, followed only when it serves (read Q: a healthcheck
//     subcommand's probe).
//   - A github.com/google/subcommands command runs through its type's
//     Execute (the one returning subcommands.ExitStatus), which
//     subcommands.Execute calls behind the Command interface main
//     registers the values under: that Execute is a command's run (read
//     U: vuls's report command).
//   - A command serves when its run reaches, by precise references (a
//     method of a concrete type is that method; an interface's method is
//     every method of the name whose type may implement it), code that
//     starts a server or a worker:
//     a Serve or ListenAndServe kind (program.StartsServing), a route
//     registration or a concurrent or at-least-once entry point of the
//     program model (a handler, a queue consumer, a scheduled job), or a
//     loop that lasts for the process's life (program.Lasts: a select, a
//     range over a channel, a for {} that sleeps or receives). A reference
//     to a function of the module that was not loaded, or to a method of one
//     of the module's interfaces while part of the module is out of sight,
//     may serve: such a command serves.
//   - A function is one-shot when the runs of commands that do not serve
//     reach it (precisely) and the production roots do not reach it (main,
//     init, package-level code, and the runs of serving commands). With
//     the whole module in sight, the roots reach a method when they name it
//     on its own type, or on an interface of the module that its type may
//     implement, or on any interface of another module (code out of sight
//     converts values to those); else methods by name, the conservative
//     test. When part of the module is out of
//     sight (a review loads the changed packages and their importers), its
//     serving code may dispatch to any method, so only plain functions and
//     command runs are one-shot then: every caller of a plain function
//     imports its package, and the loader loads every importer.
//   - Out of scope: kong and kingpin commands (kong calls Run methods by
//     reflection; kingpin dispatches on a parsed command name in a switch),
//     and one-shot flag branches in main (if *upgrade { doUpgrade(); return
//     }): they are not recognised, and their code stays serving.
type oneShot struct {
	funcs   map[string]bool // declared functions
	runs    map[string]bool // command runs that do not serve
	spans   []span          // command runs, for positions inside a literal run
	methods bool            // methods may be one-shot: the whole module is in sight
}

// markServing marks the nodes holding a position in serving: an entry
// point or a route registration of a program model.
func (g *graph) markServing(serving []token.Pos) {
	sort.Slice(g.decls, func(i, j int) bool { return g.decls[i].pos < g.decls[j].pos })
	for _, p := range serving {
		if k := g.at(p); k != "" {
			g.serves[k] = true
		}
	}
}

// at returns the innermost node holding pos: a command run, else a
// declared function; "" outside any.
func (g *graph) at(pos token.Pos) string {
	if k := innermost(g.spans, pos); k != "" {
		return k
	}
	i := sort.Search(len(g.decls), func(i int) bool { return g.decls[i].end > pos })
	if i < len(g.decls) && g.decls[i].pos <= pos {
		return g.decls[i].key
	}
	return ""
}

// innermost returns the key of the smallest span holding pos, or "".
func innermost(spans []span, pos token.Pos) string {
	s, _ := innermostSpan(spans, pos)
	return s.key
}

// innermostSpan returns the smallest of spans holding pos.
func innermostSpan(spans []span, pos token.Pos) (span, bool) {
	best, ok := span{}, false
	for _, s := range spans {
		if s.pos <= pos && pos < s.end && (!ok || s.end-s.pos < best.end-best.pos) {
			best, ok = s, true
		}
	}
	return best, ok
}

// oneShot computes what only commands that do not serve reach, given the
// live nodes.
func (g *graph) oneShot(live map[string]bool) *oneShot {
	o := &oneShot{funcs: map[string]bool{}, runs: map[string]bool{}, spans: g.spans, methods: !g.partial}
	serving := map[string]bool{}
	var quiet []string
	for _, c := range g.cmds {
		switch {
		case !live[c]:
		case g.mayServe(c):
			serving[c] = true
		default:
			quiet = append(quiet, c)
			o.runs[c] = true
		}
	}
	if len(quiet) == 0 {
		return o
	}
	reach := byName
	if !g.partial {
		reach = typed // every caller of a method is in sight
	}
	prod := g.walk(append(slices.Clip(g.roots), g.exports...), reach, func(r ref) bool { return serving[r.to] })
	for k := range g.walk(quiet, precise, func(ref) bool { return false }) {
		if !prod[k] && !o.runs[k] {
			o.funcs[k] = true
		}
	}
	return o
}

// mayServe reports whether the run of command c reaches code that serves,
// or code out of sight that may.
func (g *graph) mayServe(c string) bool {
	seen := map[string]bool{}
	stack := []string{c}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[n] {
			continue
		}
		seen[n] = true
		if g.serves[n] {
			return true
		}
		for _, r := range g.edges[n] {
			switch {
			case r.cmd:
				continue // building a subcommand does not run it
			case r.iface && g.partial && g.our(r.pkg):
				return true // one of the module's seams: an implementation may be out of sight
			case !r.iface && !g.declared[r.to] && g.our(r.pkg):
				return true // a function of the module that was not loaded
			}
			stack = append(stack, r.to)
			if r.iface && !stdlibPlumbing(r) {
				for _, k := range g.byName[r.method] {
					if g.mayImplement(k, r) {
						stack = append(stack, k)
					}
				}
			}
		}
	}
	return false
}

// stdlibPlumbing reports whether r calls a method of a standard library
// interface other than http.Handler's: io.Closer's Close, io.Reader's
// Read, fmt.Stringer's String, error's Error. A command that closes a
// response body through io.Closer does not start the module's worker
// whose Close shares the name; counting every such method made nearly
// every command of an application serve (read N: 100 of cozy-stack's 107
// command runs, through a Close that waits on a channel).
func stdlibPlumbing(r ref) bool {
	first, _, _ := strings.Cut(r.pkg, "/")
	return !strings.Contains(first, ".") && r.method != "ServeHTTP"
}

// oneShotFunc returns what holds pos in pkg when only one-shot commands
// run it: the declared function's name, or "this command's run"; "" when
// serving code may run it.
func (u *unused) oneShotFunc(pkg *packages.Package, pos token.Pos) string {
	if u == nil || u.once == nil || pkg.TypesInfo == nil {
		return ""
	}
	o := u.once
	if k := innermost(o.spans, pos); k != "" {
		if o.runs[k] {
			return "this command's run"
		}
		return ""
	}
	fd := enclosingDecl(pkg, pos)
	if fd == nil {
		return ""
	}
	fn, ok := pkg.TypesInfo.Defs[fd.Name].(*types.Func)
	if !ok || !o.funcs[key(fn)] && !o.runs[key(fn)] || (fd.Recv != nil && !o.methods) {
		return ""
	}
	return fd.Name.Name
}

// enclosingDecl returns the declared function holding pos in pkg, or nil.
func enclosingDecl(pkg *packages.Package, pos token.Pos) *ast.FuncDecl {
	for _, f := range pkg.Syntax {
		if f.FileStart > pos || pos > f.FileEnd {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Pos() <= pos && pos <= fd.End() {
				return fd
			}
		}
	}
	return nil
}

// servingPositions returns the positions of the models' route
// registrations and concurrent or at-least-once entry points.
func (ms *models) servingPositions() []token.Pos {
	if ms == nil {
		return nil
	}
	out := ms.entryPositions()
	for _, m := range ms.list {
		for _, r := range m.Routes {
			out = append(out, r.Pos)
		}
	}
	return out
}

// onceCapped are the checks whose risk needs a long-running process: in
// code only one-shot commands run, their findings are info. A check whose
// defect loses or corrupts data when a step fails (tx-no-rollback,
// write-close-unchecked, error-ignored-io, sql-rows-err-unchecked) is not
// here: a command that corrupts data is wrong too. Nor is
// sql-rows-not-closed: a command that leaves rows open on a pool limited
// to one connection hangs on its next query.
var onceCapped = map[string]bool{
	"http-no-timeout": true, "http-no-context": true, "http-body-not-closed": true,
	"db-pool-unbounded": true, "server-no-timeouts": true, "goroutine-unbounded": true,
	"read-unbounded": true, "query-in-loop": true, "lock-across-io": true,
	"client-per-request": true, "sleep-in-handler": true, "context-background-in-scope": true,
}

// ownRun reports whether field of the command cmd holds the command's own
// run: not a Persistent hook, which runs before every subcommand.
func ownRun(info *types.Info, cmd ast.Expr, field string) bool {
	return !strings.HasPrefix(field, "Persistent") && program.CommandRun(info, cmd, field)
}
