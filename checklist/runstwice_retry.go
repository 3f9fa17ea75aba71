package checklist

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/internal/handler"
	"github.com/prodready/prodready/checklist/internal/retryloop"
	"github.com/prodready/prodready/checklist/internal/sqltext"
	"github.com/prodready/prodready/checklist/program"
)

const retryableHTTP = "github.com/hashicorp/go-retryablehttp"

var retryNewKeyAnalyzer = &analysis.Analyzer{
	Name:             "retry_new_idempotency_key",
	Doc:              "reports idempotency keys or request IDs generated inside a retry loop, so that each attempt sends a new one",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, program.Analyzer},
	RunDespiteErrors: true,
	Run:              runRetryNewKey,
}

var retryPostNoKeyAnalyzer = &analysis.Analyzer{
	Name:             "retry_post_without_key",
	Doc:              "reports POST and PATCH requests retried without an Idempotency-Key",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, program.Analyzer},
	RunDespiteErrors: true,
	Run:              runRetryPostNoKey,
}

// keyName reports whether an identifier, field or header name stands for an
// idempotency key or request ID.
func keyName(s string) bool {
	l := strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(s))
	for _, w := range []string{"idempotency", "idempotent", "idemkey", "requestid", "dedupid", "dedupkey", "dedupekey", "deduplicationid", "nonce"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// isFreshValue reports whether call makes a new unique value: a UUID, ULID,
// XID, KSUID, a random number or the current time.
func isFreshValue(info *types.Info, file *ast.File, call *ast.CallExpr) bool {
	ref := code.Resolve(info, file, call.Fun)
	switch {
	case ref.Pkg == "github.com/google/uuid" && ref.Recv == "" && (strings.HasPrefix(ref.Name, "New") || ref.Name == "Must"):
		return true
	case strings.HasPrefix(ref.Pkg, "github.com/gofrs/uuid") || ref.Pkg == "github.com/satori/go.uuid":
		return ref.Recv == "" && (strings.HasPrefix(ref.Name, "NewV") || ref.Name == "Must")
	case strings.HasPrefix(ref.Pkg, "github.com/oklog/ulid"):
		return ref.Recv == "" && (ref.Name == "Make" || ref.Name == "New" || ref.Name == "MustNew")
	case ref.Pkg == "github.com/rs/xid" || ref.Pkg == "github.com/segmentio/ksuid":
		return ref.Recv == "" && strings.HasPrefix(ref.Name, "New")
	case ref.Pkg == "math/rand" || ref.Pkg == "math/rand/v2" || ref.Pkg == "crypto/rand":
		return ref.Recv == ""
	case ref.Pkg == "time" && ref.Name == "Now" && ref.Recv == "":
		return true
	}
	return false
}

func runRetryNewKey(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	model := pass.ResultOf[program.Analyzer].(*program.Model)
	entries := redeliveredEntries(model)
	for fc := range insp.Root().Preorder((*ast.File)(nil)) {
		file := fc.Node().(*ast.File)
		bodies := retryloop.Lazy(info, file, retryHelpers(info, model))
		reported := map[ast.Node]bool{}
		for c := range fc.Preorder((*ast.CallExpr)(nil)) {
			call := c.Node().(*ast.CallExpr)
			if !isFreshValue(info, file, call) {
				continue
			}
			rb := retryloop.Inside(bodies(), call)
			perDelivery := false
			if rb == nil {
				// A queue, event or webhook handler runs again on each
				// redelivery: a key made inside it is new every time.
				if hc, k := handler.Enclosing(info, file, c); k == handler.Queue || k == handler.Event || k == handler.Webhook {
					rb, perDelivery = hc.Node(), true
				} else if fd := redelivered(c, entries); fd != nil {
					rb, perDelivery = fd, true
				}
			}
			if rb == nil || reported[call] {
				continue
			}
			// Nested fresh calls (uuid.Must(uuid.NewRandom())) report once, at the outermost.
			if p, ok := c.Parent().Node().(*ast.CallExpr); ok && isFreshValue(info, file, p) {
				continue
			}
			if sinkName := keySink(info, c, rb); sinkName != "" {
				reported[call] = true
				if perDelivery {
					pass.Report(analysis.Diagnostic{
						Pos: call.Pos(), End: call.End(),
						Message: "the " + sinkName + " is created inside a queue, event or webhook handler, so each redelivery sends a new one and the server cannot tell it from a new request; derive it from the message or event ID",
					})
					continue
				}
				pass.Report(analysis.Diagnostic{
					Pos: call.Pos(), End: call.End(),
					Message: "the " + sinkName + " is created inside the retry loop, so every attempt sends a new one and the server cannot tell a retry from a new request; create it once, before the loop",
				})
			}
		}
	}
	return nil, nil
}

// redeliveredEntries are the positions of the package's at-least-once
// entries that the model did not only guess at by name: functions
// registered on a webhook route or served by a controller router, which
// handler.Of cannot see from the function alone.
func redeliveredEntries(m *program.Model) map[token.Pos]bool {
	out := map[token.Pos]bool{}
	for _, e := range m.Entries {
		if e.Delivery == program.AtLeastOnce && !e.Guessed() {
			out[e.Pos] = true
		}
	}
	return out
}

// redelivered returns the declared function around c when it is one of the
// entries.
func redelivered(c inspector.Cursor, entries map[token.Pos]bool) ast.Node {
	for p := range c.Enclosing((*ast.FuncDecl)(nil)) {
		if fd := p.Node().(*ast.FuncDecl); entries[fd.Name.Pos()] {
			return fd
		}
	}
	return nil
}

// keySink follows a fresh value at c up to its statement and says which key
// it becomes ("idempotency key", "request ID"), or "" if none.
func keySink(info *types.Info, c inspector.Cursor, rb ast.Node) string {
	child := c.Node()
	for p := range code.Ancestors(c) {
		switch x := p.Node().(type) {
		case *ast.KeyValueExpr:
			if id, ok := x.Key.(*ast.Ident); ok && x.Value == child && keyName(id.Name) {
				return keyLabel(id.Name)
			}
			if s, ok := sqltext.String(info, nil, x.Key); ok && x.Value == child && keyName(s) {
				return keyLabel(s)
			}
			return ""
		case *ast.CallExpr:
			if hdr := headerSetName(info, x); hdr != "" && len(x.Args) >= 2 && containsNode(x.Args[1], child) {
				return keyLabel(hdr)
			}
		case *ast.AssignStmt:
			for i, r := range x.Rhs {
				if r != child || i >= len(x.Lhs) {
					continue
				}
				if name := lhsName(info, x.Lhs[i]); name != "" && keyName(name) {
					return keyLabel(name)
				}
				if id, ok := x.Lhs[i].(*ast.Ident); ok {
					return varSink(info, rb, code.VarOf(info, id))
				}
			}
			return ""
		case *ast.ValueSpec:
			for i, v := range x.Values {
				if v == child && i < len(x.Names) {
					if keyName(x.Names[i].Name) {
						return keyLabel(x.Names[i].Name)
					}
					return varSink(info, rb, code.VarOf(info, x.Names[i]))
				}
			}
			return ""
		case ast.Stmt:
			return ""
		}
		child = p.Node()
	}
	return ""
}

// varSink reports whether variable v, set inside the retry body, is then
// used there as a key.
func varSink(info *types.Info, rb ast.Node, v code.Var) string {
	if !v.Valid() {
		return ""
	}
	out := ""
	ast.Inspect(retryloop.Body(rb), func(n ast.Node) bool {
		if out != "" {
			return false
		}
		switch x := n.(type) {
		case *ast.KeyValueExpr:
			if id, ok := x.Key.(*ast.Ident); ok && keyName(id.Name) && usesVar(info, x.Value, v) {
				out = keyLabel(id.Name)
			}
		case *ast.CallExpr:
			if hdr := headerSetName(info, x); hdr != "" && len(x.Args) >= 2 && usesVar(info, x.Args[1], v) {
				out = keyLabel(hdr)
			}
		case *ast.AssignStmt:
			for i, l := range x.Lhs {
				if name := lhsName(info, l); name != "" && keyName(name) && i < len(x.Rhs) && usesVar(info, x.Rhs[i], v) {
					out = keyLabel(name)
				}
			}
		}
		return true
	})
	return out
}

func keyLabel(name string) string {
	l := strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(name))
	switch {
	case strings.Contains(l, "requestid"):
		return "request ID"
	case strings.Contains(l, "nonce"):
		return "nonce"
	case strings.Contains(l, "dedup"):
		return "deduplication ID"
	}
	return "idempotency key"
}

// headerSetName returns the header name of h.Set(name, v), h.Add(name, v)
// or a header-setting helper's constant first argument.
func headerSetName(info *types.Info, call *ast.CallExpr) string {
	switch code.CallName(call) {
	case "Set", "Add", "SetHeader", "AddHeader", "Header":
	default:
		return ""
	}
	if len(call.Args) < 2 {
		return ""
	}
	s, ok := sqltext.String(info, nil, call.Args[0])
	if !ok || !keyName(s) {
		return ""
	}
	return s
}

// lhsName names what an assignment writes: a variable, a field, or the
// constant key of a map element (req.Header["Idempotency-Key"]).
func lhsName(info *types.Info, e ast.Expr) string {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return x.Sel.Name
	case *ast.IndexExpr:
		if s, ok := sqltext.String(info, nil, x.Index); ok {
			return s
		}
	}
	return ""
}

func usesVar(info *types.Info, e ast.Node, v code.Var) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && v.Is(info, id) {
			found = true
		}
		return !found
	})
	return found
}

func containsNode(outer, inner ast.Node) bool {
	return outer.Pos() <= inner.Pos() && inner.End() <= outer.End()
}

// mentionsIdempotency reports whether n speaks of idempotency anywhere: a
// header or field name, an identifier or a string.
func mentionsIdempotency(info *types.Info, n ast.Node) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if found {
			return false
		}
		switch y := x.(type) {
		case *ast.Ident:
			l := strings.ToLower(y.Name)
			found = strings.Contains(l, "idempot") || strings.Contains(l, "dedup")
		case *ast.BasicLit:
			if s, ok := sqltext.String(info, nil, y); ok {
				l := strings.ToLower(s)
				found = strings.Contains(l, "idempot") || strings.Contains(l, "dedup")
			}
		}
		return !found
	})
	return found
}

// postMethod returns "POST" or "PATCH" when e is that method constant.
func postMethod(info *types.Info, file *ast.File, e ast.Expr) string {
	if s, ok := sqltext.String(info, nil, e); ok {
		switch strings.ToUpper(s) {
		case "POST", "PATCH":
			return strings.ToUpper(s)
		}
		return ""
	}
	ref := code.Resolve(info, file, e)
	if ref.Pkg == netHTTP {
		switch ref.Name {
		case "MethodPost":
			return "POST"
		case "MethodPatch":
			return "PATCH"
		}
	}
	return ""
}

// newPostRequest returns the method when call builds a POST or PATCH request
// with net/http or go-retryablehttp.
func newPostRequest(info *types.Info, file *ast.File, call *ast.CallExpr) (string, string) {
	ref := code.Resolve(info, file, call.Fun)
	if (ref.Pkg != netHTTP && ref.Pkg != retryableHTTP) || ref.Recv != "" {
		return "", ""
	}
	switch ref.Name {
	case "NewRequest":
		if len(call.Args) > 0 {
			return postMethod(info, file, call.Args[0]), ref.Pkg
		}
	case "NewRequestWithContext":
		if len(call.Args) > 1 {
			return postMethod(info, file, call.Args[1]), ref.Pkg
		}
	}
	return "", ""
}

// postCall returns the method when call sends a POST directly:
// client.Post, client.PostForm, http.Post, http.PostForm.
func postCall(info *types.Info, file *ast.File, call *ast.CallExpr) (string, string) {
	name := code.CallName(call)
	if name != "Post" && name != "PostForm" {
		return "", ""
	}
	ref := code.Resolve(info, file, call.Fun)
	if ref.Pkg == netHTTP && (ref.Recv == "" || ref.Recv == "Client") {
		return "POST", netHTTP
	}
	if ref.Pkg == retryableHTTP && (ref.Recv == "" || ref.Recv == "Client") {
		return "POST", retryableHTTP
	}
	return "", ""
}

// readOnlyURL reports whether a request's URL argument names an endpoint
// that reads rather than writes, where a repeated POST does no harm.
func readOnlyURL(info *types.Info, args []ast.Expr) bool {
	for _, a := range args {
		var parts []string
		if s, ok := sqltext.String(info, nil, a); ok {
			parts = append(parts, s)
		} else {
			// A URL built from pieces: fmt.Sprintf("%s/watchers/login", base).
			ast.Inspect(a, func(n ast.Node) bool {
				if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING {
					parts = append(parts, bl.Value)
				}
				return true
			})
		}
		for _, s := range parts {
			l := strings.ToLower(s)
			for _, w := range []string{"graphql", "search", "/query", "completions", "embeddings", "token", "oauth", "login"} {
				if strings.Contains(l, w) {
					return true
				}
			}
		}
	}
	return false
}

// readPurposeFunc reports whether the function around c is named for
// reading or authenticating (login, refreshJwtToken, verifyCode,
// ocspCheck): the POST it sends changes nothing a retry could repeat.
func readPurposeFunc(c inspector.Cursor) bool {
	for p := range c.Enclosing((*ast.FuncDecl)(nil)) {
		return readPurpose(p.Node().(*ast.FuncDecl).Name.Name)
	}
	return false
}

func runRetryPostNoKey(pass *analysis.Pass) (any, error) {
	if pass.Pkg != nil && pass.Pkg.Path() == retryableHTTP {
		// The retrying client's own Post and PostForm helpers: whoever
		// calls them decides about the key, and is reported there.
		return nil, nil
	}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	holders := retryingHolders(pass, insp)
	helpers := retryHelpers(info, pass.ResultOf[program.Analyzer].(*program.Model))
	for fc := range insp.Root().Preorder((*ast.File)(nil)) {
		file := fc.Node().(*ast.File)
		bodies := retryloop.Lazy(info, file, helpers)
		guard := map[ast.Node]bool{}
		guarded := func(c inspector.Cursor) bool {
			fn, body := code.OuterFuncOf(c)
			if body == nil {
				return true
			}
			g, ok := guard[fn]
			if !ok {
				g = mentionsIdempotency(info, fn)
				guard[fn] = g
			}
			return g
		}
		for c := range fc.Preorder((*ast.CallExpr)(nil)) {
			call := c.Node().(*ast.CallExpr)
			method, lib := newPostRequest(info, file, call)
			how := ""
			var chain []string // names and URLs down a chain, as evidence of purpose
			if method == "" {
				method, lib = postCall(info, file, call)
			}
			if method == "" {
				method, how = doOfPost(pass, file, c, bodies)
			}
			if method == "" {
				method, how, chain = postThroughCall(pass, file, call, bodies)
			}
			if method == "" || readOnlyURL(info, call.Args) {
				continue
			}
			rb := retryloop.Inside(bodies(), call)
			switch {
			case how != "":
			case lib == retryableHTTP:
				how = "through go-retryablehttp, which retries it"
			case rb != nil:
				how = retriedBy(pass, file, rb)
			default:
				if t := sentThroughRetrying(info, c, holders); t != "" {
					how = "through a client whose Transport retries (" + t + ")"
					break
				}
				continue
			}
			if guarded(c) || readPurposeFunc(c) {
				continue
			}
			cat, note := "", ""
			switch {
			case harmlessTwice(c, append(slices.Clip(chain), pass.Pkg.Name())):
				// A heartbeat, a ping, telemetry: a second one changes nothing anyone reads.
				cat, note = AtMostInfo, " (info only: the names say this POST is a heartbeat, ping, metric, status report or language-model completion, which is harmless twice)"
			case idMadeOnce(info, file, c, rb):
				cat, note = AtMostInfo, " (info only: an ID made once, before the first attempt, goes with every attempt, which the server may dedupe by; if it does, name it Idempotency-Key)"
			case carriesID(info, call) != "":
				cat, note = AtMostInfo, " (info only: the request carries "+carriesID(info, call)+", an ID made before the retry that the server may dedupe by; if it does, name it Idempotency-Key)"
			case !sideEffectPost(info, c, chain):
				// Posted where the request says it charges, orders or
				// reaches a person; a POST that transforms, validates,
				// reports or reads (a pipeline modifier, a licence check, a
				// code exchange, telemetry) repeats harmlessly.
				cat, note = AtMostInfo, " (info only: nothing in the URL, the client or the function says this POST charges, orders, books or texts someone, where a repeat costs money)"
			}
			pass.Report(analysis.Diagnostic{
				Pos: call.Pos(), End: call.End(), Category: cat,
				Message: "a " + method + " is sent " + how + " with no Idempotency-Key: if an attempt times out after the server acted, the retry does it again (a second charge, order or message). Send one key, made before the first attempt, in the Idempotency-Key header" + note,
			})
		}
	}
	return nil, nil
}

// retriedBy says how the retry body rb repeats its calls: "inside a retry
// loop", or "in a function retried by backoff.Retry (x.go:40)".
func retriedBy(pass *analysis.Pass, file *ast.File, rb ast.Node) string {
	call := retryloop.HelperOf(pass.TypesInfo, file, retryHelpers(pass.TypesInfo, pass.ResultOf[program.Analyzer].(*program.Model)), rb)
	if call == nil {
		return "inside a retry loop"
	}
	return "in a function retried by " + retryloop.HelperName(pass.TypesInfo, file, call) + " (" + program.ShortPos(pass.Fset, call.Pos()) + ")"
}

// retryHelpers recognises calls of the module's own retry helpers, as the
// program model knows them.
func retryHelpers(info *types.Info, m *program.Model) retryloop.Helpers {
	return func(call *ast.CallExpr) bool {
		fn, _ := typeutil.Callee(info, call).(*types.Func)
		return m.RetriesFuncArg(fn)
	}
}

// harmlessWords name requests that a duplicate does not harm: a heartbeat,
// a ping, telemetry, metrics, a health check, a language model's completion
// or embedding (a second one costs tokens and changes nothing). Whole words
// only: shipping is no ping, and a usage report may bill.
var harmlessWords = map[string]bool{"heartbeat": true, "heartbeats": true, "ping": true, "pings": true, "telemetry": true,
	"analytics": true, "metric": true, "metrics": true, "health": true, "healthz": true, "healthcheck": true, "beacon": true, "checkin": true,
	"llm": true, "completion": true, "completions": true, "embedding": true, "embeddings": true, "inference": true}

// harmlessTwice reports whether the retried POST at c is named, in its call,
// its function or its chain (with the package's name: package llm), for a report that is harmless twice: a word of
// harmlessWords, or a status report (report and status together).
func harmlessTwice(c inspector.Cursor, chain []string) bool {
	texts := append([]string{types.ExprString(c.Node().(*ast.CallExpr))}, chain...)
	for p := range c.Enclosing((*ast.FuncDecl)(nil)) {
		texts = append(texts, p.Node().(*ast.FuncDecl).Name.Name)
	}
	report, status := false, false
	for _, t := range texts {
		for _, part := range strings.FieldsFunc(t, func(r rune) bool { return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') }) {
			for _, w := range code.IdentWords(part) {
				if harmlessWords[w] {
					return true
				}
				report = report || w == "report"
				status = status || w == "status"
			}
		}
	}
	return report && status
}

// idMadeOnce reports whether a unique value (a UUID, a random or time-based
// ID) made in the function outside the retry body rb travels with the
// retried request: a variable holding it is used inside rb. With no retry
// body (a retrying client), any such value in the function counts.
func idMadeOnce(info *types.Info, file *ast.File, c inspector.Cursor, rb ast.Node) bool {
	fn, body := code.OuterFuncOf(c)
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		if found {
			return false
		}
		var lhs []ast.Expr
		var rhs []ast.Expr
		switch x := n.(type) {
		case *ast.AssignStmt:
			lhs, rhs = x.Lhs, x.Rhs
		case *ast.ValueSpec:
			for _, id := range x.Names {
				lhs = append(lhs, id)
			}
			rhs = x.Values
		default:
			return true
		}
		if rb != nil && containsNode(rb, n) {
			return true
		}
		for i, r := range rhs {
			if !hasFreshValue(info, file, r) || i >= len(lhs) {
				continue
			}
			id, ok := ast.Unparen(lhs[i]).(*ast.Ident)
			if !ok {
				continue
			}
			if rb == nil {
				found = true
				return false
			}
			if v := code.VarOf(info, id); v.Valid() && usesVar(info, rb, v) {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

// carriesID names the field of an argument of call that identifies the
// request itself, made by its caller before any retry: a struct argument
// with a field named UUID (or ending so: UploadUUID) or named as a key
// (RequestID, DedupID, Nonce). PipelineChange.UUID is one. It returns "" when
// there is none.
func carriesID(info *types.Info, call *ast.CallExpr) string {
	for _, a := range call.Args {
		t := code.TypeOf(info, a)
		if t == nil {
			continue
		}
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for i := range st.NumFields() {
			f := st.Field(i)
			if strings.HasSuffix(f.Name(), "UUID") || keyName(f.Name()) {
				name := f.Name()
				if n := code.NamedOf(t); n != nil {
					name = n.Obj().Name() + "." + name
				}
				return name
			}
		}
	}
	return ""
}

// hasFreshValue reports whether e makes a unique value anywhere in it
// (uuid.NewString(), Event{ID: uuid.New()}).
func hasFreshValue(info *types.Info, file *ast.File, e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && isFreshValue(info, file, call) {
			if ref := code.Resolve(info, file, call.Fun); ref.Pkg == "time" {
				return true // a timestamp alone identifies nothing
			}
			found = true
		}
		return !found
	})
	return found
}

// sideEffectWords are what a request whose repeat costs money says about
// itself in its URL, its client or its function's name: a charge, payment,
// order, booking or shipment, or a text message (an SMS is billed). Requests
// that only "send", "create", "upload", "publish" or "notify" are held back
// to info: on reads G and H none of 12 posted findings was judged worth a
// comment (telemetry, transformers, an alert manager, settings endpoints),
// and after those reads the words for what a person receives (e-mail,
// invitation, ticket, comment, annotation, chat messages) went too: they
// named user lookups by e-mail address as often as a message sent, and a
// repeated notice is a nuisance rather than a loss. "subscri" went after
// read M: a message queue's subscription retrying its deliveries said it,
// not a billing plan (a payment SDK's subscription calls are payments).
//
// A word matches at the start of a word of the texts (orders, Payments),
// not inside one (recorder, border).
var sideEffectWords = []string{"charge", "payment", "pay", "payout", "invoice", "transfer", "refund", "checkout",
	"order", "booking", "purchase", "sms", "shipping", "shipment"}

// sideEffectPost reports whether the retried POST at c says it creates,
// appends, charges or sends: a word of sideEffectWords in the call (its
// client and arguments), in a string of its function, in its function's
// name, or in chain (the functions and URL down to a POST sent further on).
func sideEffectPost(info *types.Info, c inspector.Cursor, chain []string) bool {
	call := c.Node().(*ast.CallExpr)
	texts := append([]string{types.ExprString(call)}, chain...)
	for p := range c.Enclosing((*ast.FuncDecl)(nil)) {
		fd := p.Node().(*ast.FuncDecl)
		texts = append(texts, fd.Name.Name)
		if fd.Recv != nil && len(fd.Recv.List) > 0 {
			texts = append(texts, types.ExprString(fd.Recv.List[0].Type))
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && messageCall(info, call) {
				return false // "failed to create request" says nothing of the POST
			}
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				texts = append(texts, lit.Value)
			}
			return true
		})
	}
	for _, a := range call.Args {
		if tv, ok := info.Types[a]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
			texts = append(texts, constant.StringVal(tv.Value))
		}
	}
	for _, word := range code.TextWords(strings.Join(texts, " ")) {
		for _, w := range sideEffectWords {
			if strings.HasPrefix(word, w) && (w != "pay" || word == "pay" || word == "pays") {
				return true
			}
		}
	}
	return false
}

// messageCall reports whether call builds an error or writes a log line,
// whose words describe a failure, not the request: fmt.Errorf,
// errors.New and its wrappers, and logging calls.
func messageCall(info *types.Info, call *ast.CallExpr) bool {
	if fn := code.Callee(info, call); fn != nil && fn.Pkg() != nil {
		switch fn.Pkg().Path() {
		case "fmt":
			return fn.Name() == "Errorf"
		case "errors", "github.com/pkg/errors":
			return true
		}
	}
	return loggingCall(info, call)
}

// doOfPost recognises client.Do(req) inside a retry body when req was built
// as a POST or PATCH outside that body.
func doOfPost(pass *analysis.Pass, file *ast.File, c inspector.Cursor, bodies func() []ast.Node) (string, string) {
	info := pass.TypesInfo
	call := c.Node().(*ast.CallExpr)
	if code.CallName(call) != "Do" || len(call.Args) != 1 {
		return "", ""
	}
	rb := retryloop.Inside(bodies(), call)
	if rb == nil {
		return "", ""
	}
	id, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
	if !ok {
		return "", ""
	}
	_, body := code.OuterFuncOf(c)
	if body == nil {
		return "", ""
	}
	v := code.VarOf(info, id)
	method := ""
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 || len(as.Lhs) == 0 || containsNode(rb, as) {
			return true
		}
		lid, ok := as.Lhs[0].(*ast.Ident)
		if !ok || !v.Is(info, lid) {
			return true
		}
		if rc, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok {
			if m, _ := newPostRequest(info, file, rc); m != "" && !readOnlyURL(info, rc.Args) {
				method = m
			}
		}
		return true
	})
	if method == "" {
		return "", ""
	}
	if h := retryloop.HelperOf(info, file, retryHelpers(info, pass.ResultOf[program.Analyzer].(*program.Model)), rb); h != nil {
		return method, "again on every attempt of " + retryloop.HelperName(info, file, h) + " (" + program.ShortPos(pass.Fset, h.Pos()) + ")"
	}
	return method, "again on every attempt of the retry loop"
}

// retryingHolders finds the variables and struct fields of the package that
// hold an http.Client whose Transport retries: a Transport whose type or
// constructor is named for retrying (httpretry.Transport, rehttp,
// retryablehttp's RoundTripper), or go-retryablehttp's StandardClient(). It maps each to the transport's name. It
// needs type information and finds nothing without it.
func retryingHolders(pass *analysis.Pass, insp *inspector.Inspector) map[types.Object]string {
	info := pass.TypesInfo
	out := map[types.Object]string{}
	if info == nil {
		return out
	}
	for c := range insp.Root().Preorder((*ast.CompositeLit)(nil)) {
		lit := c.Node().(*ast.CompositeLit)
		if !code.IsNamed(code.TypeOf(info, lit), netHTTP, "Client") {
			continue
		}
		name := ""
		for _, el := range lit.Elts {
			kv, ok := el.(*ast.KeyValueExpr)
			if id, isID := kv.Key.(*ast.Ident); !ok || !isID || id.Name != "Transport" {
				continue
			}
			name = retryingTransport(info, kv.Value)
		}
		if name == "" {
			continue
		}
		if obj := holderObj(info, c); obj != nil {
			out[obj] = name
		}
	}
	// go-retryablehttp's StandardClient: an *http.Client that retries.
	for c := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := c.Node().(*ast.CallExpr)
		if code.CallName(call) != "StandardClient" {
			continue
		}
		if ref := code.Resolve(info, nil, call.Fun); ref.Pkg == retryableHTTP && ref.Recv == "Client" {
			if obj := holderObj(info, c); obj != nil {
				out[obj] = "retryablehttp.Client.StandardClient"
			}
		}
	}
	return out
}

// retryingTransport names the transport expression e when it retries.
func retryingTransport(info *types.Info, e ast.Expr) string {
	e = ast.Unparen(e)
	if n := code.NamedOf(code.TypeOf(info, e)); n != nil && n.Obj().Pkg() != nil {
		full := n.Obj().Pkg().Path() + "." + n.Obj().Name()
		if strings.Contains(strings.ToLower(full), "retr") {
			return n.Obj().Pkg().Name() + "." + n.Obj().Name()
		}
	}
	if call, ok := e.(*ast.CallExpr); ok && strings.Contains(strings.ToLower(code.CallName(call)), "retr") {
		return code.CallName(call)
	}
	return ""
}

// holderObj returns the variable or field a client literal at c is stored
// in: x := &http.Client{...}, s.client = ..., or a field key in an outer
// literal.
func holderObj(info *types.Info, c inspector.Cursor) types.Object {
	p := c.Parent()
	node := c.Node()
	if u, ok := p.Node().(*ast.UnaryExpr); ok {
		node, p = u, p.Parent()
	}
	switch s := p.Node().(type) {
	case *ast.KeyValueExpr:
		if id, ok := s.Key.(*ast.Ident); ok && s.Value == node {
			return info.Uses[id]
		}
	case *ast.AssignStmt:
		for i, r := range s.Rhs {
			if r == node && i < len(s.Lhs) && len(s.Lhs) == len(s.Rhs) {
				return exprObj(info, s.Lhs[i])
			}
		}
	case *ast.ValueSpec:
		for i, v := range s.Values {
			if v == node && i < len(s.Names) {
				return info.Defs[s.Names[i]]
			}
		}
	}
	return nil
}

// exprObj is the variable or field an identifier or selector names.
func exprObj(info *types.Info, e ast.Expr) types.Object {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		if o := info.Defs[x]; o != nil {
			return o
		}
		return info.Uses[x]
	case *ast.SelectorExpr:
		return info.Uses[x.Sel]
	}
	return nil
}

// sentThroughRetrying reports, for a POST built or sent at c, whether it
// goes through a client held in a retrying holder: client.Post(...) on one,
// or req := http.NewRequest(POST...) later passed to client.Do(req).
func sentThroughRetrying(info *types.Info, c inspector.Cursor, holders map[types.Object]string) string {
	if len(holders) == 0 || info == nil {
		return ""
	}
	call := c.Node().(*ast.CallExpr)
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && (sel.Sel.Name == "Post" || sel.Sel.Name == "PostForm") {
		if t := holders[exprObj(info, sel.X)]; t != "" {
			return t
		}
		return ""
	}
	var id *ast.Ident
	if as, ok := c.Parent().Node().(*ast.AssignStmt); ok && len(as.Rhs) == 1 && as.Rhs[0] == call && len(as.Lhs) > 0 {
		id, _ = ast.Unparen(as.Lhs[0]).(*ast.Ident)
	}
	if id == nil {
		return ""
	}
	v := code.VarOf(info, id)
	_, body := code.OuterFuncOf(c)
	if body == nil || !v.Valid() {
		return ""
	}
	found := ""
	ast.Inspect(body, func(n ast.Node) bool {
		do, ok := n.(*ast.CallExpr)
		if !ok || found != "" || code.CallName(do) != "Do" || len(do.Args) != 1 {
			return found == ""
		}
		arg, ok := ast.Unparen(do.Args[0]).(*ast.Ident)
		if !ok || !v.Is(info, arg) {
			return true
		}
		if sel, ok := ast.Unparen(do.Fun).(*ast.SelectorExpr); ok {
			found = holders[exprObj(info, sel.X)]
		}
		return found == ""
	})
	return found
}
