package program

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// routesReporter reports each route the model records, at its
// registration, and each handler-shaped function whose body asks who is
// calling before its end; its result is the model.
var routesReporter = &analysis.Analyzer{
	Name:     "routes",
	Doc:      "reports the program model's routes (test only)",
	Requires: []*analysis.Analyzer{Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		m := pass.ResultOf[Analyzer].(*Model)
		for _, r := range m.Routes {
			state := "public"
			switch {
			case r.Auth != "":
				state = "auth " + r.Auth
			case r.From != nil:
				state = "from " + r.From.Func
			}
			if r.Limit != "" {
				state += ", limit " + r.Limit
			}
			pass.Reportf(r.Pos, "route %s %s: %s", r.Pattern, r.Handler, state)
		}
		for _, f := range pass.Files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				read := token.NoPos // the first io.ReadAll
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					if c, ok := n.(*ast.CallExpr); ok && !read.IsValid() && types.ExprString(c.Fun) == "io.ReadAll" {
						read = c.Pos()
					}
					return !read.IsValid()
				})
				if !read.IsValid() {
					continue
				}
				if who, ok := IdentityBefore(pass.TypesInfo, fd.Body, read); ok {
					pass.Reportf(fd.Pos(), "identity first: %s", who)
				}
			}
		}
		return m, nil
	},
	ResultType: Analyzer.ResultType,
}

// TestRoutes: the model records the registrations of net/http, chi,
// gorilla/mux, gin, echo and fiber, each judged public or authenticated by
// the chain it hangs off (Use, groups, With, trailing and leading
// middleware, a wrapping call, an /admin segment); a router built out of
// sight records nothing. Module-wide, a route on a router parameter is
// public when some caller hands in a router with no authentication. A body
// limit installed for a package's routes (a middleware of another package
// in its middleware list), or wrapping one route, takes the route out of
// the public ones; so does a middleware that is a method of an auth-named
// type or of a value an auth-named constructor built.
func TestRoutes(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), routesReporter, "routes/...")
	var models []*Model
	for _, r := range results {
		if m, ok := r.Result.(*Model); ok {
			models = append(models, m)
		}
	}
	a := NewAccess(models)
	// A group parameter narrowed in place (g = g.Group(...)) keeps the
	// authentication its only caller's group has.
	if seen, authed := a.Behind("routes/handlers.GinSettings"); !seen || !authed {
		t.Errorf("GinSettings: seen %v, authed %v; want both", seen, authed)
	}
	if seen, authed := a.Behind("routes/handlers.GinUpload"); !seen || authed {
		t.Errorf("GinUpload: seen %v, authed %v; want seen on an open route", seen, authed)
	}
	for key, want := range map[string]bool{
		"(*routes/handlers.H).Upload":   true,
		"(*routes/handlers.H).Settings": false,
		"(*routes/handlers.H).Import":   true, // /logged, /csrf: public somewhere is public
		"(*routes/handlers.H).Factory":  true,
		"routes/handlers.GinUpload":     true,
		"routes/handlers.Nothing":       false, // never registered
		// A body limit of another package chained around the root handler
		// from a middleware list, or wrapping the one route.
		"(*routes/limithandlers.H).Listed":   false,
		"(*routes/limithandlers.H).Unlisted": true,
		"(*routes/limithandlers.H).Wrapped":  false,
		// Authenticated by a method of an auth-named type, or of a value
		// an auth-named constructor built; a rate checker is not.
		"(*routes/limithandlers.H).Typed": false,
		"(*routes/limithandlers.H).Built": false,
		"(*routes/limithandlers.H).Rated": true,
		// A gin middleware that reads the body whole and puts the copy
		// back: the handler after it reads memory; one that only reads
		// buffers nothing.
		"routes/ginbuffered.Stripe": false,
		"routes/ginpeek.Stripe":     true,
		// The buffering middleware's own read runs on every request of
		// its public chain.
		"routes/bufmw.LogBody": true,
	} {
		if got := a.Public(key); got != want {
			t.Errorf("Public(%s) = %v, want %v", key, got, want)
		}
	}
	// users(g) is registered from authed and from v1: public through v1.
	var viaParam bool
	for _, m := range models {
		for _, r := range m.Routes {
			if r.Pattern == "/users" && r.From != nil {
				viaParam = a.publicVia(*r.From, 0)
			}
		}
	}
	if !viaParam {
		t.Error("/users: v1 hands users() a router without authentication")
	}
}

// TestAuthName: a middleware's name says it authenticates by word.
func TestAuthName(t *testing.T) {
	for name, want := range map[string]bool{
		"requireAuth": true, "mw.Auth": true, "jwtauth.Verifier": true, "middleware.JWT": true,
		"AuthRequired": true, "s.authenticate": true, "RequireLogin": true, "APIKeyMiddleware": true,
		"requireSignedIn": true, "oauth2.Handler": true, "oidc.Verify": true, "CheckACL": true,
		"adminOnly": true, "Protected": true, "RequirePermission": true, "BearerToken": true,
		"logging": false, "cors.Default": false, "csrf.Protect": false, "middleware.Recoverer": false,
		"ratelimit.New": false, "gzip.Gzip": false, "otelhttp.NewHandler": false,
	} {
		if got := AuthName(name); got != want {
			t.Errorf("AuthName(%q) = %v, want %v", name, got, want)
		}
	}
	if !strings.HasPrefix(HandlerKey(types.NewFunc(0, types.NewPackage("example.com/m", "m"), "F", types.NewSignatureType(nil, nil, nil, nil, nil, false))), "example.com/m.F") {
		t.Error("HandlerKey: want the full name")
	}
}
