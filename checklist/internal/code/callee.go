package code

import (
	"go/ast"
	"go/token"
	"go/types"
	"iter"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// Info returns pass's type information, or an empty one so that lookups never
// dereference nil.
func Info(pass *analysis.Pass) *types.Info {
	if pass.TypesInfo != nil {
		return pass.TypesInfo
	}
	return &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Implicits:  map[ast.Node]types.Object{},
		Scopes:     map[ast.Node]*types.Scope{},
	}
}

// Callee returns the function or method call statically calls, or nil when
// it is not known (a call through a variable, or missing type information).
func Callee(info *types.Info, call *ast.CallExpr) *types.Func {
	if info == nil || call == nil {
		return nil
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	return fn
}

// FuncPath returns the import path of fn's package, or "".
func FuncPath(fn *types.Func) string {
	if fn == nil || fn.Pkg() == nil {
		return ""
	}
	return fn.Pkg().Path()
}

// IsPkgFunc reports whether fn is the package-level function path.name for
// one of names.
func IsPkgFunc(fn *types.Func, path string, names ...string) bool {
	if fn == nil || FuncPath(fn) != path {
		return false
	}
	if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
		return false
	}
	return oneOf(fn.Name(), names)
}

// RecvNamed returns the package path and name of the named type that fn is a
// method of (after dereferencing a pointer receiver), or "", "".
func RecvNamed(fn *types.Func) (path, name string) {
	if fn == nil {
		return "", ""
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return "", ""
	}
	return TypeName(sig.Recv().Type())
}

// NamedOf returns the named type behind t, looking through aliases and one
// pointer, or nil.
func NamedOf(t types.Type) *types.Named {
	if t == nil {
		return nil
	}
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, _ := t.(*types.Named)
	return n
}

// TypeName returns the package path and name of the named type behind t (see
// NamedOf), or "", "" when there is none. A predeclared type such as error has
// an empty path.
func TypeName(t types.Type) (path, name string) {
	n := NamedOf(t)
	if n == nil || n.Obj() == nil {
		return "", ""
	}
	if n.Obj().Pkg() == nil {
		return "", n.Obj().Name()
	}
	return n.Obj().Pkg().Path(), n.Obj().Name()
}

// IsMethod reports whether fn is a method named one of names on the type
// path.typeName (pointer or not).
func IsMethod(fn *types.Func, path, typeName string, names ...string) bool {
	p, n := RecvNamed(fn)
	return p == path && n == typeName && oneOf(fn.Name(), names)
}

// IsNamed reports whether t (or *t) is the named type path.name, aliases
// seen through. path is never empty: predeclared types do not match.
func IsNamed(t types.Type, path, name string) bool {
	p, n := TypeName(t)
	return p != "" && p == path && n == name
}

// IsError reports whether t is the predeclared error type.
func IsError(t types.Type) bool {
	return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
}

// ReturnsError reports whether sig's last result is an error.
func ReturnsError(sig *types.Signature) bool {
	if sig == nil || sig.Results().Len() == 0 {
		return false
	}
	return IsError(sig.Results().At(sig.Results().Len() - 1).Type())
}

// CallSig returns the signature of the function call calls, or nil.
func CallSig(info *types.Info, call *ast.CallExpr) *types.Signature {
	if info == nil || call == nil {
		return nil
	}
	tv, ok := info.Types[call.Fun]
	if !ok || tv.Type == nil {
		return nil
	}
	sig, _ := tv.Type.Underlying().(*types.Signature)
	return sig
}

// TypeOf returns the type of e, or nil when the package has no (valid) type
// information for it. A plain identifier missing from info.Types (as after a
// type error) still has the type of the object it names.
func TypeOf(info *types.Info, e ast.Expr) types.Type {
	if info == nil || e == nil {
		return nil
	}
	if tv, ok := info.Types[e]; ok && tv.Type != nil {
		return validType(tv.Type)
	}
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		if obj := info.ObjectOf(id); obj != nil {
			return validType(obj.Type())
		}
	}
	return nil
}

// validType returns t, or nil when t is missing or invalid (the type checker
// gave up on the expression).
func validType(t types.Type) types.Type {
	if t == nil {
		return nil
	}
	if b, ok := t.(*types.Basic); ok && b.Kind() == types.Invalid {
		return nil
	}
	return t
}

// HasMethods reports whether the method set of t (or *t) has every one of names.
func HasMethods(t types.Type, names ...string) bool {
	if t == nil {
		return false
	}
	for _, name := range names {
		obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
		if _, ok := obj.(*types.Func); !ok {
			return false
		}
	}
	return true
}

// Selector splits call.Fun into receiver expression and selected name when
// it is a selector (x.Name), after stripping parentheses and type arguments.
func Selector(call *ast.CallExpr) (recv ast.Expr, name string, ok bool) {
	if call == nil {
		return nil, "", false
	}
	fun := ast.Unparen(call.Fun)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	sel, ok := fun.(*ast.SelectorExpr)
	if !ok {
		return nil, "", false
	}
	return sel.X, sel.Sel.Name, true
}

// ImportsPath reports whether file imports path, under any name.
func ImportsPath(file *ast.File, path string) bool {
	if file == nil {
		return false
	}
	for _, imp := range file.Imports {
		if strings.Trim(imp.Path.Value, "`\"") == path {
			return true
		}
	}
	return false
}

// Imports maps the local names a file gives its imports to their paths.
type Imports map[string]string

// FileImports returns the imports of f by local name. Dot and blank imports
// are left out.
func FileImports(f *ast.File) Imports {
	m := Imports{}
	if f == nil {
		return m
	}
	for _, spec := range f.Imports {
		path, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		name := importLocal(spec, path)
		if name == "_" || name == "." {
			continue
		}
		m[name] = path
	}
	return m
}

// importLocal returns the name spec binds its package to in the file: the
// name it gives, or else the name guessed from path.
func importLocal(spec *ast.ImportSpec, path string) string {
	if spec.Name != nil {
		return spec.Name.Name
	}
	return ImportName(path)
}

// ImportName guesses the name a package at path declares, by the rule
// goimports follows: its last element (the one before a major-version suffix
// such as /v5), without a "go-" prefix, cut at the first character that
// cannot be in an identifier ("yaml.v3" is yaml, "retry-go" is retry). It is
// only used when type information is missing.
func ImportName(path string) string {
	parts := strings.Split(path, "/")
	last := parts[len(parts)-1]
	if len(parts) > 1 && len(last) > 1 && last[0] == 'v' && isDigits(last[1:]) {
		last = parts[len(parts)-2]
	}
	last = strings.TrimPrefix(last, "go-")
	if i := strings.IndexAny(last, ".-"); i >= 0 {
		last = last[:i]
	}
	return last
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// IsPkgCall reports whether call calls the package-level function path.name
// for one of names. It uses types when the callee resolved, and otherwise the
// file's imports (x.Name where x imports path and is not shadowed by a
// resolved local object).
func IsPkgCall(info *types.Info, imps Imports, call *ast.CallExpr, path string, names ...string) bool {
	if fn := Callee(info, call); fn != nil {
		return IsPkgFunc(fn, path, names...)
	}
	return IsPkgSelector(info, imps, call.Fun, path, names...)
}

// IsPkgSelector reports whether e is the qualified identifier path.name for
// one of names, by types or, when they are missing, by the file's imports.
func IsPkgSelector(info *types.Info, imps Imports, e ast.Expr, path string, names ...string) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || !oneOf(sel.Sel.Name, names) {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok {
		return false
	}
	if info != nil {
		if obj := info.Uses[x]; obj != nil {
			pn, ok := obj.(*types.PkgName)
			return ok && pn.Imported().Path() == path
		}
		if obj := info.Uses[sel.Sel]; obj != nil && obj.Pkg() != nil {
			return obj.Pkg().Path() == path
		}
	}
	return imps[x.Name] == path
}

func oneOf(s string, names []string) bool {
	if len(names) == 0 {
		return true
	}
	for _, n := range names {
		if s == n {
			return true
		}
	}
	return false
}

// OneOf reports whether s is one of names (any name when names is empty).
func OneOf(s string, names ...string) bool { return oneOf(s, names) }

// Var identifies one local variable: by its object where types resolved, and
// by name otherwise.
type Var struct {
	Obj  types.Object
	Name string
}

// VarOf returns what the identifier id declares or uses, whatever kind of
// object that is; the zero Var for nil or the blank identifier.
func VarOf(info *types.Info, id *ast.Ident) Var {
	if id == nil || id.Name == "_" {
		return Var{}
	}
	v := Var{Name: id.Name}
	if info != nil {
		v.Obj = info.ObjectOf(id)
	}
	return v
}

// LocalVar returns the variable e denotes when e is a plain identifier
// (parentheses aside) that names a variable, or one whose object is unknown.
func LocalVar(info *types.Info, e ast.Expr) (Var, bool) {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return Var{}, false
	}
	v := VarOf(info, id)
	if !v.Valid() {
		return Var{}, false
	}
	if v.Obj != nil {
		if _, isVar := v.Obj.(*types.Var); !isVar {
			return Var{}, false
		}
	}
	return v, true
}

// Valid reports whether v names something.
func (v Var) Valid() bool { return v.Name != "" }

// Is reports whether e is a plain reference to v (parentheses aside). Where
// either side's object is unknown, the name decides.
func (v Var) Is(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || id == nil || id.Name != v.Name {
		return false
	}
	if v.Obj == nil || info == nil {
		return true
	}
	obj := info.ObjectOf(id)
	return obj == nil || obj == v.Obj
}

// IsTestFile reports whether the file holding pos is a _test.go file.
func IsTestFile(fset *token.FileSet, pos token.Pos) bool {
	f := fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// Body returns the body of a *ast.FuncDecl or *ast.FuncLit, or nil.
func Body(fn ast.Node) *ast.BlockStmt {
	switch f := fn.(type) {
	case *ast.FuncDecl:
		return f.Body
	case *ast.FuncLit:
		return f.Body
	}
	return nil
}

// FuncType returns the type of a *ast.FuncDecl or *ast.FuncLit, or nil.
func FuncType(fn ast.Node) *ast.FuncType {
	switch f := fn.(type) {
	case *ast.FuncDecl:
		return f.Type
	case *ast.FuncLit:
		return f.Type
	}
	return nil
}

// FuncName returns the name of a *ast.FuncDecl, or "" for a literal.
func FuncName(fn ast.Node) string {
	if d, ok := fn.(*ast.FuncDecl); ok {
		return d.Name.Name
	}
	return ""
}

// EnclosingFunc returns the innermost *ast.FuncDecl or *ast.FuncLit in stack
// (searched from the end), or nil.
func EnclosingFunc(stack []ast.Node) ast.Node {
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return stack[i]
		}
	}
	return nil
}

// StmtOf returns the innermost statement in stack (searched from the end)
// that directly holds the node at the end, or nil.
func StmtOf(stack []ast.Node) ast.Stmt {
	for i := len(stack) - 1; i >= 0; i-- {
		if s, ok := stack[i].(ast.Stmt); ok {
			return s
		}
	}
	return nil
}

// ErrCheckAfter returns the if statement right after assign (an assignment
// or var spec whose last left-hand name is an error) that tests that error:
// its then-branch is the path on which the call failed.
func ErrCheckAfter(info *types.Info, stack []ast.Node, assign ast.Node) *ast.IfStmt {
	var errVar Var
	var ok bool
	switch a := assign.(type) {
	case *ast.AssignStmt:
		if len(a.Lhs) < 2 {
			return nil
		}
		errVar, ok = LocalVar(info, a.Lhs[len(a.Lhs)-1])
	case *ast.ValueSpec:
		if len(a.Names) < 2 {
			return nil
		}
		errVar, ok = LocalVar(info, a.Names[len(a.Names)-1])
	}
	if !ok {
		return nil
	}
	ifs := ifRightAfter(stack, assign)
	if ifs != nil && Mentions(info, ifs.Cond, errVar) {
		return ifs
	}
	return nil
}

// FailureBranch returns the if statement whose then-branch runs only when
// the call assigned by assign failed: the if right after assign, or the if
// whose init statement assign is (if rows, err = q(); err != nil). The
// condition must say the call failed on its own: err != nil (also inside
// &&, or errors.Is/As of err), or a disjunction whose every term does so or
// tests one of the call's results for nil. A call with a single result
// fails when that result's Error field or Err() is non-nil (gorm's
// tx := db.Begin(); if tx.Error != nil). A condition that also holds when
// the call succeeded (err != nil || limit == 0) gives nil: that branch may
// hold the result.
func FailureBranch(info *types.Info, stack []ast.Node, assign ast.Node) *ast.IfStmt {
	fails := failureTest(info, assign)
	ifs := ifAfter(stack, assign)
	if fails == nil || ifs == nil || !fails(ifs.Cond) {
		return nil
	}
	return ifs
}

// FailureBranches is FailureBranch for a run of checks: every if statement
// that tests the call at assign for failure (as FailureBranch's condition)
// in the statements right after assign, where deferred calls and such ifs
// may follow each other (rows, err := q(); defer cleanup(); if
// errors.Is(err, sql.ErrNoRows) { ... }; if err != nil { ... }). The run
// ends at the first other statement, before err may hold another call's
// error.
func FailureBranches(info *types.Info, stack []ast.Node, assign ast.Node) []*ast.IfStmt {
	fails := failureTest(info, assign)
	if fails == nil {
		return nil
	}
	if ifs := ifAfter(stack, assign); ifs != nil && ast.Node(ifs.Init) == assign {
		if fails(ifs.Cond) {
			return []*ast.IfStmt{ifs}
		}
		return nil
	}
	list, at := stmtListOf(stack, assign)
	if at >= 0 && at == len(list)-1 {
		// The call ends a branch (if kind == "" { rows, err = q1() } else
		// { rows, err = q2() }): the checks after the if test it.
		if l, i := afterBranch(stack, list); l != nil {
			list, at = l, i
		}
	}
	if at < 0 {
		return nil
	}
	var out []*ast.IfStmt
	for _, st := range list[at+1:] {
		switch x := st.(type) {
		case *ast.DeferStmt:
			continue
		case *ast.IfStmt:
			if x.Init == nil && fails(x.Cond) {
				out = append(out, x)
				continue
			}
		}
		break
	}
	return out
}

// afterBranch returns, when list is the body of an if statement's branch
// (then or else, through an else-if chain), the statement list holding the
// whole if statement and its index there; nil otherwise.
func afterBranch(stack []ast.Node, list []ast.Stmt) ([]ast.Stmt, int) {
	for i := len(stack) - 1; i > 0; i-- {
		b, ok := stack[i].(*ast.BlockStmt)
		if !ok || len(b.List) != len(list) || (len(list) > 0 && b.List[0] != list[0]) {
			continue
		}
		j := i - 1
		ifs, ok := stack[j].(*ast.IfStmt)
		if !ok || (ifs.Body != b && ifs.Else != ast.Stmt(b)) {
			return nil, -1
		}
		for j > 0 { // climb an else-if chain to its first if
			outer, ok := stack[j-1].(*ast.IfStmt)
			if !ok || outer.Else != ast.Stmt(ifs) {
				break
			}
			ifs, j = outer, j-1
		}
		for k := j - 1; k >= 0; k-- {
			for n, st := range StmtList(stack[k]) {
				if st == ast.Stmt(ifs) {
					return StmtList(stack[k]), n
				}
			}
		}
		return nil, -1
	}
	return nil, -1
}

// stmtListOf returns the statement list that holds assign (or the
// declaration holding a var spec) and its index there; nil when none does.
func stmtListOf(stack []ast.Node, assign ast.Node) ([]ast.Stmt, int) {
	stmt := assign
	if _, isSpec := assign.(*ast.ValueSpec); isSpec {
		stmt = nil
		for i := len(stack) - 1; i >= 0 && stmt == nil; i-- {
			if d, ok := stack[i].(*ast.DeclStmt); ok {
				stmt = d
			}
		}
	}
	for i := len(stack) - 1; i >= 0; i-- {
		for j, s := range StmtList(stack[i]) {
			if ast.Node(s) == stmt {
				return StmtList(stack[i]), j
			}
		}
	}
	return nil, -1
}

// StmtList returns the statements n holds in sequence: a block's list or a
// case or select clause's body; nil for any other node.
func StmtList(n ast.Node) []ast.Stmt {
	switch b := n.(type) {
	case *ast.BlockStmt:
		return b.List
	case *ast.CaseClause:
		return b.Body
	case *ast.CommClause:
		return b.Body
	}
	return nil
}

// failureTest returns the test FailureBranch applies to an if condition
// after assign, or nil when assign assigns nothing.
func failureTest(info *types.Info, assign ast.Node) func(ast.Expr) bool {
	var lhs []ast.Expr
	switch a := assign.(type) {
	case *ast.AssignStmt:
		lhs = a.Lhs
	case *ast.ValueSpec:
		for _, n := range a.Names {
			lhs = append(lhs, n)
		}
	}
	if len(lhs) == 0 {
		return nil
	}
	var results []Var // the call's results other than its error
	rest := lhs
	if len(lhs) > 1 {
		rest = lhs[:len(lhs)-1]
	}
	for _, e := range rest {
		if v, ok := LocalVar(info, e); ok {
			results = append(results, v)
		}
	}
	isErr := func(e ast.Expr) bool {
		e = ast.Unparen(e)
		if len(lhs) > 1 {
			v, ok := LocalVar(info, lhs[len(lhs)-1])
			return ok && v.Is(info, e)
		}
		if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 0 {
			e = call.Fun
		}
		sel, ok := e.(*ast.SelectorExpr)
		if !ok || (sel.Sel.Name != "Error" && sel.Sel.Name != "Err") {
			return false
		}
		v, ok := LocalVar(info, lhs[0])
		return ok && v.Is(info, sel.X)
	}
	return func(cond ast.Expr) bool { return failsCond(info, cond, isErr, results, true) }
}

// ifAfter returns the if statement whose init is assign, or the statement
// right after assign (or after the declaration holding a var spec) when it
// is an if statement.
func ifAfter(stack []ast.Node, assign ast.Node) *ast.IfStmt {
	for i := len(stack) - 1; i >= 0; i-- {
		if ifs, ok := stack[i].(*ast.IfStmt); ok && ifs.Init != nil && ast.Node(ifs.Init) == assign {
			return ifs
		}
	}
	return ifRightAfter(stack, assign)
}

// ifRightAfter returns the statement right after assign (or after the
// declaration holding a var spec) when it is an if statement.
func ifRightAfter(stack []ast.Node, assign ast.Node) *ast.IfStmt {
	list, at := stmtListOf(stack, assign)
	if at < 0 || at+1 >= len(list) {
		return nil
	}
	ifs, _ := list[at+1].(*ast.IfStmt)
	return ifs
}

// failsCond reports whether cond holds only when the call failed: isErr
// names its error. With nilTerms, a term testing one of results for nil
// counts as failure too (a nil result holds nothing).
func failsCond(info *types.Info, cond ast.Expr, isErr func(ast.Expr) bool, results []Var, nilTerms bool) bool {
	switch c := ast.Unparen(cond).(type) {
	case *ast.BinaryExpr:
		switch c.Op {
		case token.LAND:
			return failsCond(info, c.X, isErr, results, false) || failsCond(info, c.Y, isErr, results, false)
		case token.LOR:
			return failsCond(info, c.X, isErr, results, true) && failsCond(info, c.Y, isErr, results, true)
		case token.NEQ:
			return (isErr(c.X) && isNil(c.Y)) || (isErr(c.Y) && isNil(c.X))
		case token.EQL:
			if !nilTerms {
				return false
			}
			for _, r := range results {
				if (r.Is(info, c.X) && isNil(c.Y)) || (r.Is(info, c.Y) && isNil(c.X)) {
					return true
				}
			}
		}
	case *ast.UnaryExpr:
		// tx, ok := r.StartTx(); if !ok { ... }: a helper that reports
		// failure as a false second result.
		if info == nil || c.Op != token.NOT {
			break
		}
		if b, isBool := types.Unalias(info.TypeOf(c.X)).(*types.Basic); isBool && b.Kind() == types.Bool {
			return isErr(c.X)
		}
	case *ast.CallExpr:
		// errors.Is(err, target) and errors.As(err, &target) hold only for
		// a non-nil err.
		if fn, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok && len(c.Args) == 2 && isErr(c.Args[0]) {
			if pkg, ok := fn.X.(*ast.Ident); ok && pkg.Name == "errors" && (fn.Sel.Name == "Is" || fn.Sel.Name == "As") {
				return true
			}
		}
	}
	return false
}

func isNil(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "nil"
}

// Mentions reports whether v appears in e.
func Mentions(info *types.Info, e ast.Node, v Var) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && v.Is(info, id) {
			found = true
		}
		return !found
	})
	return found
}

// IsConversion reports whether call is a type conversion such as T(x).
func IsConversion(info *types.Info, call *ast.CallExpr) bool {
	if info == nil || call == nil {
		return false
	}
	tv, ok := info.Types[call.Fun]
	return ok && tv.IsType()
}

// Unaddr strips parentheses and a leading & from e: the value &T{...} or
// (&v) takes the address of.
func Unaddr(e ast.Expr) ast.Expr {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		return ast.Unparen(u.X)
	}
	return e
}

// FuncDecls yields each function and method of pass's files that has a
// body, with the object it declares (those whose object did not resolve
// are skipped).
func FuncDecls(pass *analysis.Pass) iter.Seq2[*ast.FuncDecl, *types.Func] {
	return func(yield func(*ast.FuncDecl, *types.Func) bool) {
		info := Info(pass)
		if info == nil {
			return
		}
		for _, f := range pass.Files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				if fn, ok := info.Defs[fd.Name].(*types.Func); ok && !yield(fd, fn) {
					return
				}
			}
		}
	}
}

// Decls finds the declarations of the functions and methods a package
// declares, indexed on first use: by object where types resolved, and by
// name for plain functions where they did not.
type Decls struct {
	pass   *analysis.Pass
	once   sync.Once
	byObj  map[*types.Func]*ast.FuncDecl
	byName map[string]*ast.FuncDecl
}

// NewDecls returns an index of pass's declarations; nothing is read until
// the first lookup, since most packages never need one.
func NewDecls(pass *analysis.Pass) *Decls { return &Decls{pass: pass} }

func (d *Decls) build() {
	info := Info(d.pass)
	d.byObj = map[*types.Func]*ast.FuncDecl{}
	d.byName = map[string]*ast.FuncDecl{}
	for _, f := range d.pass.Files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if fn, ok := info.Defs[fd.Name].(*types.Func); ok {
				d.byObj[fn] = fd
			}
			if fd.Recv == nil {
				d.byName[fd.Name.Name] = fd
			}
		}
	}
}

// Of returns the declaration, with a body, of the package function or
// method call calls, or nil when call leaves the package or is not a
// direct call.
func (d *Decls) Of(info *types.Info, call *ast.CallExpr) *ast.FuncDecl {
	d.once.Do(d.build)
	var fd *ast.FuncDecl
	if fn := Callee(info, call); fn != nil {
		fd = d.byObj[fn]
	} else if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && (info == nil || info.Uses[id] == nil) {
		fd = d.byName[id.Name] // no types: a plain function of the package by name
	}
	if fd == nil || fd.Body == nil {
		return nil
	}
	return fd
}

// Implementations returns the declarations of the package's methods that a
// call of an interface method may run: the methods of that name on the
// package's named types that implement the interface (by value or
// pointer). It returns nil when call is not an interface method call.
func (d *Decls) Implementations(info *types.Info, call *ast.CallExpr) []*ast.FuncDecl {
	fn := Callee(info, call)
	if fn == nil {
		return nil
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return nil
	}
	iface, ok := sig.Recv().Type().Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	d.once.Do(d.build)
	var out []*ast.FuncDecl
	for m, fd := range d.byObj {
		msig, ok := m.Type().(*types.Signature)
		if m.Name() != fn.Name() || !ok || msig.Recv() == nil || fd.Body == nil {
			continue
		}
		t := msig.Recv().Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if types.Implements(t, iface) || types.Implements(types.NewPointer(t), iface) {
			out = append(out, fd)
		}
	}
	return out
}

// OutermostFunc returns the outermost *ast.FuncDecl or *ast.FuncLit in stack,
// the scope in which a closure's captured variables are declared.
func OutermostFunc(stack []ast.Node) ast.Node {
	for _, n := range stack {
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return n
		}
	}
	return nil
}

// CommentNear reports whether a comment that gives a reason ends on a line
// from `above` lines before from's line through to's line, starts after
// floor (the opening brace of the function body, so that a doc comment does
// not count), and its text satisfies match. A reason is any comment but a
// to-do note (which says the opposite), a linter directive or an
// analysistest expectation.
func CommentNear(fset *token.FileSet, file *ast.File, floor, from, to token.Pos, above int, match func(text string) bool) bool {
	if file == nil {
		return false
	}
	first := fset.Position(from).Line - above
	last := fset.Position(to).Line
	for _, cg := range file.Comments {
		end := fset.Position(cg.End()).Line
		if end > last {
			break
		}
		if end >= first && cg.Pos() > floor && isReason(cg) && match(cg.Text()) {
			return true
		}
	}
	return false
}

// isReason reports whether a comment group reads as a reason.
func isReason(cg *ast.CommentGroup) bool {
	text := strings.TrimSpace(cg.Text())
	for _, p := range []string{"TODO", "FIXME", "XXX", "want ", "nolint", "prodready:"} {
		if strings.HasPrefix(text, p) {
			return false
		}
	}
	for _, c := range cg.List {
		if strings.HasPrefix(c.Text, "//nolint") || strings.HasPrefix(c.Text, "//prodready:") {
			return false
		}
	}
	return text != ""
}

// NamedResult reports whether v is one of the named results of fn (a
// *ast.FuncDecl or *ast.FuncLit), which a bare return hands to the caller.
func NamedResult(info *types.Info, fn ast.Node, v Var) bool {
	ft := FuncType(fn)
	if ft == nil || ft.Results == nil {
		return false
	}
	for _, f := range ft.Results.List {
		for _, n := range f.Names {
			if v.Is(info, n) {
				return true
			}
		}
	}
	return false
}
