package program

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/internal/sqltext"
)

// This file holds the shapes that keep per-delivery summaries honest: code
// that runs once per process however often its caller runs (a sync.Once
// body, the init branch of a lazy getter, a migration), a check-first read
// that returns early before an insert, and the names that alone do not make
// an entry.

// oneShotLit reports whether a function literal is run at most once per
// process: handed to sync.Once.Do, sync.OnceFunc, OnceValue or OnceValues.
func oneShotLit(info *types.Info, call *ast.CallExpr) bool {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return false
	}
	switch fn.Name() {
	case "Do", "OnceFunc", "OnceValue", "OnceValues":
		return true
	}
	return false
}

// nilInitBranch reports whether an if statement is a lazy getter's init
// branch: if c.db == nil { c.db = ... }, on a field or a package variable.
// Its body runs on the first call only. A local's nil check runs each call.
func nilInitBranch(info *types.Info, pkg *types.Package, x *ast.IfStmt) bool {
	for _, cond := range orOperands(x.Cond) {
		if nilInit(info, pkg, cond, x.Body) {
			return true
		}
	}
	return false
}

// orOperands splits a condition on || (reload || c.db == nil): a lazy
// getter that may also rebuild on demand still builds once per process
// in the ordinary course.
func orOperands(e ast.Expr) []ast.Expr {
	if be, ok := ast.Unparen(e).(*ast.BinaryExpr); ok && be.Op == token.LOR {
		return append(orOperands(be.X), orOperands(be.Y)...)
	}
	return []ast.Expr{e}
}

// nilInit reports whether cond is x == nil for a field or package
// variable x that body assigns.
func nilInit(info *types.Info, pkg *types.Package, cond ast.Expr, body *ast.BlockStmt) bool {
	be, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || be.Op != token.EQL {
		return false
	}
	target := be.X
	if id, ok := ast.Unparen(be.X).(*ast.Ident); ok && id.Name == "nil" {
		target = be.Y
	} else if id, ok := ast.Unparen(be.Y).(*ast.Ident); !ok || id.Name != "nil" {
		return false
	}
	switch t := ast.Unparen(target).(type) {
	case *ast.SelectorExpr:
	case *ast.Ident:
		if o := info.ObjectOf(t); o == nil || o.Parent() != pkg.Scope() {
			return false
		}
	default:
		return false
	}
	want := types.ExprString(target)
	for _, st := range body.List {
		if as, ok := st.(*ast.AssignStmt); ok {
			for _, l := range as.Lhs {
				if types.ExprString(l) == want {
					return true
				}
			}
		}
	}
	return false
}

// migrationName reports whether a function is a schema or seed-data
// migration (Migrate, AutoMigrate, runMigrations, migrateDefaults): start-up
// work, once wherever it is reached from.
func migrationName(name string) bool {
	return containsFold(name, "migrat")
}

// readPrefixes start the names of calls that read before a write decides.
var readPrefixes = []string{"Get", "First", "Exists", "Exist", "Count", "Find", "Take", "Has", "Is", "Lookup", "Load", "Select", "Query", "Fetch"}

// readCall reports whether an expression contains a call that reads: a
// method named like a lookup (repo.GetUser, db.First, q.Exists) or an SQL
// SELECT.
func readCall(info *types.Info, outer *ast.BlockStmt, e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		if s, ok := sqltext.Statement(info, outer, call); ok {
			found = strings.HasPrefix(strings.ToUpper(sqltext.Normalize(s)), "SELECT")
			return !found
		}
		name := ""
		switch f := ast.Unparen(call.Fun).(type) {
		case *ast.SelectorExpr:
			name = f.Sel.Name
		case *ast.Ident:
			name = f.Name
		}
		for _, p := range readPrefixes {
			if strings.HasPrefix(name, p) && (len(name) == len(p) || isUpperByte(name[len(p)])) ||
				lowerPrefix(name, p) && len(name) > len(p) && isUpperByte(name[len(p)]) {
				found = true
			}
		}
		return !found
	})
	return found
}

func isUpperByte(b byte) bool { return b >= 'A' && b <= 'Z' }

// lowerPrefix reports whether name starts with the ASCII word p in lower
// case (getUser for Get), as strings.HasPrefix(name, strings.ToLower(p))
// would, without building the lower-case word at every call of the module.
func lowerPrefix(name, p string) bool {
	if len(name) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if isUpperByte(c) {
			c += 'a' - 'A'
		}
		if name[i] != c {
			return false
		}
	}
	return true
}

// readResults records the variables an assignment fills from a read.
func readResults(info *types.Info, outer *ast.BlockStmt, st ast.Stmt, into map[types.Object]bool) {
	as, ok := st.(*ast.AssignStmt)
	if !ok {
		return
	}
	read := false
	for _, r := range as.Rhs {
		read = read || readCall(info, outer, r)
	}
	if !read {
		return
	}
	for _, l := range as.Lhs {
		if id, ok := l.(*ast.Ident); ok {
			if o := info.ObjectOf(id); o != nil {
				into[o] = true
			}
		}
	}
}

// checkFirst reports whether an if statement returns early on what a read
// found: if exists { return }, if err == nil { return ErrAlreadySet },
// if errors.Is(err, ErrNotFound) { return nil }, if u == nil { return }.
// A plain if err != nil { return err } passes an error on and decides
// nothing, so it is not a check.
func checkFirst(info *types.Info, x *ast.IfStmt, reads map[types.Object]bool) bool {
	if len(x.Body.List) == 0 {
		return false
	}
	if _, ok := x.Body.List[len(x.Body.List)-1].(*ast.ReturnStmt); !ok {
		return false
	}
	if be, ok := ast.Unparen(x.Cond).(*ast.BinaryExpr); ok && be.Op == token.NEQ {
		if id, ok := ast.Unparen(be.Y).(*ast.Ident); ok && id.Name == "nil" && isErrorExpr(info, be.X) {
			return false
		}
	}
	decides := false
	ast.Inspect(x.Cond, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && reads[info.ObjectOf(id)] {
			decides = true
		}
		return !decides
	})
	return decides
}

// notFoundBranch reports whether an if's condition holds when a read found
// nothing: ent.IsNotFound(err), apierrors.IsNotFound(err), errors.Is(err,
// sql.ErrNoRows), err == gorm.ErrRecordNotFound, !found, u == nil or
// n == 0 on what a read returned. An insert in its body is a
// get-or-create: a second run finds the row and does not insert again (two
// runs at once may both miss, which is a race, not a redelivery).
func notFoundBranch(info *types.Info, cond ast.Expr, reads map[types.Object]bool) bool {
	for _, c := range andOperands(cond) {
		c = ast.Unparen(c)
		switch x := c.(type) {
		case *ast.CallExpr:
			name := code.LastName(x.Fun)
			if notFoundName(name) {
				return true
			}
			if name == "Is" && len(x.Args) == 2 && notFoundName(code.LastName(x.Args[1])) {
				return true
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(x.X).(*ast.Ident); ok && x.Op == token.NOT && reads[info.ObjectOf(id)] {
				return true
			}
		case *ast.BinaryExpr:
			if x.Op != token.EQL {
				continue
			}
			if notFoundName(code.LastName(x.Y)) || notFoundName(code.LastName(x.X)) {
				return true
			}
			id, ok := ast.Unparen(x.X).(*ast.Ident)
			if !ok || !reads[info.ObjectOf(id)] {
				continue
			}
			if y, ok := ast.Unparen(x.Y).(*ast.Ident); ok && y.Name == "nil" && !isErrorExpr(info, x.X) {
				return true
			}
			if lit, ok := ast.Unparen(x.Y).(*ast.BasicLit); ok && lit.Value == "0" {
				return true
			}
		}
	}
	return false
}

// andOperands splits a condition on &&.
func andOperands(e ast.Expr) []ast.Expr {
	if be, ok := ast.Unparen(e).(*ast.BinaryExpr); ok && be.Op == token.LAND {
		return append(andOperands(be.X), andOperands(be.Y)...)
	}
	return []ast.Expr{e}
}

// notFoundName reports whether a function or error name says a lookup
// found nothing: IsNotFound, ErrNoRows, ErrRecordNotFound, ErrNoDocuments.
func notFoundName(name string) bool {
	return strings.Contains(name, "NotFound") || strings.Contains(name, "NoRows") || strings.Contains(name, "NoDocuments")
}

func isErrorExpr(info *types.Info, e ast.Expr) bool {
	t := info.TypeOf(e)
	return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
}

// entNumericAdd reports whether an ent update builder chain adds a number
// to a field (AddStock(-n)): Add<Edge>IDs and Add<Edge>s link rows, and a
// version, sequence or position counter is not a tally.
func entNumericAdd(info *types.Info, call *ast.CallExpr) bool {
	found := false
	ast.Inspect(call, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
		if !ok || len(c.Args) != 1 || !strings.HasPrefix(sel.Sel.Name, "Add") || len(sel.Sel.Name) < 4 || !isUpperByte(sel.Sel.Name[3]) {
			return true
		}
		field := sel.Sel.Name[3:]
		if strings.HasSuffix(field, "IDs") || sqltext.CounterColumn(snake(field)) {
			return true
		}
		if b, ok := types.Unalias(info.TypeOf(c.Args[0])).(*types.Basic); ok && b.Info()&types.IsNumeric != 0 {
			found = true
		}
		return !found
	})
	return found
}

// snake turns a Go field name into a column-like name (SortOrder → sort_order).
func snake(s string) string {
	var b strings.Builder
	for i := range len(s) {
		if isUpperByte(s[i]) && i > 0 {
			b.WriteByte('_')
		}
		b.WriteByte(s[i] | 0x20)
	}
	return b.String()
}

// rawPayload reports whether a function takes a delivery's raw payload (a
// []byte or json.RawMessage, or a string named like a payload): what a
// handler recognised only by its name must take. A function that takes a
// decoded domain value (CreateWebhook(w *Webhook)) or a Go channel (a
// channel never redelivers) is a repository or a worker loop, not an entry.
func rawPayload(info *types.Info, ft *ast.FuncType) bool {
	for _, field := range ft.Params.List {
		t := info.TypeOf(field.Type)
		if t == nil {
			continue
		}
		if s, ok := t.Underlying().(*types.Slice); ok {
			if b, ok := s.Elem().(*types.Basic); ok && b.Kind() == types.Byte {
				return true
			}
		}
		if b, ok := t.Underlying().(*types.Basic); ok && b.Kind() == types.String {
			for _, n := range field.Names {
				if hasWord(n.Name, []string{"payload", "body", "msg", "message", "event"}) {
					return true
				}
			}
		}
	}
	return false
}

// authCallback reports whether a route or handler name is a browser sign-in
// redirect (/auth/{provider}/callback, /oauth/github/callback,
// OAuthCallback): a user's browser follows it once per sign-in, as
// concurrent requests, and no sender redelivers it.
func authCallback(s string) bool {
	if !containsFold(s, "callback") || containsFold(s, "hook") {
		return false
	}
	if hasWord(s, []string{"oauth", "login", "auth", "sso", "oidc", "openid", "signin"}) {
		return true
	}
	return strings.Contains(s, "/{") || strings.Contains(s, "/:")
}

// lockingRead reports whether a call reads rows under a lock that lasts to
// the end of the transaction (SELECT ... FOR UPDATE, xorm's and ent's
// ForUpdate(), gorm's clause.Locking): the state check that follows it is
// serialised with any other delivery's, so the writes after it are the
// decision of a locked read, not a blind repeat.
func lockingRead(info *types.Info, outer *ast.BlockStmt, call *ast.CallExpr) bool {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		if f.Sel.Name == "ForUpdate" {
			return true
		}
	}
	for _, a := range call.Args {
		if cl, ok := ast.Unparen(a).(*ast.CompositeLit); ok {
			if sel, ok := ast.Unparen(cl.Type).(*ast.SelectorExpr); ok && sel.Sel.Name == "Locking" {
				return true
			}
		}
	}
	if s, ok := sqltext.Statement(info, outer, call); ok {
		n := strings.ToUpper(sqltext.Normalize(s))
		return strings.HasPrefix(n, "SELECT") && strings.Contains(n, " FOR UPDATE")
	}
	return false
}
