package checklist

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/internal/handler"
	"github.com/prodready/prodready/checklist/iocall"
	"github.com/prodready/prodready/checklist/program"
)

var readUnboundedAnalyzer = &analysis.Analyzer{
	Name:             "read_unbounded",
	Doc:              "reports io.ReadAll, io.Copy and JSON/XML decoders over a request or response body with no size limit",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.Analyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	FactTypes:        []analysis.Fact{new(paramReads)},
	Run:              runReadUnbounded,
}

var queryInLoopAnalyzer = &analysis.Analyzer{
	Name:             "query_in_loop",
	Doc:              "reports database reads and outbound HTTP calls made once per element of a collection",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.Analyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              runQueryInLoop,
}

var lockAcrossIOAnalyzer = &analysis.Analyzer{
	Name:             "lock_across_io",
	Doc:              "reports network and database calls made while a mutex is held",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.Analyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	FactTypes:        []analysis.Fact{new(dbDrivers)},
	Run:              runLockAcrossIO,
}

// bodyReader reports whether call reads all of its argument into memory:
// io.ReadAll, ioutil.ReadAll, or a JSON or XML decoder; or copies all of it
// somewhere that keeps it: io.Copy to anything but io.Discard or an
// http.ResponseWriter (a proxy streams, it does not hold). src is the
// argument read.
func bodyReader(info *types.Info, file *ast.File, call *ast.CallExpr) (what string, src ast.Expr, ok bool) {
	ref := code.Resolve(info, file, call.Fun)
	if len(call.Args) == 2 && ref.Is("io", "Copy") {
		dst := call.Args[0]
		if code.Resolve(info, file, dst).Is("io", "Discard") || code.Resolve(info, file, dst).Is("io/ioutil", "Discard") {
			return "", nil, false
		}
		if t := code.TypeOf(info, dst); t != nil && types.TypeString(t, nil) == "net/http.ResponseWriter" {
			return "", nil, false
		}
		return "io.Copy", call.Args[1], true
	}
	if len(call.Args) != 1 {
		return "", nil, false
	}
	what, ok = readerName(ref)
	return what, call.Args[0], ok
}

// harmOf says what an unlimited read does: inMemory for a whole read, but
// an io.Copy into a writer that does not hold it in memory costs what
// [copySink] says.
func harmOf(info *types.Info, call *ast.CallExpr, inMemory string) string {
	if cost := copySink(info, call); cost != "" {
		return cost
	}
	return inMemory
}

// copySink says what an unlimited io.Copy costs when its writer does not
// hold what it is given in memory (a file, a storage or blob writer, a
// hash, anything but a bytes.Buffer or strings.Builder): the disk or the
// storage it fills, not the memory. It is "" for a whole read, a copy into
// memory and a writer of unknown type. On four applications the copies of
// a body into a file or a blob store were all judged false as memory
// findings: streaming a large file is what such a handler is for.
func copySink(info *types.Info, call *ast.CallExpr) string {
	if info == nil || len(call.Args) != 2 {
		return ""
	}
	dst := call.Args[0]
	t := code.TypeOf(info, dst)
	switch {
	case t == nil, code.IsPointerTo(t, "bytes", "Buffer"), code.IsPointerTo(t, "strings", "Builder"):
		return ""
	case code.IsPointerTo(t, "os", "File"):
		return "fills the disk"
	}
	return "fills the storage behind " + types.ExprString(dst) + " (the copy streams, so memory is not at risk)"
}

// sinkCap is the category of an unlimited read at call: info when it is a
// copy into a writer that does not hold it in memory ([copySink]), else cat.
func sinkCap(info *types.Info, call *ast.CallExpr, cat string) string {
	if copySink(info, call) != "" {
		return AtMostInfo
	}
	return cat
}

// readerName names the whole-read functions.
func readerName(ref code.Ref) (string, bool) {
	switch {
	case ref.Is("io", "ReadAll"), ref.Is("io/ioutil", "ReadAll"):
		return "io.ReadAll", true
	case ref.Is("encoding/json", "NewDecoder"):
		return "json.NewDecoder", true
	case ref.Is("encoding/xml", "NewDecoder"):
		return "xml.NewDecoder", true
	}
	return "", false
}

// bodyOwner returns "request" or "response" when e is the Body of an
// *http.Request or *http.Response, with the expression holding it.
func bodyOwner(info *types.Info, file *ast.File, c inspector.Cursor, e ast.Expr) (string, ast.Expr) {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Body" {
		return "", nil
	}
	if t := code.TypeOf(info, sel.X); t != nil {
		switch {
		case code.IsPointerTo(t, netHTTP, "Request"):
			return "request", sel.X
		case code.IsPointerTo(t, netHTTP, "Response"):
			return "response", sel.X
		}
		return "", nil
	}
	// No types: a parameter declared *http.Request.
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return "", nil
	}
	for p := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		var ft *ast.FuncType
		switch f := p.Node().(type) {
		case *ast.FuncDecl:
			ft = f.Type
		case *ast.FuncLit:
			ft = f.Type
		}
		if ft == nil || ft.Params == nil {
			continue
		}
		for _, field := range ft.Params.List {
			for _, n := range field.Names {
				if n.Name == id.Name && code.TypeExprIs(info, file, field.Type, netHTTP, "Request") {
					return "request", sel.X
				}
			}
		}
	}
	return "", nil
}

func runReadUnbounded(pass *analysis.Pass) (any, error) {
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	where := whereOf(pass)
	info := pass.TypesInfo
	reads := readParamsOf(pass)
	// A middleware that limits every request body, installed by the package
	// on its router (with Use, wrapping the router, or in its middleware
	// list), bounds what its handlers read; a limit installed by another
	// package is the driver's to see (program.Access).
	model, _ := pass.ResultOf[program.Analyzer].(*program.Model)
	limitedRouter := model != nil && model.BodyLimit != ""
	for file, c := range callIdx.All() {
		call := c.Node().(*ast.CallExpr)
		if file == nil || where.Quiet(c) {
			// Tests read what the test itself sent; migrations, start-up
			// and one-shot tools read once, not once per request.
			continue
		}
		what, src, ok := bodyReader(info, file, call)
		if !ok {
			if !limitedRouter {
				helperReadsClient(pass, file, c, reads, where)
			}
			continue
		}
		_, body := code.OuterFuncOf(c)
		if body == nil {
			continue
		}
		owner, holder := bodyOwner(info, file, c, src)
		if owner == "" && info != nil && uploadStream(info, src) && !limitsRequest(info, file, model, body) && !limitedRouter {
			if _, inHandler := handler.EnclosingHTTP(info, file, c); inHandler {
				cat, note := clientReadSeverity(pass, file, c, where)
				reportIn(pass, call, sinkCap(info, call, cat), what+" of an uploaded file or multipart part has no size limit: one large upload "+harmOf(info, call, "takes all the memory and the process is killed")+"; limit the request first (r.Body = http.MaxBytesReader(w, r.Body, limit)) or read through io.LimitReader"+note)
				continue
			}
		}
		if owner == "" {
			// A decompressor over a body: limiting the body bounds the
			// compressed bytes only, and a small bomb expands without end.
			if dec, inner := decompressorOf(info, file, body, src); dec != "" {
				if owner, _ = bodyOwner(info, file, c, inner); owner == "request" {
					if _, inHandler := handler.EnclosingHTTP(info, file, c); inHandler {
						cat, note := clientReadSeverity(pass, file, c, where)
						reportIn(pass, call, sinkCap(info, call, cat), what+" of a "+dec+" reader over the request body has no size limit: a few kilobytes of compressed upload expand to gigabytes and "+harmOf(info, call, "the process is killed")+", even with http.MaxBytesReader on the body; read through io.LimitReader(zr, limit)"+note)
					}
				}
			}
			continue
		}
		if bodyLimitedBefore(body, holder, call.Pos()) || limiterCalledBefore(info, model, body, holder, call.Pos()) {
			continue
		}
		if owner == "response" && recorded(info, file, body, holder) {
			continue // an httptest recorder's body is in memory already
		}
		// A request body is untrusted input only on the server side: inside
		// an HTTP handler. A client that buffers its own outgoing body (a
		// retrying RoundTripper, a request signer) reads what it wrote.
		if _, inHandler := handler.EnclosingHTTP(info, file, c); owner == "request" && !inHandler {
			continue
		}
		if owner == "request" && limitedRouter && !model.BufferRead(call.Pos()) {
			continue // the middleware that buffers the body is not limited by itself
		}
		if owner == "request" {
			// A client's body is input nobody vetted: the check's severity
			// on a public route, info behind a login check.
			cat, note := clientReadSeverity(pass, file, c, where)
			if handedRequest(info, file, c, holder) {
				cat, note = AtMostInfo, " (info only: the request is the one a callee hands this function literal, which may have read or limited its body already)"
			}
			reportIn(pass, call, sinkCap(info, call, cat), what+" of the request body has no size limit: one large or endless upload "+harmOf(info, call, "takes all the memory and the process is killed")+"; wrap it first: r.Body = http.MaxBytesReader(w, r.Body, limit)"+note)
		} else {
			// A response comes from an upstream the service chose to call:
			// worth knowing, rarely worth a comment.
			reportIn(pass, call, AtMostInfo, what+" of the response body has no size limit: a huge or endless answer from the peer "+harmOf(info, call, "takes all the memory")+"; read through io.LimitReader(resp.Body, limit)")
		}
	}
	return nil, nil
}

// clientReadSeverity is the category of a whole read of a client's stream
// at c, with a note for the message. One large upload hurts when anyone can
// send it: the read keeps the check's severity only where its handler is
// registered on a public route, which only the driver that sees the
// routers knows (OnPublicRoute names the handler: the literal the read is
// in and the declared function around it, which is what a route registers
// when the literal is a factory's result). An admin-only route, or a
// handler that asks who is calling before the read, serves logged-in
// callers: info.
func clientReadSeverity(pass *analysis.Pass, file *ast.File, c inspector.Cursor, where *program.Where) (cat, note string) {
	if where.Admin(c) {
		return AtMostInfo, ""
	}
	info := pass.TypesInfo
	if info == nil {
		return AtMostInfo, ""
	}
	h, _ := handler.EnclosingHTTP(info, file, c)
	var keys []string
	var body *ast.BlockStmt
	switch f := h.(type) {
	case *ast.FuncLit:
		keys, body = append(keys, program.LiteralKey(pass.Fset, f.Pos())), f.Body
	case *ast.FuncDecl:
		body = f.Body
	}
	if body != nil {
		if who, ok := program.IdentityBefore(info, body, c.Node().Pos()); ok {
			return AtMostInfo, " (info: the handler asks who is calling first, " + who + ", so only a logged-in caller can send it)"
		}
		if admissionReview(info, body) {
			return AtMostInfo, " (info: an admission webhook: the Kubernetes API server sends the review, and bounds it)"
		}
	}
	for p := range c.Enclosing((*ast.FuncDecl)(nil)) {
		if fn, ok := info.Defs[p.Node().(*ast.FuncDecl).Name].(*types.Func); ok {
			keys = append(keys, program.HandlerKey(fn))
			for _, caller := range packageCallers(pass, fn, 3) {
				keys = append(keys, program.HandlerKey(caller))
			}
		}
	}
	if len(keys) == 0 {
		return AtMostInfo, ""
	}
	return OnPublicRoute(keys...), ""
}

// packageCallers returns the functions of the package that call fn,
// directly or through up to depth calls of the package: a handler that
// hands its request to a helper (h.upload(w, r)) is what a route
// registers, not the helper that reads the body.
func packageCallers(pass *analysis.Pass, fn *types.Func, depth int) []*types.Func {
	callIdx, _ := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	if callIdx == nil || pass.TypesInfo == nil {
		return nil
	}
	callersOf := func(f *types.Func) []*types.Func {
		var out []*types.Func
		for _, c := range callIdx.Of(f) {
			for p := range c.Enclosing((*ast.FuncDecl)(nil)) {
				if caller, ok := pass.TypesInfo.Defs[p.Node().(*ast.FuncDecl).Name].(*types.Func); ok && caller != f {
					out = append(out, caller)
				}
			}
		}
		return out
	}
	seen := map[*types.Func]bool{fn: true}
	var out []*types.Func
	level := []*types.Func{fn}
	for range depth {
		var next []*types.Func
		for _, f := range level {
			for _, caller := range callersOf(f) {
				if !seen[caller] {
					seen[caller] = true
					out = append(out, caller)
					next = append(next, caller)
				}
			}
		}
		level = next
	}
	return out
}

// bodyLimited reports whether body replaces holder.Body (r.Body =
// http.MaxBytesReader(...)) anywhere.
func bodyLimited(body *ast.BlockStmt, holder ast.Expr) bool {
	return bodyLimitedBefore(body, holder, token.NoPos)
}

// bodyLimitedBefore is bodyLimited counting only assignments before pos
// (anywhere when pos is NoPos): a body replaced after it was read whole
// (r.Body = io.NopCloser(bytes.NewReader(data)), to read it again) limited
// nothing.
func bodyLimitedBefore(body *ast.BlockStmt, holder ast.Expr, pos token.Pos) bool {
	want := types.ExprString(holder) + ".Body"
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && (!pos.IsValid() || as.Pos() < pos) {
			for _, l := range as.Lhs {
				if types.ExprString(l) == want {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// limiterCalledBefore reports whether body hands holder, before pos, to a
// function of the package that limits a request's body (program's
// BodyLimiter: h.limitRequestBody(w, r), readBodyWithLimit(w, r), which
// read a bounded copy and put it back).
func limiterCalledBefore(info *types.Info, model *program.Model, body *ast.BlockStmt, holder ast.Expr, pos token.Pos) bool {
	if info == nil || model == nil {
		return false
	}
	want := types.ExprString(holder)
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found || call.Pos() >= pos || !model.LimitsBody(code.Callee(info, call)) {
			return !found
		}
		for _, a := range call.Args {
			if types.ExprString(a) == want {
				found = true
			}
		}
		return !found
	})
	return found
}

// handedRequest reports whether holder is a request parameter of the
// function literal enclosing c, and that literal is an argument of a call
// but not itself an HTTP handler: the callee decides which request it gets
// (o.handle(w, r, func(c *Client, r *http.Request) {...}) may hand on a
// request whose body it has read and replaced already).
func handedRequest(info *types.Info, file *ast.File, c inspector.Cursor, holder ast.Expr) bool {
	id, ok := ast.Unparen(holder).(*ast.Ident)
	if !ok || info == nil {
		return false
	}
	for p := range c.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		lit, ok := p.Node().(*ast.FuncLit)
		if !ok {
			return false
		}
		if _, isCall := p.Parent().Node().(*ast.CallExpr); !isCall || handler.IsHTTP(info, file, lit.Type) {
			return false
		}
		for _, field := range lit.Type.Params.List {
			for _, n := range field.Names {
				if info.Defs[n] != nil && info.Defs[n] == info.Uses[id] {
					return true
				}
			}
		}
		return false
	}
	return false
}

func runQueryInLoop(pass *analysis.Pass) (any, error) {
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	info := pass.TypesInfo
	decls := code.NewDecls(pass)
	model, _ := pass.ResultOf[program.Analyzer].(*program.Model)
	where := whereOf(pass)
	constLists := packageLiterals(pass)
	sizes := newSizer(pass, callIdx)
	for file, c := range callIdx.All() {
		call := c.Node().(*ast.CallExpr)
		// Tests loop over their cases on purpose; migrations and start-up
		// run once, over what they were given.
		if file == nil || where.Quiet(c) {
			continue
		}
		kind, method := iocall.Of(info, file, call)
		via := ""
		switch {
		case kind == iocall.HTTP:
		case kind == iocall.Database && iocall.ReadMethods[method]:
		case kind == iocall.None:
			// A helper of the module that makes the HTTP call further down
			// (s.lookup(ctx, id) → c.hc.Do): the round trip is the same.
			// Reads only (GET, HEAD): a push, a message or a bookmark sent
			// per element is the work itself, which no batch replaces.
			hc := helperHTTPIn(info, file, model, &ast.ExprStmt{X: call})
			if len(hc) == 0 || hc[0].call != call || (hc[0].method != "GET" && hc[0].method != "HEAD") {
				continue
			}
			kind, via = iocall.HTTP, " (through "+hc[0].chain+")"
		default:
			continue
		}
		loop := collectionLoop(info, c)
		if loop == nil {
			continue
		}
		what := "a database query"
		fix := "fetch them all in one query (WHERE id = ANY($1) or IN (...)) before the loop"
		if kind == iocall.HTTP {
			what = "an HTTP request"
			fix = "use the API's batch endpoint, or bound the calls with a worker pool and a deadline for the whole loop"
		}
		if leavesLoopAfter(c, loop) {
			continue // a search: the call runs once, on the match
		}
		if overFixedSet(loop) || builtFixed(info, decls, enclosingBody(c), loop) || constLists.fixed(info, loop) {
			continue
		}
		// An admin-only operation runs rarely, for a few operators. An HTTP
		// call per element outside a request handler (a sync job, a
		// notifier, a helper) paces a background task; on the request path
		// every request multiplies the calls, which is the load this check
		// is about.
		cat := severityByRoute(where, c)
		if _, inHandler := handler.EnclosingHTTP(info, file, c); kind == iocall.HTTP && cat == "" && !inHandler {
			cat = AtMostInfo
		}
		// Posted where the input sizes the loop: rows of a query, a
		// client's list. A loop over a list of unknown origin (a parameter
		// no caller in the package fills from input) is usually short; one
		// that writes each element inside a transaction is a bounded save
		// (the tags of one bookmark), which a batch would not change much.
		note := ""
		switch src := sizes.loop(file, c, loop); {
		case src == sizeUnknown:
			cat, note = AtMostInfo, " (info only: what decides the length of this collection is not in sight)"
		case kind == iocall.Database && txSave(info, file, call, loop):
			cat, note = AtMostInfo, " (info only: each element is saved inside one transaction, a bounded save)"
		default:
			note = " (" + string(src) + " decides how many)"
		}
		reportIn(pass, call, cat, what+via+" for every element of the collection (N+1): the work grows with the input and under load the round trips multiply; "+fix+note)
	}
	return nil, nil
}

// txSave reports whether a per-element database call runs in a transaction
// (on a Tx, or inside a function literal handed to a Transaction helper)
// and the loop writes each element (an Exec, or a statement that inserts,
// updates or deletes).
func txSave(info *types.Info, file *ast.File, call *ast.CallExpr, loop ast.Node) bool {
	recv, _, ok := code.Selector(call)
	if !ok {
		return false
	}
	_, recvName := code.TypeName(code.TypeOf(info, recv))
	name := strings.ToLower(types.ExprString(recv))
	if recvName != "Tx" && name != "tx" && name != "trx" && !strings.HasSuffix(name, ".tx") {
		return false
	}
	writes := false
	ast.Inspect(loop, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || writes {
			return !writes
		}
		if k, m := iocall.Of(info, file, c); k == iocall.Database && !iocall.ReadMethods[m] {
			writes = true
		}
		for _, a := range c.Args {
			if tv, ok := info.Types[a]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
				q := strings.ToUpper(strings.TrimSpace(constant.StringVal(tv.Value)))
				writes = writes || strings.HasPrefix(q, "INSERT") || strings.HasPrefix(q, "UPDATE") || strings.HasPrefix(q, "DELETE")
			}
		}
		return !writes
	})
	return writes
}

// collectionLoop returns the innermost loop around c, in its own function,
// that walks a collection: a range over a slice, array, map or string, or a
// for loop bounded by len(...). Loops over batches, pages or chunks, over a
// literal list, over channels (workers) and counted loops are left alone.
func collectionLoop(info *types.Info, c inspector.Cursor) ast.Node {
	for p := range code.Ancestors(c) {
		switch l := p.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return nil
		case *ast.RangeStmt:
			if !code.Contains(l.Body, c.Node().Pos()) {
				continue
			}
			x := ast.Unparen(l.X)
			if _, ok := x.(*ast.CompositeLit); ok || batchName(x) || testTable(x) {
				return nil
			}
			if t := code.TypeOf(info, x); t != nil {
				switch u := t.Underlying().(type) {
				case *types.Slice, *types.Map:
					return l
				case *types.Array:
					return l
				case *types.Pointer:
					if _, ok := u.Elem().Underlying().(*types.Array); ok {
						return l
					}
				}
				return nil
			}
			if _, ok := x.(*ast.BasicLit); ok {
				return nil
			}
			return l
		case *ast.ForStmt:
			if !code.Contains(l.Body, c.Node().Pos()) {
				continue
			}
			if l.Cond != nil && usesLen(l.Cond) && !batchName(l.Cond) {
				return l
			}
			return nil
		}
	}
	return nil
}

// batchName reports whether e mentions batches, chunks or pages, which are
// already the fix for N+1.
func batchName(e ast.Node) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			l := strings.ToLower(id.Name)
			if strings.Contains(l, "batch") || strings.Contains(l, "chunk") || strings.Contains(l, "page") {
				found = true
			}
		}
		return !found
	})
	return found
}

func runLockAcrossIO(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	model, _ := pass.ResultOf[program.Analyzer].(*program.Model)
	where := whereOf(pass)
	info := pass.TypesInfo
	served := servedFuncs(pass, pass.ResultOf[code.CallsAnalyzer].(*code.Calls), model)
	sqlite := localSQLite(pass)
	for file, c := range code.Preorder(insp, (*ast.BlockStmt)(nil)) {
		block := c.Node().(*ast.BlockStmt)
		if file == nil || where.Quiet(c) {
			continue
		}
		fn, _, _ := code.FuncOf(c)
		for i, st := range block.List {
			mu, ok := lockStmt(info, file, st)
			if !ok || perKeyLock(info, st, block.List[:i]) {
				continue
			}
			end, ok := heldUntil(block.List[i+1:], mu)
			if !ok {
				continue
			}
			// One finding per critical section: the fix (unlock before the
			// calls) is one change, and a handler holding a lock across
			// fourteen calls is one comment, not fourteen (read L).
			type held struct {
				call     ast.Node
				cat, msg string
			}
			var found []held
			for k, hs := range block.List[i+1 : i+1+end] {
				// A single cached value (a token) filled on a miss: every
				// caller needs that one value, so waiting for the refresh is
				// the design, and the lock keeps it to one refresh.
				cat, note := "", ""
				switch {
				case cachedValueReturned(block.List[i+1:i+1+k], mu):
					cat, note = AtMostInfo, " (info only: the call fills a single cached value on a miss, which every caller needs)"
				case !sharedMutex(info, fn, st):
					cat, note = AtMostInfo, " (info only: the mutex is the function's own, not one every request shares)"
				case !served.at(info, file, c):
					// Off the request path (a refresher, a sync job) the
					// lock usually makes callers wait for one refresh on
					// purpose; what waits there is not a client.
					cat, note = AtMostInfo, " (info only: not on a request handler's path in this package)"
				}
				for _, call := range sharedIOCallsIn(info, file, hs) {
					kind, _ := iocall.Of(info, file, call)
					article := "a "
					if kind == iocall.HTTP {
						article = "an "
					}
					callCat, callNote := cat, note
					if callCat == "" && sqlite && sqlPoolCall(info, file, call) {
						callCat, callNote = AtMostInfo, " (info only: the database is a local SQLite file, and a lock around it serialises access to that file on purpose)"
					}
					found = append(found, held{call, callCat, article + string(kind) + " call while " + mu + " is held: every other goroutine that needs the lock waits for the network, so one slow peer stalls them all; copy what you need, unlock, then call" + callNote})
				}
				for _, hc := range helperHTTPIn(info, file, model, hs) {
					found = append(found, held{hc.call, cat, "an HTTP call (through " + hc.chain + ") while " + mu + " is held: every other goroutine that needs the lock waits for the network, so one slow peer stalls them all; copy what you need, unlock, then call" + note})
				}
			}
			if len(found) == 0 {
				continue
			}
			pick := found[0]
			for _, f := range found {
				if f.cat == "" {
					pick = f // the first the check would post
					break
				}
			}
			if len(found) > 1 {
				pick.msg += fmt.Sprintf(" (one finding for the %d calls made while %s is held)", len(found), mu)
			}
			reportIn(pass, pick.call, pick.cat, pick.msg)
		}
	}
	return nil, nil
}

// sqlPoolCall reports whether call goes through a database/sql or sqlx
// handle, the kind a SQLite driver serves (not Redis or MongoDB).
func sqlPoolCall(info *types.Info, file *ast.File, call *ast.CallExpr) bool {
	ref := code.Resolve(info, file, call.Fun)
	return ref.Pkg == "database/sql" || ref.Pkg == "github.com/jmoiron/sqlx"
}

// sharedMutex reports whether the lock statement st, in the function fn,
// locks a mutex every caller shares: a field (s.mu), a receiver or
// parameter (an embedded mutex, a handed-in lock) or a package variable,
// not one the function declares in its own body.
func sharedMutex(info *types.Info, fn ast.Node, st ast.Stmt) bool {
	call := ast.Unparen(st.(*ast.ExprStmt).X).(*ast.CallExpr)
	id, ok := ast.Unparen(call.Fun.(*ast.SelectorExpr).X).(*ast.Ident)
	if !ok || info == nil {
		return true
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok {
		return true
	}
	body := code.Body(fn)
	return body == nil || !code.Contains(body, v.Pos())
}

// servedSet holds the functions of the package that serve requests: HTTP
// handlers, concurrent entries (gRPC methods), and the functions they call
// directly.
type servedSet map[*types.Func]bool

// servedFuncs collects the package's request-serving functions.
func servedFuncs(pass *analysis.Pass, calls *code.Calls, model *program.Model) servedSet {
	out := servedSet{}
	info := pass.TypesInfo
	if info == nil {
		return out
	}
	entryAt := map[token.Pos]bool{}
	if model != nil {
		for _, e := range model.Entries {
			if e.Delivery == program.Concurrent {
				entryAt[e.Pos] = true
			}
		}
	}
	for file, c := range calls.All() {
		_, inHandler := handler.EnclosingHTTP(info, file, c)
		if !inHandler {
			fd, _ := code.OuterFuncOf(c)
			decl, ok := fd.(*ast.FuncDecl)
			if !ok || (!entryAt[decl.Pos()] && !entryAt[decl.Name.Pos()]) {
				continue
			}
		}
		if fn := code.Callee(info, c.Node().(*ast.CallExpr)); fn != nil && fn.Pkg() == pass.Pkg {
			out[fn.Origin()] = true
		}
	}
	return out
}

// at reports whether the code at c runs in a request handler, or in a
// function a handler of the package calls directly.
func (s servedSet) at(info *types.Info, file *ast.File, c inspector.Cursor) bool {
	if _, ok := handler.EnclosingHTTP(info, file, c); ok {
		return true
	}
	fd, _ := code.OuterFuncOf(c)
	decl, ok := fd.(*ast.FuncDecl)
	if !ok || info == nil {
		return false
	}
	fn, _ := info.Defs[decl.Name].(*types.Func)
	return fn != nil && s[fn]
}

// helperCall is a call of a module function that makes an HTTP request
// further down, and the chain that leads there.
type helperCall struct {
	call  *ast.CallExpr
	chain string
	// method is the HTTP method when the model knows it.
	method string
}

// helperHTTPIn returns the calls in n, outside function literals and go
// statements, of functions whose program-model summary holds an outbound
// HTTP request (c.fetch(ctx, key) that calls hc.Do two functions down).
// Direct calls are sharedIOCallsIn's.
func helperHTTPIn(info *types.Info, file *ast.File, model *program.Model, n ast.Node) []helperCall {
	if model == nil || info == nil {
		return nil
	}
	var out []helperCall
	ast.Inspect(n, func(x ast.Node) bool {
		switch y := x.(type) {
		case *ast.FuncLit, *ast.GoStmt:
			return false
		case *ast.CallExpr:
			if k, _ := iocall.Of(info, file, y); k != "" {
				return true // a direct call: sharedIOCallsIn's
			}
			fn := code.Callee(info, y)
			sum := model.SummaryOf(fn)
			if sum == nil {
				return true
			}
			for _, e := range sum.Effects {
				if e.Kind != program.HTTPOut {
					continue
				}
				names := []string{program.FuncName(fn)}
				for _, st := range e.Via {
					names = append(names, st.Name)
				}
				out = append(out, helperCall{call: y, chain: strings.Join(names, " → "), method: e.Detail})
				break
			}
		}
		return true
	})
	return out
}

// perKeyLock reports whether the lock statement st locks a mutex picked by
// key: s.locks[id].Lock(), s.lockFor(id).Lock(), or a variable the
// statements before it assign from a map index or a call (mu :=
// s.locks[id]; v, _ := s.locks.LoadOrStore(id, &sync.Mutex{})). Such a lock
// serialises the work on one key on purpose, often across the very call it
// protects (one refresh per account), and other keys do not wait.
func perKeyLock(info *types.Info, st ast.Stmt, before []ast.Stmt) bool {
	call := ast.Unparen(st.(*ast.ExprStmt).X).(*ast.CallExpr)
	x := ast.Unparen(call.Fun.(*ast.SelectorExpr).X)
	keyed := func(e ast.Expr) bool {
		switch y := ast.Unparen(e).(type) {
		case *ast.IndexExpr:
			return true
		case *ast.CallExpr:
			return len(y.Args) > 0
		case *ast.TypeAssertExpr:
			_, ok := ast.Unparen(y.X).(*ast.Ident)
			return ok // v.(*sync.Mutex) after a LoadOrStore
		}
		return false
	}
	if keyed(x) {
		return true
	}
	id, ok := x.(*ast.Ident)
	if !ok || info == nil {
		return false
	}
	obj := info.Uses[id]
	found := false
	for _, b := range before {
		as, ok := b.(*ast.AssignStmt)
		if !ok {
			continue
		}
		for i, l := range as.Lhs {
			lid, ok := l.(*ast.Ident)
			if !ok || obj == nil || (info.Defs[lid] != obj && info.Uses[lid] != obj) {
				continue
			}
			r := as.Rhs[0]
			if len(as.Rhs) == len(as.Lhs) {
				r = as.Rhs[i]
			}
			found = keyed(r)
		}
	}
	return found
}

// lockStmt recognises mu.Lock() and mu.RLock() on a sync.Mutex or RWMutex and
// returns the mutex expression.
func lockStmt(info *types.Info, file *ast.File, st ast.Stmt) (string, bool) {
	es, ok := st.(*ast.ExprStmt)
	if !ok {
		return "", false
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return "", false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || (sel.Sel.Name != "Lock" && sel.Sel.Name != "RLock") {
		return "", false
	}
	ref := code.Resolve(info, file, sel)
	switch {
	case ref.Pkg == "sync" && (ref.Recv == "Mutex" || ref.Recv == "RWMutex" || ref.Recv == "Locker"):
	case ref.Pkg == "" && strings.Contains(strings.ToLower(types.ExprString(sel.X)), "mu"):
		// No types: a receiver named like a mutex.
	default:
		return "", false
	}
	return types.ExprString(sel.X), true
}

// heldUntil returns how many of rest run with mu held: all of them after a
// deferred unlock, or those before the first plain unlock. ok is false when
// the block never unlocks mu (the lock is released elsewhere).
func heldUntil(rest []ast.Stmt, mu string) (int, bool) {
	for i, st := range rest {
		switch s := st.(type) {
		case *ast.DeferStmt:
			if unlockOf(s.Call, mu) {
				return len(rest), true
			}
			if fl, ok := ast.Unparen(s.Call.Fun).(*ast.FuncLit); ok && containsUnlock(fl.Body, mu) {
				return len(rest), true
			}
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(s.X).(*ast.CallExpr); ok && unlockOf(call, mu) {
				return i, true
			}
		}
	}
	return 0, false
}

func unlockOf(call *ast.CallExpr, mu string) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && (sel.Sel.Name == "Unlock" || sel.Sel.Name == "RUnlock") && types.ExprString(sel.X) == mu
}

func containsUnlock(n ast.Node, mu string) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if call, ok := x.(*ast.CallExpr); ok && unlockOf(call, mu) {
			found = true
		}
		return !found
	})
	return found
}

// sharedIOCallsIn lists the calls in n that go through a client or pool
// that is safe for concurrent use (an http.Client, a sql.DB, a pgxpool.Pool),
// skipping closures and goroutines, which run outside the critical section.
// Calls on a single connection or transaction (pgx.Conn, sql.Conn, sql.Tx)
// and raw dials are left out: such a resource cannot be shared without a
// lock, so holding one around it is the correct design.
func sharedIOCallsIn(info *types.Info, file *ast.File, n ast.Node) []*ast.CallExpr {
	var out []*ast.CallExpr
	ast.Inspect(n, func(x ast.Node) bool {
		switch y := x.(type) {
		case *ast.FuncLit, *ast.GoStmt:
			return false
		case *ast.CallExpr:
			switch k, _ := iocall.Of(info, file, y); k {
			case iocall.HTTP:
				out = append(out, y)
			case iocall.Database:
				if iocall.SharedPool(info, file, y) {
					out = append(out, y)
				}
			}
		}
		return true
	})
	return out
}

// leavesLoopAfter reports whether the call at c sits in a block (inside the
// loop) that ends by returning or breaking out, so that it runs at most once.
func leavesLoopAfter(c inspector.Cursor, loop ast.Node) bool {
	for p := range code.Ancestors(c) {
		if p.Node() == loop {
			return false
		}
		block, ok := p.Node().(*ast.BlockStmt)
		if !ok || len(block.List) == 0 {
			continue
		}
		switch last := block.List[len(block.List)-1].(type) {
		case *ast.ReturnStmt:
			return true
		case *ast.BranchStmt:
			if last.Tok == token.BREAK && last.Label == nil && !inSwitch(p, loop) {
				return true
			}
		}
	}
	return false
}

// inSwitch reports whether a break at c would leave a switch or select
// rather than the loop.
func inSwitch(c inspector.Cursor, loop ast.Node) bool {
	for p := range code.Ancestors(c) {
		switch p.Node().(type) {
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			return true
		}
		if p.Node() == loop {
			return false
		}
	}
	return false
}

// testTable reports whether a ranged expression is a table of test cases.
func testTable(e ast.Expr) bool {
	id := code.RootIdent(e)
	if id == nil {
		return false
	}
	l := strings.ToLower(id.Name)
	return l == "tests" || l == "cases" || l == "tcs" || strings.HasSuffix(l, "testcases") || strings.HasSuffix(l, "tests")
}

// recorded reports whether the response holder comes from
// (*httptest.ResponseRecorder).Result: rec.Result() itself, or a variable
// the function assigns from it. Its body is a buffer the process already
// holds, not a peer's answer.
func recorded(info *types.Info, file *ast.File, body *ast.BlockStmt, holder ast.Expr) bool {
	isResult := func(e ast.Expr) bool {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		return ok && code.Resolve(info, file, call.Fun).Is("net/http/httptest", "ResponseRecorder.Result")
	}
	if isResult(holder) {
		return true
	}
	id, ok := ast.Unparen(holder).(*ast.Ident)
	if !ok || info == nil || info.Uses[id] == nil {
		return false
	}
	obj := info.Uses[id]
	return code.AnyAssignment(body, func(l, r ast.Expr) bool {
		lid, ok := l.(*ast.Ident)
		return ok && (info.Defs[lid] == obj || info.Uses[lid] == obj) && isResult(r)
	})
}

// cachedValueReturned reports whether one of stmts (those run under the lock
// before the call) is a fast path that returns a single cached value held
// next to the mutex: if c.token != nil && valid { return c.token.Value, nil },
// a field of the mutex's owner, not an element picked by key (a per-key
// cache makes every key wait for one key's miss, which stays a finding).
func cachedValueReturned(stmts []ast.Stmt, mu string) bool {
	root := strings.SplitN(mu, ".", 2)[0]
	if root == mu {
		return false // a package-level mutex guards no receiver's fields
	}
	for _, st := range stmts {
		is, ok := st.(*ast.IfStmt)
		if !ok || len(is.Body.List) == 0 {
			continue
		}
		ret, ok := is.Body.List[len(is.Body.List)-1].(*ast.ReturnStmt)
		if !ok || len(ret.Results) == 0 {
			continue
		}
		if fieldOf(ret.Results[0], root) {
			return true
		}
	}
	return false
}

// fieldOf reports whether e is a chain of field selections from the
// variable root (c.token, c.cache.Token), with no index on the way.
func fieldOf(e ast.Expr, root string) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	for ok {
		switch x := ast.Unparen(sel.X).(type) {
		case *ast.Ident:
			return x.Name == root
		case *ast.SelectorExpr:
			sel = x
		default:
			return false
		}
	}
	return false
}

// admissionReview reports whether a handler's body uses a type of
// Kubernetes' admission API (k8s.io/api/admission/v1 or v1beta1: an
// AdmissionReview it decodes and answers): a validating or mutating
// webhook, whose only caller is the cluster's API server over TLS, which
// caps the objects it sends.
func admissionReview(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || found {
			return !found
		}
		if tn, ok := info.Uses[id].(*types.TypeName); ok && tn.Pkg() != nil && strings.HasPrefix(tn.Pkg().Path(), "k8s.io/api/admission/") {
			found = true
		}
		// req, err := readRequest(r.Body): a variable of the API's types,
		// decoded by a helper.
		if v, ok := info.Defs[id].(*types.Var); ok && admissionType(v.Type()) {
			found = true
		}
		return !found
	})
	return found
}

// admissionType reports whether t (or what it points to) is a named type
// of Kubernetes' admission API.
func admissionType(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && strings.HasPrefix(n.Obj().Pkg().Path(), "k8s.io/api/admission/")
}
