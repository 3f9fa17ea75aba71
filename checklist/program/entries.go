package program

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/prodready/prodready/checklist/internal/handler"
)

// entryOf says whether the function at c (a FuncDecl or FuncLit in file) is
// an entry point, and how it is delivered.
func entryOf(info *types.Info, file *ast.File, filename string, c inspector.Cursor) (label string, d Delivery, ok bool) {
	var ft *ast.FuncType
	name := ""
	if fd, ok := c.Node().(*ast.FuncDecl); ok {
		ft, name = fd.Type, fd.Name.Name
	} else if fl, ok := c.Node().(*ast.FuncLit); ok {
		ft = fl.Type
	}
	switch handler.Of(info, file, c) {
	case handler.Queue:
		return "queue handler", AtLeastOnce, true
	case handler.Webhook:
		if !authCallback(name) && !browserReturn(info, c.Node()) {
			return "webhook handler", AtLeastOnce, true
		}
	case handler.Event:
		return "event handler", AtLeastOnce, true
	case handler.Named:
		// A name alone makes no entry: it must take a raw payload too.
		if ft != nil && rawPayload(info, ft) {
			return labelNamed, AtLeastOnce, true
		}
	}
	switch f := c.Node().(type) {
	case *ast.FuncDecl:
		if f.Recv == nil && strings.HasSuffix(filename, "_test.go") &&
			hasPrefix(name, "Test", "Benchmark", "Example", "Fuzz") {
			return "test", TestOnly, true
		}
		if f.Recv == nil && (name == "main" || name == "init") && file.Name.Name == "main" {
			return "start-up", Once, true
		}
		if f.Recv != nil && grpcMethod(info, f) {
			return "gRPC method", Concurrent, true
		}
		if f.Recv != nil && reconcileMethod(info, f) {
			return labelReconciler, AtLeastOnce, true
		}
	case *ast.FuncLit:
		if jobRegistration(info, c) {
			return "scheduled job", AtLeastOnce, true
		}
		if informerHandler(info, c) {
			return "event handler (informer)", AtLeastOnce, true
		}
		if cliCommand(info, c) {
			return "CLI command", Once, true
		}
	}
	if handler.IsHTTP(info, file, ft) {
		if strings.Contains(strings.ToLower(name), "inbox") {
			// An ActivityPub inbox: remote servers redeliver what they post.
			return "inbox handler", AtLeastOnce, true
		}
		return "request handler", Concurrent, true
	}
	return "", "", false
}

// jobRegistration reports whether a function literal is handed to a cron
// scheduler (c.AddFunc("@hourly", func() {...}), gocron's Do).
func jobRegistration(info *types.Info, c inspector.Cursor) bool {
	call, ok := c.Parent().Node().(*ast.CallExpr)
	if !ok || oneShotLit(info, call) {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	switch sel.Sel.Name {
	case "AddFunc", "AddJob":
		return true
	case "Schedule", "Do", "Every", "NewJob", "NewTask":
		// Generic names (singleflight's and retry helpers' Do too): a
		// scheduler's only when the callee comes from one.
		fn, _ := typeutil.Callee(info, call).(*types.Func)
		return fn != nil && fn.Pkg() != nil && hasWord(fn.Pkg().Path(), []string{"cron", "sched", "job", "task"})
	}
	return false
}

// labelNamed is the label of an entry recognised by its name and a raw
// payload parameter alone.
const labelNamed = "job or message handler"

// Guessed reports whether the entry was recognised only by its name and
// parameters (handleMessage(payload []byte)), not by a queue library's
// type, a webhook route or a scheduler: too weak a reason to post a
// finding on, though worth a line in the summary.
func (e *Entry) Guessed() bool { return e.Label == labelNamed }

// cliCommand reports whether a function literal is a cobra command's Run
// (cobra.Command{RunE: func...}) or an urfave/cli command's Action
// (cli.Command{Action: func...}).
func cliCommand(info *types.Info, c inspector.Cursor) bool {
	kv, ok := c.Parent().Node().(*ast.KeyValueExpr)
	if !ok {
		return false
	}
	key, ok := kv.Key.(*ast.Ident)
	lit, isLit := c.Parent().Parent().Node().(*ast.CompositeLit)
	return ok && isLit && CommandRun(info, lit, key.Name)
}

// informerHandler reports whether a function literal is a client-go
// informer's AddFunc or UpdateFunc (cache.ResourceEventHandlerFuncs{AddFunc:
// func(obj any) {...}}): the informer calls AddFunc for every existing
// object each time it starts, and UpdateFunc again on every resync.
func informerHandler(info *types.Info, c inspector.Cursor) bool {
	kv, ok := c.Parent().Node().(*ast.KeyValueExpr)
	if !ok {
		return false
	}
	key, ok := kv.Key.(*ast.Ident)
	if !ok || (key.Name != "AddFunc" && key.Name != "UpdateFunc") {
		return false
	}
	lit, ok := c.Parent().Parent().Node().(*ast.CompositeLit)
	if !ok {
		return false
	}
	t := info.TypeOf(lit)
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "k8s.io/client-go/tools/cache" && strings.HasPrefix(n.Obj().Name(), "ResourceEventHandler")
}

// labelReconciler is the label of a controller-runtime reconciler's
// Reconcile: every object is reconciled again after each restart (the
// informer lists them all) and on every resync or requeue.
const labelReconciler = "reconciler"

// Reconciler reports whether the entry is a controller-runtime reconciler.
func (e *Entry) Reconciler() bool { return e.Label == labelReconciler }

// reconcileMethod reports whether a method is a controller-runtime
// reconciler's Reconcile: Reconcile(ctx, reconcile.Request) (reconcile.Result, error).
func reconcileMethod(info *types.Info, f *ast.FuncDecl) bool {
	if f.Name.Name != "Reconcile" {
		return false
	}
	sig := twoInTwoOut(info, f)
	return sig != nil && controllerRuntime(sig.Params().At(1).Type(), "Request") && controllerRuntime(sig.Results().At(0).Type(), "Result")
}

// controllerRuntime reports whether t is the named type name of
// controller-runtime's reconcile package (ctrl.Request is an alias of it).
func controllerRuntime(t types.Type, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Name() == name && n.Obj().Pkg() != nil && strings.HasPrefix(n.Obj().Pkg().Path(), "sigs.k8s.io/controller-runtime/")
}

// twoInTwoOut returns the signature of the function f declares when it
// takes two parameters and returns two results (a context and a request,
// a response and an error: the shape of gRPC methods and reconcilers).
func twoInTwoOut(info *types.Info, f *ast.FuncDecl) *types.Signature {
	obj, _ := info.Defs[f.Name].(*types.Func)
	if obj == nil {
		return nil
	}
	sig := obj.Type().(*types.Signature)
	if sig.Params().Len() != 2 || sig.Results().Len() != 2 {
		return nil
	}
	return sig
}

// grpcMethod reports whether a method serves a gRPC service: its type embeds
// an Unimplemented...Server and the method takes a context and a request.
func grpcMethod(info *types.Info, f *ast.FuncDecl) bool {
	sig := twoInTwoOut(info, f)
	if sig == nil {
		return false
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := range st.NumFields() {
		fl := st.Field(i)
		if fl.Embedded() && strings.HasPrefix(fl.Name(), "Unimplemented") && strings.HasSuffix(fl.Name(), "Server") {
			return true
		}
	}
	return false
}

// routeRegistration returns the function a call registers on a webhook,
// callback or integration route (mux.HandleFunc("/webhooks/stripe",
// h.Stripe), r.POST("/callback", onCallback), r.Path("/integrations/{id}")
// .HandlerFunc(receive), beego.Router("/webhook", &HookController{},
// "post:Receive")), if any.
func routeRegistration(info *types.Info, call *ast.CallExpr) (*types.Func, string) {
	route := webhookRoute(call)
	if route == "" {
		// A router chain names the path on the call it hangs off:
		// r.Path("/integrations/{alias}").HandlerFunc(h).
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if inner, ok := ast.Unparen(sel.X).(*ast.CallExpr); ok {
				route = webhookRoute(inner)
				if route == "" {
					if sel2, ok := ast.Unparen(inner.Fun).(*ast.SelectorExpr); ok {
						if inner2, ok := ast.Unparen(sel2.X).(*ast.CallExpr); ok {
							route = webhookRoute(inner2) // r.Path(p).Methods("POST").HandlerFunc(h)
						}
					}
				}
			}
		}
	}
	if route == "" {
		return nil, "" // checked first: most calls register nothing
	}
	if getRoute(call, route) {
		// r.GET("/auth/callback", h): a sender delivers with POST; a GET
		// route is a browser coming back (or a read), not a redelivery.
		return nil, ""
	}
	for _, a := range call.Args {
		f := funcValue(info, a)
		if f == nil {
			f = serveHTTP(info.TypeOf(a)) // mux.Handle("/webhooks/stripe", h)
		}
		if f == nil {
			f = controllerMethod(info, call, a)
		}
		if f == nil {
			continue
		}
		if handler.SettingsName(f.Name()) {
			// /repos/{id}/hooks with CreateHook: the API that
			// configures webhooks, not their deliveries.
			return nil, ""
		}
		if integrationOnly(route) && !receiverName(f.Name()) {
			// /projects/{id}/integrations with AddIntegration: the
			// settings that configure an integration, not its deliveries.
			return nil, ""
		}
		return f, route
	}
	return nil, ""
}

// integrationOnly reports whether a route is taken for a webhook only
// because it says integration.
func integrationOnly(route string) bool {
	return !containsFold(route, "hook") && !containsFold(route, "callback") && !containsFold(route, "inbox")
}

// receiverName reports whether a handler's name says it receives what a
// sender delivers (ReceiveIntegration, IncomingWebhook, IngestEvent).
func receiverName(name string) bool {
	return hasWord(name, []string{"receive", "incoming", "inbound", "ingest", "hook", "trigger", "notify", "deliver"})
}

// webhookRoute returns the route a call's string arguments name when it
// says hook, callback, inbox or integration.
func webhookRoute(call *ast.CallExpr) string {
	for _, a := range call.Args {
		if bl, ok := ast.Unparen(a).(*ast.BasicLit); ok && bl.Kind == token.STRING &&
			(containsFold(bl.Value, "hook") || containsFold(bl.Value, "callback") ||
				containsFold(bl.Value, "inbox") || containsFold(bl.Value, "/integration")) {
			return strings.Trim(bl.Value, "\"`")
		}
	}
	return ""
}

// controllerMethod returns the method a controller router serves a route
// with (beego.Router("/hook", &HookController{}, "post:Receive") serves
// Receive; with no mapping, the controller's Post): the argument is a
// controller value, a composite literal of a struct type.
func controllerMethod(info *types.Info, call *ast.CallExpr, a ast.Expr) *types.Func {
	e := ast.Unparen(a)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	if _, ok := e.(*ast.CompositeLit); !ok {
		return nil
	}
	t := info.TypeOf(a)
	if t == nil {
		return nil
	}
	method := "Post"
	for _, m := range call.Args {
		bl, ok := ast.Unparen(m).(*ast.BasicLit)
		if !ok || bl.Kind != token.STRING {
			continue
		}
		for _, part := range strings.Split(strings.Trim(bl.Value, "\"`"), ";") {
			verbs, name, ok := strings.Cut(part, ":")
			for _, verb := range strings.Split(verbs, ",") { // "get,post:Receive"
				if ok && name != "" && (strings.EqualFold(verb, "post") || verb == "*" || strings.EqualFold(verb, "put")) {
					method = name
				}
			}
		}
	}
	if _, isPtr := t.(*types.Pointer); !isPtr {
		t = types.NewPointer(t)
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, method)
	f, _ := obj.(*types.Func)
	return f
}

// funcValue returns the declared function or method an expression names
// without calling it (h.Stripe, onCallback).
func funcValue(info *types.Info, e ast.Expr) *types.Func {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		f, _ := info.Uses[x].(*types.Func)
		return f
	case *ast.SelectorExpr:
		if sel, ok := info.Selections[x]; ok {
			if sel.Kind() == types.MethodVal {
				f, _ := sel.Obj().(*types.Func)
				return f
			}
			return nil
		}
		f, _ := info.Uses[x.Sel].(*types.Func)
		return f
	}
	return nil
}

// serveHTTP returns the ServeHTTP method of a handler value's type.
func serveHTTP(t types.Type) *types.Func {
	if t == nil {
		return nil
	}
	m, _, _ := types.LookupFieldOrMethod(t, true, nil, "ServeHTTP")
	f, _ := m.(*types.Func)
	if f == nil || f.Pkg() == nil || f.Pkg().Path() == "net/http" {
		return nil
	}
	return f
}

// getRoute reports whether a registration serves only GET: a router's GET
// or Get method (gin, echo, chi), or a Go 1.22 pattern "GET /path".
func getRoute(call *ast.CallExpr, route string) bool {
	if strings.HasPrefix(route, "GET ") || strings.HasPrefix(route, "HEAD ") {
		return true
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && (sel.Sel.Name == "GET" || sel.Sel.Name == "Get")
}

// browserReturn reports whether a callback handler's own body shows a
// browser coming back from a sign-in or authorisation (an OAuth device or
// login callback) rather than a sender's delivery: it refuses every method
// but GET, or reads the authorisation's "state" parameter. A browser
// brings a one-time code once; nothing redelivers it.
func browserReturn(info *types.Info, n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if found {
			return false
		}
		switch x := n.(type) {
		case *ast.BinaryExpr:
			if x.Op != token.NEQ {
				return true
			}
			for _, side := range [2]ast.Expr{x.X, x.Y} {
				if sel, ok := ast.Unparen(side).(*ast.SelectorExpr); ok && sel.Sel.Name == "Method" {
					other := x.Y
					if side == x.Y {
						other = x.X
					}
					found = found || getMethod(info, other)
				}
			}
		case *ast.CallExpr:
			sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr)
			if !ok || len(x.Args) != 1 || !stateReader[sel.Sel.Name] {
				return true
			}
			if tv, ok := info.Types[x.Args[0]]; ok && tv.Value != nil && tv.Value.Kind() == constant.String && constant.StringVal(tv.Value) == "state" {
				found = true
			}
		}
		return true
	})
	return found
}

// stateReader are the methods that read one request parameter by name.
var stateReader = map[string]bool{"FormValue": true, "Get": true, "Query": true, "QueryParam": true, "URLParam": true}

// getMethod reports whether e is the constant "GET" (http.MethodGet).
func getMethod(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.Value != nil && tv.Value.Kind() == constant.String && constant.StringVal(tv.Value) == "GET"
}
