package program

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"unicode"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/prodready/prodready/checklist/internal/code"
)

// Route is a request handler registered on a router.
type Route struct {
	// Handler names the function registered: [HandlerKey] of a declared
	// function or method (a handler value's ServeHTTP, a handler factory
	// called at the registration), or [LiteralKey] of a function literal.
	Handler string
	// Pattern is the route as written ("POST /upload", "/api/settings").
	Pattern string
	// Pos is the registration.
	Pos token.Pos
	// Auth names what authenticates the route (a middleware, a wrapping
	// call, an /admin segment); "" when nothing on its chain does.
	Auth string
	// Limit names what limits the route's request body (a middleware of
	// the registration, a wrapping call, or a limit the package installs
	// for every route, [Model.BodyLimit]); "" when nothing does.
	Limit string
	// From is set when the router came in as a parameter: the callers that
	// hand a router in ([RouterArg]) decide.
	From *RouterParam
}

// RouterParam is a parameter of a declared function that receives a router.
type RouterParam struct {
	Func  string // HandlerKey of the function
	Index int
}

// RouterArg is a router handed to a function of the module
// (s.userRoutes(api)): the routes that function registers on that
// parameter hang off this router.
type RouterArg struct {
	To    RouterParam
	Pos   token.Pos
	Auth  string
	Limit string // the handing package's body limit ([Model.BodyLimit])
	From  *RouterParam
}

// HandlerKey names a function the same way in every package of one run.
func HandlerKey(fn *types.Func) string { return fn.Origin().FullName() }

// LiteralKey names a function literal by its file and offset.
func LiteralKey(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	return fmt.Sprintf("func literal at %s#%d", p.Filename, p.Offset)
}

// authWords are the words (or word prefixes) that make a middleware's name
// say it authenticates the caller.
var authWords = []string{"auth", "jwt", "session", "login", "token", "bearer", "oidc", "protect", "verif", "permission", "acl", "guard", "admin"}

// authPairs are the two-word names that say so.
var authPairs = [][2]string{{"api", "key"}, {"signed", "in"}, {"logged", "in"}, {"require", "user"}, {"requires", "user"}, {"current", "user"}}

// AuthName reports whether a name (an identifier or an expression's text:
// mw.RequireAuth, jwtMiddleware, auth.Required) says it authenticates the
// caller. A CSRF guard (csrf.Protect) is not a login check.
func AuthName(s string) bool {
	var words []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_'
	}) {
		words = append(words, code.IdentWords(part)...)
	}
	for _, w := range words {
		if w == "csrf" || w == "xsrf" {
			return false
		}
	}
	for i, w := range words {
		for _, a := range authWords {
			if strings.HasPrefix(w, a) || (a == "auth" && strings.HasPrefix(w, "oauth")) {
				return true
			}
		}
		if w == "apikey" || w == "signedin" || w == "requireuser" || w == "requirelogin" {
			return true
		}
		for _, p := range authPairs {
			if w == p[0] && i+1 < len(words) && words[i+1] == p[1] {
				return true
			}
		}
	}
	return false
}

// routeScan finds a package's route registrations and the chains they hang
// off.
type routeScan struct {
	pass    *analysis.Pass
	info    *types.Info
	derived map[types.Object]ast.Expr   // v := r.Group("/api", auth), s.r = chi.NewRouter()
	uses    map[types.Object][]ast.Expr // r.Use(m...)
	lists   map[types.Object][]ast.Expr // a list of middleware: its elements, literal or appended
	wraps   map[types.Object]string     // handler := requireAuth(mux)
	params  map[types.Object]paramOf
	// bodyLimit names a body limit the package installs for every route.
	bodyLimit string
}

// chainInfo is what a router's chain says about its routes.
type chainInfo struct {
	auth   string
	from   *RouterParam
	opaque bool // built by a function out of sight (s.Router()): nothing known
}

// scanRoutes returns the package's route registrations, the routers it
// hands to functions of the module, and the body limit it installs for
// every route ("" for none).
func scanRoutes(pass *analysis.Pass) ([]Route, []RouterArg, string) {
	s := &routeScan{pass: pass, info: pass.TypesInfo, derived: map[types.Object]ast.Expr{}, uses: map[types.Object][]ast.Expr{}, wraps: map[types.Object]string{}, params: map[types.Object]paramOf{}, lists: map[types.Object][]ast.Expr{}}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for c := range insp.Root().Preorder((*ast.FuncDecl)(nil), (*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil),
		(*ast.KeyValueExpr)(nil), (*ast.CallExpr)(nil), (*ast.CompositeLit)(nil)) {
		s.collect(c.Node(), c.Parent().Node())
	}
	var routes []Route
	var args []RouterArg
	for c := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := c.Node().(*ast.CallExpr)
		routes = append(routes, s.registration(call)...)
		routes = append(routes, s.bufferRoutes(call)...)
		args = append(args, s.routerArgs(call)...)
	}
	return routes, args, s.bodyLimit
}

// collect records, for node n (whose parent is parent), the package's
// router derivations, Use calls, wrapping calls and the parameters of its
// declared functions.
func (s *routeScan) collect(n, parent ast.Node) {
	switch x := n.(type) {
	case *ast.FuncDecl:
		if fn, ok := s.info.Defs[x.Name].(*types.Func); ok {
			sig := fn.Type().(*types.Signature)
			for i := range sig.Params().Len() {
				s.params[sig.Params().At(i)] = paramOf{fn, i} // keyed only if a route uses it
			}
		}
	case *ast.AssignStmt:
		if len(x.Lhs) == len(x.Rhs) {
			for i, l := range x.Lhs {
				s.derive(l, x.Rhs[i])
				s.listElems(l, x.Rhs[i])
			}
		}
	case *ast.ValueSpec:
		if len(x.Names) == len(x.Values) {
			for i, id := range x.Names {
				s.derive(id, x.Values[i])
				s.listElems(id, x.Values[i])
			}
		}
	case *ast.KeyValueExpr:
		if id, ok := x.Key.(*ast.Ident); ok {
			s.derive(id, x.Value) // &Server{router: chi.NewRouter()}
		}
	case *ast.CallExpr:
		s.collectCall(x, parent)
		s.collectLimit(x)
	case *ast.CompositeLit:
		s.collectLimit(x)
	}
}

// paramOf is a parameter's function and position.
type paramOf struct {
	fn    *types.Func
	index int
}

// derive records that the variable or field l holds a router built by rhs.
func (s *routeScan) derive(l, rhs ast.Expr) {
	if _, ok := ast.Unparen(rhs).(*ast.CallExpr); !ok {
		return
	}
	if obj := s.objOf(l); obj != nil {
		if _, seen := s.derived[obj]; !seen {
			s.derived[obj] = rhs
		}
	}
}

// listElems records the elements a list of middleware l is given by rhs:
// a literal ([]func(http.Handler) http.Handler{a, b}) or an append to
// itself (mws = append(mws, auth(token))).
func (s *routeScan) listElems(l, rhs ast.Expr) {
	obj := s.objOf(l)
	if obj == nil || !middlewareList(obj.Type()) {
		return
	}
	switch x := ast.Unparen(rhs).(type) {
	case *ast.CompositeLit:
		s.lists[obj] = append(s.lists[obj], x.Elts...)
	case *ast.CallExpr:
		if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && id.Name == "append" && len(x.Args) > 1 && s.objOf(x.Args[0]) == obj {
			s.lists[obj] = append(s.lists[obj], x.Args[1:]...)
		}
	}
}

// expand replaces, in the arguments of a Use, a list of middleware spread
// into it (r.Use(mws...)) by the list's elements.
func (s *routeScan) expand(args []ast.Expr) []ast.Expr {
	var out []ast.Expr
	for _, a := range args {
		if obj := s.objOf(a); obj != nil && len(s.lists[obj]) > 0 {
			out = append(out, s.lists[obj]...)
			continue
		}
		out = append(out, a)
	}
	return out
}

// collectCall records r.Use(m...), a chi/fiber group's router parameter
// (r.Group(func(r chi.Router) {...})), and a router wrapped whole by a call
// named for authentication whose result is used (requireAuth(mux)).
func (s *routeScan) collectCall(call *ast.CallExpr, parent ast.Node) {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		switch sel.Sel.Name {
		case "Use":
			if obj := s.objOf(sel.X); obj != nil {
				s.uses[obj] = append(s.uses[obj], call.Args...)
			}
		case "Group", "Route":
			for _, a := range call.Args {
				if fl, ok := a.(*ast.FuncLit); ok && fl.Type.Params != nil && len(fl.Type.Params.List) > 0 && len(fl.Type.Params.List[0].Names) > 0 {
					if obj := s.info.Defs[fl.Type.Params.List[0].Names[0]]; obj != nil {
						s.derived[obj] = call
					}
				}
			}
		}
	}
	if _, stmt := parent.(*ast.ExprStmt); stmt {
		return
	}
	var wrapped []types.Object
	for _, a := range call.Args {
		if obj := s.objOf(a); obj != nil && servesHTTP(obj.Type()) {
			wrapped = append(wrapped, obj)
		}
	}
	if len(wrapped) == 0 {
		return // checked first: naming the call costs more than the lookups
	}
	auth := s.authOf(call.Fun)
	if auth == "" {
		return
	}
	for _, obj := range wrapped {
		s.wraps[obj] = auth
	}
}

// objOf returns the variable or field an expression names.
func (s *routeScan) objOf(e ast.Expr) types.Object {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		if o := s.info.Defs[x]; o != nil {
			return o
		}
		if v, ok := s.info.Uses[x].(*types.Var); ok {
			return v
		}
	case *ast.SelectorExpr:
		if sel, ok := s.info.Selections[x]; ok && sel.Kind() == types.FieldVal {
			return sel.Obj()
		}
		if v, ok := s.info.Uses[x.Sel].(*types.Var); ok {
			return v // a package-level router of another package
		}
	}
	return nil
}

// chainMethods are the methods through which a router or route derives
// from another: groups, sub-routers and gorilla's route builders.
var chainMethods = map[string]bool{
	"Group": true, "With": true, "Route": true, "Party": true, "Subrouter": true,
	"PathPrefix": true, "Path": true, "Methods": true, "Host": true, "Schemes": true,
	"Headers": true, "Queries": true, "Name": true, "NewRoute": true,
}

// chain says what authenticates routes hung off the router expression e.
func (s *routeScan) chain(e ast.Expr, depth int) chainInfo {
	if depth > 8 {
		return chainInfo{opaque: true}
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr)
		if ok && chainMethods[sel.Sel.Name] {
			ci := s.chain(sel.X, depth+1)
			if ci.auth == "" {
				ci.auth = s.chainArgsAuth(sel.Sel.Name, x.Args)
			}
			return ci
		}
		if !knownRouter(s.info, x) {
			return chainInfo{opaque: true}
		}
		return chainInfo{}
	case *ast.Ident, *ast.SelectorExpr:
		if id, ok := x.(*ast.Ident); ok {
			if _, pkg := s.info.Uses[id].(*types.PkgName); pkg {
				return chainInfo{} // http.HandleFunc: the default mux
			}
		}
		if sel, ok := x.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				if _, pkg := s.info.Uses[id].(*types.PkgName); pkg && s.objOf(x) == nil {
					return chainInfo{}
				}
			}
		}
		obj := s.objOf(x)
		if obj == nil {
			return chainInfo{opaque: true}
		}
		var ci chainInfo
		if d, ok := s.derived[obj]; ok {
			// Out of the table while its derivation is followed: a
			// router derived from itself (g = g.Group("/setting"), on a
			// parameter) goes back to what it was before.
			delete(s.derived, obj)
			ci = s.chain(d, depth+1)
			s.derived[obj] = d
		} else if p, ok := s.params[obj]; ok {
			ci.from = &RouterParam{Func: HandlerKey(p.fn), Index: p.index}
		} else {
			ci.opaque = true
		}
		if ci.auth == "" {
			ci.auth = s.wraps[obj]
		}
		for _, m := range s.expand(s.uses[obj]) {
			if ci.auth == "" {
				ci.auth = s.authOf(m)
			}
		}
		return ci
	}
	return chainInfo{opaque: true}
}

// chainArgsAuth returns what authenticates in a chain call's arguments:
// a middleware named for it (Group("/api", auth), With(jwt.Verifier)) or
// an /admin path segment.
func (s *routeScan) chainArgsAuth(method string, args []ast.Expr) string {
	for _, a := range args {
		if p, ok := stringArg(s.info, a); ok {
			if adminPath(p) {
				return p
			}
			continue
		}
		if _, lit := a.(*ast.FuncLit); lit || method == "Methods" || method == "Name" {
			continue
		}
		if n := s.authOf(a); n != "" {
			return n
		}
	}
	return ""
}

// knownRouter reports whether a call builds a router in sight: net/http's
// or a router library's (a module's own NewRouter may install middleware
// out of sight).
func knownRouter(info *types.Info, call *ast.CallExpr) bool {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	return routerPkg(fn.Pkg().Path())
}

// routerPkg reports whether an import path is net/http's or a router
// library's.
func routerPkg(path string) bool {
	if path == "net/http" {
		return true
	}
	for _, p := range []string{"github.com/go-chi/chi", "github.com/gorilla/mux", "github.com/gin-gonic/gin", "github.com/labstack/echo", "github.com/gofiber/fiber", "github.com/julienschmidt/httprouter"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// middlewareName is the name a middleware expression goes by: the called
// function of a constructor call (auth.Required(cfg)), else its text.
func middlewareName(e ast.Expr) string {
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		return types.ExprString(call.Fun)
	}
	return types.ExprString(e)
}

// adminPath reports whether a route or prefix has an /admin segment.
func adminPath(p string) bool {
	if _, path, ok := strings.Cut(p, " "); ok {
		p = path // "POST /admin/users"
	}
	return hasSegment(strings.ToLower(p), "admin")
}

// stringArg returns a string argument's value (its text when not constant).
func stringArg(info *types.Info, e ast.Expr) (string, bool) {
	tv, ok := info.Types[e]
	if !ok || tv.Type == nil {
		return "", false
	}
	b, ok := tv.Type.Underlying().(*types.Basic)
	if !ok || b.Info()&types.IsString == 0 {
		return "", false
	}
	if tv.Value != nil {
		return strings.Trim(tv.Value.ExactString(), "\""), true
	}
	return types.ExprString(e), true
}

// registrationVerbs are the methods that register a handler on a route:
// net/http's ServeMux, chi, gorilla/mux, gin, echo and fiber.
var registrationVerbs = map[string]bool{
	"Handle": true, "HandleFunc": true, "Method": true, "MethodFunc": true,
	"Get": true, "Post": true, "Put": true, "Patch": true, "Delete": true, "Head": true, "Options": true, "Connect": true, "Trace": true,
	"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true, "CONNECT": true, "TRACE": true,
	"Any": true, "All": true, "Add": true, "Match": true,
}

// registration returns the route a call registers, if any: a verb with a
// path and a handler (mux.HandleFunc("POST /upload", upload), r.POST(p,
// auth, h.Upload), e.POST(p, h, mw)), or gorilla's
// r.Path(p).Methods("POST").HandlerFunc(h).
func (s *routeScan) registration(call *ast.CallExpr) []Route {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	var pattern string
	var rest []ast.Expr
	for _, a := range call.Args {
		if p, ok := stringArg(s.info, a); ok {
			if strings.Contains(p, "/") || pattern == "" {
				pattern = p
			}
			continue
		}
		rest = append(rest, a)
	}
	switch {
	case registrationVerbs[sel.Sel.Name] && pattern != "" && len(rest) > 0:
	case (sel.Sel.Name == "HandlerFunc" || sel.Sel.Name == "Handler") && len(call.Args) == 1 && isCall(sel.X):
		pattern = chainPattern(s.info, sel.X)
		rest = call.Args
	default:
		return nil
	}
	handlerArg, mws := rest[len(rest)-1], rest[:len(rest)-1]
	if tv, ok := s.info.Types[sel.X]; ok && tv.Type != nil && strings.Contains(types.TypeString(tv.Type, nil), "labstack/echo") {
		handlerArg, mws = rest[0], rest[1:] // echo: e.POST(path, h, middleware...)
	}
	key, auth, limit := s.handlerOf(handlerArg, 0)
	if key == "" {
		return nil
	}
	ci := s.chain(sel.X, 0)
	if ci.opaque && ci.auth == "" {
		return nil // a router built out of sight: nothing known
	}
	r := Route{Handler: key, Pattern: pattern, Pos: call.Pos(), Auth: ci.auth, Limit: limit, From: ci.from}
	for _, m := range mws {
		if r.Auth == "" {
			r.Auth = s.authOf(m)
		}
		if r.Limit == "" {
			r.Limit = s.limiter(m)
		}
	}
	if r.Limit == "" {
		r.Limit = s.bodyLimit
	}
	if r.Auth == "" && auth != "" {
		r.Auth = auth
	}
	if r.Auth == "" && adminPath(pattern) {
		r.Auth = pattern
	}
	return []Route{r}
}

func isCall(e ast.Expr) bool {
	_, ok := ast.Unparen(e).(*ast.CallExpr)
	return ok
}

// chainPattern returns the path a gorilla route chain names
// (r.Path("/x").Methods("POST")).
func chainPattern(info *types.Info, e ast.Expr) string {
	for {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return ""
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return ""
		}
		if sel.Sel.Name == "Path" || sel.Sel.Name == "PathPrefix" {
			for _, a := range call.Args {
				if p, ok := stringArg(info, a); ok {
					return p
				}
			}
		}
		e = sel.X
	}
}

// handlerOf names the handler an argument registers and what wraps it in
// authentication or a body limit: a function or method value, a function
// literal, a handler value's ServeHTTP, a conversion (http.HandlerFunc(h)),
// a wrapping call (requireAuth(h), mw.Auth(http.HandlerFunc(h)),
// limitBody(h)) or a handler factory called at the registration
// (h.Upload()).
func (s *routeScan) handlerOf(e ast.Expr, depth int) (key, auth, limit string) {
	if depth > 4 {
		return "", "", ""
	}
	e = ast.Unparen(e)
	if fn := funcValue(s.info, e); fn != nil {
		return HandlerKey(fn), "", ""
	}
	switch x := e.(type) {
	case *ast.FuncLit:
		return LiteralKey(s.pass.Fset, x.Pos()), "", ""
	case *ast.CallExpr:
		if tv, ok := s.info.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
			return s.handlerOf(x.Args[0], depth+1)
		}
		for _, a := range x.Args {
			if k, inner, lim := s.handlerOf(a, depth+1); k != "" {
				if inner == "" {
					inner = s.authOf(x.Fun)
				}
				if lim == "" {
					lim = s.limiter(x.Fun)
				}
				return k, inner, lim
			}
		}
		if fn, _ := typeutil.Callee(s.info, x).(*types.Func); fn != nil && fn.Pkg() != nil && !routerPkg(fn.Pkg().Path()) {
			return HandlerKey(fn), "", "" // a factory: h.Upload() returns the handler
		}
		return "", "", ""
	}
	if f := serveHTTP(s.info.TypeOf(e)); f != nil {
		return HandlerKey(f), "", ""
	}
	return "", "", ""
}

// authOf returns the name of a middleware expression (or a wrapping call's
// function) that authenticates: one named for it ([AuthName]), a method of
// a value whose type is named for it (app.AuthHandler.WrapHandler, h.Wrap
// with h an *auth.Handler), or a method of a value built by a call named
// for it (m := auth.New(cfg); m.Handler); "" otherwise.
func (s *routeScan) authOf(e ast.Expr) string {
	n := middlewareName(e)
	if AuthName(n) {
		return n
	}
	x := ast.Unparen(e)
	if call, ok := x.(*ast.CallExpr); ok {
		x = ast.Unparen(call.Fun)
	}
	sel, ok := x.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	if t := s.info.TypeOf(sel.X); t != nil {
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if named, ok := t.(*types.Named); ok && named.Obj().Pkg() != nil && AuthName(named.Obj().Pkg().Name()+"."+named.Obj().Name()) {
			return n
		}
	}
	if obj := s.objOf(sel.X); obj != nil {
		if d, ok := s.derived[obj]; ok && AuthName(middlewareName(d)) {
			return n
		}
	}
	return ""
}

// routerArgs returns the routers a call hands to a function of the
// package or module (s.userRoutes(api), routes.Register(r)).
func (s *routeScan) routerArgs(call *ast.CallExpr) []RouterArg {
	fn, _ := typeutil.Callee(s.info, call).(*types.Func)
	if fn == nil || fn.Pkg() == nil || routerPkg(fn.Pkg().Path()) {
		return nil
	}
	var out []RouterArg
	for i, a := range call.Args {
		t := s.info.TypeOf(a)
		if t == nil || !routerType(t) {
			continue
		}
		ci := s.chain(a, 0)
		if ci.opaque && ci.auth == "" {
			continue
		}
		out = append(out, RouterArg{To: RouterParam{Func: HandlerKey(fn), Index: i}, Pos: call.Pos(), Auth: ci.auth, Limit: s.bodyLimit, From: ci.from})
	}
	return out
}

// servesHTTP reports whether a value of type t is a router or a handler: a
// known router's type, or a type or interface with a ServeHTTP method.
func servesHTTP(t types.Type) bool {
	if routerType(t) {
		return true
	}
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok {
		for i := range n.NumMethods() {
			if n.Method(i).Name() == "ServeHTTP" {
				return true
			}
		}
	}
	if it, ok := t.Underlying().(*types.Interface); ok {
		for i := range it.NumMethods() {
			if it.Method(i).Name() == "ServeHTTP" {
				return true
			}
		}
	}
	return false
}

// routerType reports whether t is a router of net/http or a router
// library (*http.ServeMux, chi.Router, *gin.RouterGroup, *echo.Group).
func routerType(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil || !routerPkg(n.Obj().Pkg().Path()) {
		return false
	}
	switch n.Obj().Name() {
	case "ServeMux", "Router", "Mux", "Engine", "RouterGroup", "IRouter", "IRoutes", "Echo", "Group", "App":
		return true
	}
	return false
}

// Access answers, over the models of every package of a run, whether a
// request handler is registered on a public route: one reached before any
// login check.
type Access struct {
	routes map[string][]Route
	args   map[RouterParam][]RouterArg
	public map[string]token.Pos // webhook entries: public by nature
}

// NewAccess indexes the routes of models.
func NewAccess(models []*Model) *Access {
	a := &Access{routes: map[string][]Route{}, args: map[RouterParam][]RouterArg{}, public: map[string]token.Pos{}}
	for _, m := range models {
		for _, r := range m.Routes {
			a.routes[r.Handler] = append(a.routes[r.Handler], r)
		}
		for _, ra := range m.RouterArgs {
			a.args[ra.To] = append(a.args[ra.To], ra)
		}
		for _, e := range m.Entries {
			if e.Key != "" && e.Delivery == AtLeastOnce && (strings.HasPrefix(e.Label, "webhook handler") || e.Label == "inbox handler") {
				a.public[e.Key] = e.Pos
			}
		}
	}
	return a
}

// Public reports whether the handler named key is registered on a public
// route whose request body nothing limits.
func (a *Access) Public(key string) bool {
	_, _, ok := a.PublicAt(key)
	return ok
}

// PublicAt returns where the handler named key is registered without
// authentication and without a body limit, and whether it is; webhook is
// set when it is a webhook entry (public by nature, unless every route it
// is seen registered on limits the body) and pos is the entry's.
func (a *Access) PublicAt(key string) (pos token.Pos, webhook, ok bool) {
	if a == nil {
		return token.NoPos, false, false
	}
	unlimited := func(ra RouterArg) bool { return ra.Limit == "" }
	limited := false
	for _, r := range a.routes[key] {
		if r.Limit != "" || (r.From != nil && len(a.args[*r.From]) > 0 && !a.via(*r.From, unlimited, 0)) {
			limited = true
		}
	}
	if pos, ok := a.public[key]; ok && !limited {
		return pos, true, true
	}
	for _, r := range a.routes[key] {
		if r.Auth == "" && r.Limit == "" && (r.From == nil || a.publicVia(*r.From, 0)) {
			return r.Pos, false, true
		}
	}
	return token.NoPos, false, false
}

// Behind reports whether the handler named key is seen registered on a
// route (or is a webhook entry), and whether every route it is seen on
// asks for a login first (its own chain, or the router handed in).
func (a *Access) Behind(key string) (seen, authed bool) {
	if a == nil {
		return false, false
	}
	if _, ok := a.public[key]; ok {
		return true, false
	}
	rs := a.routes[key]
	if len(rs) == 0 {
		return false, false
	}
	open := func(ra RouterArg) bool { return ra.Auth == "" }
	for _, r := range rs {
		if r.Auth != "" {
			continue
		}
		if r.From == nil || len(a.args[*r.From]) == 0 || a.via(*r.From, open, 0) {
			return true, false
		}
	}
	return true, true
}

// publicVia reports whether some caller hands parameter p a router with
// no authentication and no body limit on its chain.
func (a *Access) publicVia(p RouterParam, depth int) bool {
	return a.via(p, func(ra RouterArg) bool { return ra.Auth == "" && ra.Limit == "" }, depth)
}

// via reports whether some caller hands parameter p a router that ok
// accepts, itself built there or handed in by a caller whose router ok
// accepts, up to a few levels.
func (a *Access) via(p RouterParam, ok func(RouterArg) bool, depth int) bool {
	if depth > 4 {
		return false
	}
	for _, ra := range a.args[p] {
		if ok(ra) && (ra.From == nil || a.via(*ra.From, ok, depth+1)) {
			return true
		}
	}
	return false
}

// IdentityBefore returns a call in body, before pos, that reads the
// caller's identity: a name that says current user, user from context or
// session, or authentication (r.BasicAuth, s.authenticate(r)), a
// permission check handed the request or its framework context
// (middlewares.AllowWholeType(c, ...), canEdit(r, doc)), or a lookup
// by a key that says so (r.Header.Get("Authorization"), c.Get("user"),
// r.Cookie("session")). A handler that asks who is calling before it reads
// the body serves logged-in callers only.
func IdentityBefore(info *types.Info, body *ast.BlockStmt, pos token.Pos) (string, bool) {
	found := ""
	ast.Inspect(body, func(n ast.Node) bool {
		if found != "" || n == nil || n.Pos() >= pos {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok || call.End() > pos {
			return true
		}
		if identityCall(info, call) {
			found = types.ExprString(call.Fun)
		}
		return true
	})
	return found, found != ""
}

// identityCall reports whether a call reads the caller's identity.
func identityCall(info *types.Info, call *ast.CallExpr) bool {
	name := code.CallName(call)
	if name == "" {
		return false
	}
	words := code.IdentWords(name)
	has := func(ws ...string) bool {
		for _, w := range words {
			for _, x := range ws {
				if w == x {
					return true
				}
			}
		}
		return false
	}
	if has("user", "account", "principal", "claims", "identity", "caller") {
		if has("current", "from", "ctx", "context", "must", "require", "requires", "authenticated", "logged") {
			return true // currentUser(r), UserFromContext(ctx)
		}
		if has("get") && requestArgs(info, call) {
			return true // auth.GetUser(r), not store.GetUser(ctx, id)
		}
	}
	if AuthName(name) && !has("admin", "new", "create", "generate", "issue", "sign") {
		return true
	}
	if has("allow", "allowed", "permit", "permits", "can") && !has("origin", "origins", "method", "methods", "cors", "header", "headers") && firstArgIsRequest(info, call) {
		// middlewares.AllowWholeType(c, permission.POST, doctype),
		// CanAccess(r, doc): a permission check on the caller's token.
		return true
	}
	switch name {
	case "Get", "MustGet", "Value", "Locals", "GetHeader", "Cookie", "GetString":
		for _, a := range call.Args {
			t := types.ExprString(a)
			if AuthName(t) || containsFold(t, "user") || containsFold(t, "claims") || containsFold(t, "principal") {
				return true
			}
		}
	}
	return false
}

// firstArgIsRequest reports whether a call's first argument is the request
// or a framework's request context (echo.Context, *gin.Context), whose
// token a permission check reads.
func firstArgIsRequest(info *types.Info, call *ast.CallExpr) bool {
	if len(call.Args) == 0 || info == nil {
		return false
	}
	t := info.TypeOf(call.Args[0])
	if t == nil {
		return false
	}
	s := types.TypeString(t, nil)
	return s == "*net/http.Request" || (s != "context.Context" && (strings.HasSuffix(s, ".Context") || strings.HasSuffix(s, ".Ctx")))
}

// requestArgs reports whether every argument of a call is the request, a
// context or a framework's context (the caller, not a record's id).
func requestArgs(info *types.Info, call *ast.CallExpr) bool {
	if len(call.Args) == 0 {
		return false
	}
	for _, a := range call.Args {
		t := info.TypeOf(a)
		if t == nil {
			return false
		}
		s := types.TypeString(t, nil)
		if s != "*net/http.Request" && s != "context.Context" && !strings.HasSuffix(s, ".Context") && !strings.HasSuffix(s, ".Ctx") {
			return false
		}
	}
	return true
}
