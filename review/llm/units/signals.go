package units

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/prodready/prodready/checklist/iocall"
	"github.com/prodready/prodready/finding"
)

// Signal weights. A checklist finding outranks any call; calls into systems
// that fail independently (network, database, queue) outrank local effects.
const (
	weightFinding   = 100
	weightNetwork   = 10
	weightDatabase  = 10
	weightQueue     = 10
	weightRedis     = 10
	weightGoroutine = 8
	weightRetry     = 8
	weightFileWrite = 6
)

// Signal names, as the prompt and the "not asked" list show them.
const (
	sigFinding   = "checklist findings"
	sigNetwork   = "network calls"
	sigDatabase  = "database calls"
	sigRedis     = "redis calls"
	sigQueue     = "message queue calls"
	sigGoroutine = "goroutines"
	sigRetry     = "a retry loop"
	sigFileWrite = "file writes"
)

// retrySignals are import path prefixes of retry libraries. What a call into
// a package talks to is iocall.Package's to say.
var retrySignals = []string{"github.com/cenkalti/backoff", "github.com/avast/retry-go", "github.com/hashicorp/go-retryablehttp"}

// syntaxDBMethods are method names that, when no type information is
// available, suggest a database or queue call.
var syntaxDBMethods = map[string]bool{
	"Exec": true, "ExecContext": true, "Query": true, "QueryContext": true, "QueryRow": true,
	"QueryRowContext": true, "Begin": true, "BeginTx": true, "Commit": true, "Publish": true, "Ack": true,
}

func weight(sig string) int {
	switch sig {
	case sigNetwork:
		return weightNetwork
	case sigDatabase:
		return weightDatabase
	case sigRedis:
		return weightRedis
	case sigQueue:
		return weightQueue
	case sigGoroutine:
		return weightGoroutine
	case sigRetry:
		return weightRetry
	case sigFileWrite:
		return weightFileWrite
	}
	return 0
}

func signalForPath(p string) string {
	switch iocall.Package(p) {
	case iocall.Network:
		return sigNetwork
	case iocall.Database:
		return sigDatabase
	case iocall.Redis:
		return sigRedis
	case iocall.Queue:
		return sigQueue
	}
	for _, prefix := range retrySignals {
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			return sigRetry
		}
	}
	return ""
}

// score fills u.Signals and u.Score: the unit's own signals, plus those of
// the same-package functions it calls directly (one level), since a handler
// that calls its package's store() writes to the database all the same.
func score(u *Unit, fs fileSyntax) {
	found := map[string]bool{}
	if fs.file != nil {
		nodes := nodesIn(fs, u)
		for s := range directSignals(fs, nodes...) {
			found[s] = true
		}
		for _, fd := range ownCallees(fs, nodes) {
			for s := range fs.memo.signalsOf(fs, fd) {
				found[s] = true
			}
		}
	}
	u.Score = 0
	u.Signals = nil
	if len(u.Evidence) > 0 {
		u.Signals = append(u.Signals, sigFinding)
		u.Score += weightFinding * len(u.Evidence)
	}
	var rest []string
	for s := range found {
		rest = append(rest, s)
		u.Score += weight(s)
	}
	sort.Slice(rest, func(i, j int) bool {
		if weight(rest[i]) != weight(rest[j]) {
			return weight(rest[i]) > weight(rest[j])
		}
		return rest[i] < rest[j]
	})
	u.Signals = append(u.Signals, rest...)
}

// directSignals finds the signals in nodes themselves.
func directSignals(fs fileSyntax, nodes ...ast.Node) map[string]bool {
	found := map[string]bool{}
	for _, n := range nodes {
		ast.Inspect(n, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.GoStmt:
				found[sigGoroutine] = true
			case *ast.CallExpr:
				if s := callSignal(fs, x); s != "" {
					found[s] = true
				}
			case *ast.ForStmt:
				if loopRetries(fs, x.Body) || reattempts(fs, x) {
					found[sigRetry] = true
				}
			case *ast.RangeStmt:
				if loopRetries(fs, x.Body) || reattempts(fs, x) {
					found[sigRetry] = true
				}
			}
			return true
		})
	}
	return found
}

// pkgMemo holds, per package, its function declarations by name and the
// direct signals of those already examined.
type pkgMemo struct {
	decls   map[string]*ast.FuncDecl
	signals map[*ast.FuncDecl]map[string]bool
}

func newPkgMemo(files []*ast.File) *pkgMemo {
	m := &pkgMemo{decls: map[string]*ast.FuncDecl{}, signals: map[*ast.FuncDecl]map[string]bool{}}
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				m.decls[finding.FuncName(fd)] = fd
			}
		}
	}
	return m
}

func (m *pkgMemo) signalsOf(fs fileSyntax, fd *ast.FuncDecl) map[string]bool {
	if s, ok := m.signals[fd]; ok {
		return s
	}
	s := directSignals(fs, fd.Body)
	m.signals[fd] = s
	return s
}

// ownCallees returns the declarations of same-package functions called in nodes.
func ownCallees(fs fileSyntax, nodes []ast.Node) []*ast.FuncDecl {
	if fs.memo == nil {
		return nil
	}
	seen := map[*ast.FuncDecl]bool{}
	var out []*ast.FuncDecl
	for _, n := range nodes {
		ast.Inspect(n, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name := ""
			if fs.info != nil && fs.pkgTypes != nil {
				if fn, ok := typeutil.Callee(fs.info, call).(*types.Func); ok && fn.Pkg() == fs.pkgTypes {
					name = recvName(fn)
				}
			} else if id, ok := call.Fun.(*ast.Ident); ok {
				name = id.Name
			}
			if fd := fs.memo.decls[name]; fd != nil && !seen[fd] {
				seen[fd] = true
				out = append(out, fd)
			}
			return true
		})
	}
	return out
}

// nodesIn returns the top-level syntax nodes that make up u.
func nodesIn(fs fileSyntax, u *Unit) []ast.Node {
	var out []ast.Node
	line := func(p token.Pos) int { return fs.fset.Position(p).Line }
	for _, d := range fs.file.Decls {
		s, e := line(d.Pos()), line(d.End())
		if e < u.Start || s > u.End {
			continue
		}
		if u.Kind == Hunk {
			// A hunk outside functions: only the declarations it touches
			// outside function bodies matter; those hold no calls worth a
			// signal except initialisers, which Inspect still reaches.
			if _, isFunc := d.(*ast.FuncDecl); isFunc {
				continue
			}
		}
		out = append(out, d)
	}
	if u.Kind == Literal {
		// Narrow to the literal itself.
		var lits []ast.Node
		for _, n := range out {
			ast.Inspect(n, func(n ast.Node) bool {
				if lit, ok := n.(*ast.FuncLit); ok && line(lit.Pos()) == u.Start && line(lit.End()) == u.End {
					lits = append(lits, lit)
					return false
				}
				return true
			})
		}
		return lits
	}
	return out
}

// callSignal classifies one call.
func callSignal(fs fileSyntax, call *ast.CallExpr) string {
	if fs.info != nil {
		if s := typedCallSignal(fs.info, fs.pkgTypes, call); s != "" {
			return s
		}
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	if id, ok := sel.X.(*ast.Ident); ok {
		if p := importPath(fs.file, id.Name); p != "" {
			if iocall.WritesFiles(p, sel.Sel.Name) {
				return sigFileWrite
			}
			if p == "golang.org/x/sync/errgroup" {
				return ""
			}
			return signalForPath(p)
		}
	}
	switch {
	case sel.Sel.Name == "Go" && fs.info == nil:
		// errgroup.Group.Go or sync.WaitGroup.Go
		return sigGoroutine
	case fs.info == nil && syntaxDBMethods[sel.Sel.Name]:
		return sigDatabase
	}
	return ""
}

// typedCallSignal classifies a call by the package of its callee. Calls
// within the unit's own package give no signal: a client library's own
// helpers are not calls into another system.
func typedCallSignal(info *types.Info, self *types.Package, call *ast.CallExpr) string {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg() == self {
		return ""
	}
	p := fn.Pkg().Path()
	switch {
	case iocall.WritesFiles(p, fn.Name()):
		return sigFileWrite
	case p == "os" && strings.HasPrefix(fn.Name(), "Write"):
		return sigFileWrite // (*os.File).Write, WriteString, WriteAt
	case (p == "golang.org/x/sync/errgroup" || p == "sync") && fn.Name() == "Go":
		return sigGoroutine
	}
	return signalForPath(p)
}

// loopRetries reports whether a loop body sleeps or backs off: the shape of a
// hand-written retry loop.
func loopRetries(fs fileSyntax, body *ast.BlockStmt) bool {
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			if id, ok := call.Fun.(*ast.Ident); ok && strings.Contains(strings.ToLower(id.Name), "retry") {
				found = true
			}
			return true
		}
		name := sel.Sel.Name
		if id, ok := sel.X.(*ast.Ident); ok && importPath(fs.file, id.Name) == "time" && (name == "Sleep" || name == "After" || name == "NewTimer") {
			found = true
		}
		if strings.Contains(strings.ToLower(name), "backoff") || strings.Contains(strings.ToLower(name), "retry") {
			found = true
		}
		return true
	})
	return found
}

// importPath returns the import path a file binds to local name, or "".
func importPath(f *ast.File, name string) string {
	for _, im := range f.Imports {
		p, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			continue
		}
		local := p[strings.LastIndex(p, "/")+1:]
		if im.Name != nil {
			local = im.Name.Name
		} else if i := strings.Index(local, "."); i > 0 {
			local = local[:i]
		}
		// Major-version suffixes: github.com/jackc/pgx/v5 is pgx.
		if im.Name == nil && len(local) > 1 && local[0] == 'v' && isDigits(local[1:]) {
			rest := p[:strings.LastIndex(p, "/")]
			local = rest[strings.LastIndex(rest, "/")+1:]
		}
		if im.Name == nil {
			local = strings.TrimPrefix(local, "go-")
		}
		if local == name {
			return p
		}
	}
	return ""
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
