package program

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

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
		if !authCallback(name) {
			return "webhook handler", AtLeastOnce, true
		}
	case handler.Event:
		return "event handler", AtLeastOnce, true
	case handler.Named:
		// A name alone makes no entry: it must take a raw payload too.
		if ft != nil && rawPayload(info, ft) {
			return "job or message handler", AtLeastOnce, true
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
	case *ast.FuncLit:
		if jobRegistration(info, c) {
			return "scheduled job", AtLeastOnce, true
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
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		switch sel.Sel.Name {
		case "AddFunc", "AddJob", "Schedule", "Do", "Every", "NewJob":
			return true
		}
	}
	return false
}

// cliCommand reports whether a function literal is a cobra command's Run
// (cobra.Command{RunE: func...}) or an urfave/cli command's Action
// (cli.Command{Action: func...}).
func cliCommand(info *types.Info, c inspector.Cursor) bool {
	kv, ok := c.Parent().Node().(*ast.KeyValueExpr)
	if !ok {
		return false
	}
	key, ok := kv.Key.(*ast.Ident)
	if !ok || (!strings.Contains(key.Name, "Run") && key.Name != "Action") {
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
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Name() != "Command" {
		return false
	}
	path := n.Obj().Pkg().Path()
	if key.Name == "Action" {
		return strings.Contains(path, "urfave/cli")
	}
	return strings.HasSuffix(path, "spf13/cobra")
}

// grpcMethod reports whether a method serves a gRPC service: its type embeds
// an Unimplemented...Server and the method takes a context and a request.
func grpcMethod(info *types.Info, f *ast.FuncDecl) bool {
	obj, _ := info.Defs[f.Name].(*types.Func)
	if obj == nil {
		return false
	}
	sig := obj.Type().(*types.Signature)
	if sig.Params().Len() != 2 || sig.Results().Len() != 2 {
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

// routeRegistration returns the function a call registers on a webhook or
// callback route (mux.HandleFunc("/webhooks/stripe", h.Stripe),
// r.POST("/callback", onCallback)), if any.
func routeRegistration(info *types.Info, call *ast.CallExpr) (*types.Func, string) {
	route := ""
	for _, a := range call.Args {
		if bl, ok := ast.Unparen(a).(*ast.BasicLit); ok && bl.Kind == token.STRING &&
			(containsFold(bl.Value, "hook") || containsFold(bl.Value, "callback") || containsFold(bl.Value, "inbox")) {
			route = strings.Trim(bl.Value, "\"`")
		}
	}
	if route == "" {
		return nil, "" // checked first: most calls register nothing
	}
	for _, a := range call.Args {
		if f := funcValue(info, a); f != nil {
			return f, route
		}
		if f := serveHTTP(info.TypeOf(a)); f != nil {
			return f, route // mux.Handle("/webhooks/stripe", h)
		}
	}
	return nil, ""
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
