package checklist

import (
	"go/ast"
	"go/types"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/internal/handler"
	"github.com/prodready/prodready/checklist/program"
)

// Where the stream a helper reads whole comes from is decided by its
// callers. read-unbounded judges a read where it happens by the stream's
// source (program.TrustOf); a read of a parameter is judged where the
// helper is called instead: a helper's function carries a paramReads fact
// naming the parameters it reads whole, and a call that passes a client's
// request body to one is reported at the call, in the handler, where the
// limit belongs. A caller that passes an upstream's response, or anything
// else, is not reported: the service chose that peer.

// paramReads is the fact of a function that reads some of its parameters
// whole, with no size limit, itself or through the helpers it calls.
type paramReads struct {
	Params []paramRead
}

// paramRead is one parameter read whole.
type paramRead struct {
	// Index is the parameter's position in the signature.
	Index int
	// Kind is what the parameter is: "stream" (an io.Reader), "request"
	// (an *http.Request whose Body is read).
	Kind string
	// Chain names the calls down to the read: "decodeJSON → json.NewDecoder".
	Chain string
}

// AFact marks paramReads as an analysis fact.
func (*paramReads) AFact() {}

func (p *paramReads) String() string {
	var parts []string
	for _, r := range p.Params {
		parts = append(parts, r.Kind+" "+strconv.Itoa(r.Index)+": "+r.Chain)
	}
	return "reads whole " + strings.Join(parts, ", ")
}

// readParamsOf computes the paramReads of the package's functions (within
// the package to a fixed point, across packages through facts), exports
// them, and returns them by function.
func readParamsOf(pass *analysis.Pass) map[*types.Func]*paramReads {
	out := map[*types.Func]*paramReads{}
	info := pass.TypesInfo
	if info == nil {
		return out
	}
	type fn struct {
		obj  *types.Func
		decl *ast.FuncDecl
		file *ast.File
	}
	var fns []fn
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			if obj, ok := info.Defs[fd.Name].(*types.Func); ok {
				fns = append(fns, fn{obj, fd, f})
			}
		}
	}
	factOf := func(callee *types.Func) *paramReads {
		if r, ok := out[callee]; ok {
			return r
		}
		if callee.Pkg() == pass.Pkg {
			return nil
		}
		var r paramReads
		if pass.ImportObjectFact(callee, &r) {
			return &r
		}
		return nil
	}
	for range 4 {
		changed := false
		for _, f := range fns {
			r := paramReadsIn(info, f.file, f.decl, f.obj, factOf)
			if r == nil || (out[f.obj] != nil && len(out[f.obj].Params) == len(r.Params)) {
				continue
			}
			out[f.obj] = r
			changed = true
		}
		if !changed {
			break
		}
	}
	for obj, r := range out {
		pass.ExportObjectFact(obj, r)
	}
	return out
}

// paramReadsIn finds the parameters of fd that it reads whole: passed to a
// whole-read (io.ReadAll(body), json.NewDecoder(r.Body)) or to a helper
// that reads that parameter whole, and never replaced in fd (body =
// io.LimitReader(body, n), r.Body = http.MaxBytesReader(...)). An HTTP
// handler's own request is left out: its reads are reported where they are.
func paramReadsIn(info *types.Info, file *ast.File, fd *ast.FuncDecl, obj *types.Func, factOf func(*types.Func) *paramReads) *paramReads {
	sig, ok := obj.Type().(*types.Signature)
	if !ok || !readableParam(sig.Params()) {
		return nil // nothing to read whole: skip the walk of the body
	}
	isHandler := handler.IsHTTP(info, file, fd.Type)
	params := map[types.Object]int{}
	for i := range sig.Params().Len() {
		params[sig.Params().At(i)] = i
	}
	// param returns the parameter index and kind that e reads: the
	// parameter itself (a stream) or its Body (a request).
	param := func(e ast.Expr) (int, string, bool) {
		e = ast.Unparen(e)
		if sel, ok := e.(*ast.SelectorExpr); ok && sel.Sel.Name == "Body" {
			id, ok := ast.Unparen(sel.X).(*ast.Ident)
			if !ok {
				return 0, "", false
			}
			i, ok := params[info.Uses[id]]
			if !ok || isHandler || !code.IsPointerTo(info.TypeOf(id), netHTTP, "Request") || bodyLimited(fd.Body, id) {
				return 0, "", false
			}
			return i, "request", true
		}
		id, ok := e.(*ast.Ident)
		if !ok {
			return 0, "", false
		}
		i, ok := params[info.Uses[id]]
		if !ok || !isReader(info.TypeOf(id)) || reassigned(info, fd.Body, info.Uses[id]) {
			return 0, "", false
		}
		return i, "stream", true
	}
	found := map[int]paramRead{}
	add := func(i int, kind, chain string) {
		if _, ok := found[i]; !ok {
			found[i] = paramRead{Index: i, Kind: kind, Chain: chain}
		}
	}
	name := obj.Name()
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if what, src, ok := bodyReader(info, file, call); ok {
			if i, kind, ok := param(src); ok {
				add(i, kind, name+" → "+what)
			}
			return true
		}
		callee := code.Callee(info, call)
		if callee == nil {
			return true
		}
		r := factOf(callee.Origin())
		if r == nil {
			return true
		}
		for _, pr := range r.Params {
			if pr.Index >= len(call.Args) {
				continue
			}
			arg := call.Args[pr.Index]
			if pr.Kind == "request" {
				if id, ok := ast.Unparen(arg).(*ast.Ident); ok {
					if i, isParam := params[info.Uses[id]]; isParam && !isHandler && !bodyLimited(fd.Body, id) {
						add(i, "request", name+" → "+pr.Chain)
					}
				}
				continue
			}
			if i, kind, ok := param(arg); ok {
				add(i, kind, name+" → "+pr.Chain)
			}
		}
		return true
	})
	if len(found) == 0 {
		return nil
	}
	r := &paramReads{}
	for _, pr := range found {
		r.Params = append(r.Params, pr)
	}
	sort.Slice(r.Params, func(i, j int) bool { return r.Params[i].Index < r.Params[j].Index })
	return r
}

// readableParam reports whether any of params can be found read whole: a
// stream (see isReader), or a request, which a helper's request parameter
// also takes as a type parameter or a named pointer to http.Request.
func readableParam(params *types.Tuple) bool {
	for v := range params.Variables() {
		t := v.Type()
		if isReader(t) {
			return true
		}
		if _, ok := types.Unalias(t).(*types.TypeParam); ok {
			return true
		}
		if p, ok := t.Underlying().(*types.Pointer); ok && code.IsNamed(p.Elem(), netHTTP, "Request") {
			return true
		}
	}
	return false
}

// isReader reports whether t is an interface type that includes io.Reader's
// Read (io.Reader, io.ReadCloser), the type of a stream handed to a helper.
func isReader(t types.Type) bool {
	if t == nil {
		return false
	}
	it, ok := t.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	for m := range it.Methods() {
		if m.Name() == "Read" {
			return true
		}
	}
	return false
}

// reassigned reports whether body assigns to the variable obj: a limit put
// in front of the stream (body = io.LimitReader(body, n)).
func reassigned(info *types.Info, body *ast.BlockStmt, obj types.Object) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok {
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && info.Uses[id] == obj {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// clientArg reports whether a call in an HTTP handler passes, as arg, a
// client's stream that pr reads whole: the handler's request (for a
// "request" parameter) or a request's Body, a multipart part or an
// uploaded file (for a "stream" one), with no limit put on the request in
// the handler first.
func clientArg(info *types.Info, file *ast.File, model *program.Model, body *ast.BlockStmt, arg ast.Expr, kind string) bool {
	arg = ast.Unparen(arg)
	if kind == "request" {
		return code.IsPointerTo(info.TypeOf(arg), netHTTP, "Request") && !bodyLimited(body, arg) && !limitsRequest(info, file, model, body)
	}
	if sel, ok := arg.(*ast.SelectorExpr); ok && sel.Sel.Name == "Body" && code.IsPointerTo(info.TypeOf(sel.X), netHTTP, "Request") {
		return !bodyLimited(body, sel.X) && !limitsRequest(info, file, model, body)
	}
	return uploadStream(info, arg) && !limitsRequest(info, file, model, body)
}

// uploadStream reports whether e is a part of a multipart upload: a
// *multipart.Part or a multipart.File (what r.FormFile returns).
func uploadStream(info *types.Info, e ast.Expr) bool {
	t := info.TypeOf(e)
	if t == nil {
		return false
	}
	return code.IsPointerTo(t, "mime/multipart", "Part") || types.TypeString(t, nil) == "mime/multipart.File"
}

// limitsRequest reports whether body calls http.MaxBytesReader anywhere,
// or a function of the package that does (h.limitRequestBody(w, r)): the
// request's body is limited before whatever reads it.
func limitsRequest(info *types.Info, file *ast.File, model *program.Model, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if code.Resolve(info, file, call.Fun).Is(netHTTP, "MaxBytesReader") || model.LimitsBody(code.Callee(info, call)) {
				found = true
			}
		}
		return !found
	})
	return found
}

// helperReadsClient reports the call at c when it is in an HTTP handler and
// passes a client's stream to a parameter its callee reads whole.
func helperReadsClient(pass *analysis.Pass, file *ast.File, c inspector.Cursor, reads map[*types.Func]*paramReads, where *program.Where) {
	info := pass.TypesInfo
	if info == nil {
		return
	}
	call := c.Node().(*ast.CallExpr)
	callee := code.Callee(info, call)
	if callee == nil {
		return
	}
	r := reads[callee.Origin()]
	if r == nil && callee.Pkg() != pass.Pkg {
		var imported paramReads
		if pass.ImportObjectFact(callee.Origin(), &imported) {
			r = &imported
		}
	}
	if r == nil {
		return
	}
	if _, inHandler := handler.EnclosingHTTP(info, file, c); !inHandler {
		return
	}
	_, body := code.OuterFuncOf(c)
	model, _ := pass.ResultOf[program.Analyzer].(*program.Model)
	for _, pr := range r.Params {
		if pr.Index >= len(call.Args) || body == nil || !clientArg(info, file, model, body, call.Args[pr.Index], pr.Kind) {
			continue
		}
		cat, note := clientReadSeverity(pass, file, c, where)
		reportIn(pass, call, cat, "this passes the request body to "+pr.Chain+", which reads it whole with no size limit: one large or endless upload takes all the memory and the process is killed; limit it first: r.Body = http.MaxBytesReader(w, r.Body, limit)"+note)
		return
	}
}
