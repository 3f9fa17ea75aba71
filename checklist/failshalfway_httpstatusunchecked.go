package checklist

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/iocall"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func httpStatusUncheckedCheck() *Check {
	return &Check{
		Question: finding.FailsHalfway,
		Severity: finding.SeverityWarning,
		Title:    "response body read without checking the status code",
		Rationale: "net/http returns a nil error for every response the server sends, 429 and 500 included. Code " +
			"that decodes the body straight away parses an error page, a rate-limit notice or an empty 204 as " +
			"if it were data: a JSON decode fails with a confusing message at best, and at worst zero values " +
			"are stored as real results (a price of 0, an empty list that wipes a cache). The check reports a " +
			"read of the body (io.ReadAll, a decoder, io.Copy…) of a response from net/http when the function " +
			"never looks at StatusCode or Status and does not hand the response to another function. An API that " +
			"reports failure in the body (Telegram's and Slack's `ok`, an `error` field) is checked when the " +
			"decoded value's status field is tested, and that stays silent. A function that hands its callers a " +
			"value carrying its own verdict (a result type with a Valid() bool method, such as an OAuth2 token, or " +
			"with a status or code field, an API envelope) is at most info: an error reply shows downstream as an " +
			"invalid token or a failed envelope. Posted where the reply is kept as data with no step after it to " +
			"fail: saved to a file (io.Copy into an *os.File, a file the function creates) or written back to a " +
			"client; a reply decoded and used inside the function, or handed to the caller (the bytes read, the " +
			"value decoded, a field or a literal built from it, a parameter filled), is at most info, since on the " +
			"reads of applications an error page there failed the decode or the step after it more often than it " +
			"was taken for data. " +
			"Where it speaks: every function of the module, at warning; test support (tests, mocks, fakes, examples, end-to-end harnesses) is silent, and one-shot code (start-up, migrations, CLI commands, build-time generators and dev tools under hack/, scripts/ or tools/) is at most info unless it loops for the life of the process.",
		Fix: "Check resp.StatusCode before decoding, and turn unexpected codes into an error that carries the status.",
		Bad: `resp, err := c.http.Do(req)
if err != nil {
	return nil, err
}
defer resp.Body.Close()
var p Price
return &p, json.NewDecoder(resp.Body).Decode(&p)`,
		Good: `resp, err := c.http.Do(req)
if err != nil {
	return nil, err
}
defer resp.Body.Close()
if resp.StatusCode != http.StatusOK {
	return nil, fmt.Errorf("price %s: unexpected status %s", sku, resp.Status)
}
var p Price
return &p, json.NewDecoder(resp.Body).Decode(&p)`,
		Analyzer: httpStatusUncheckedAnalyzer,
	}
}

var httpStatusUncheckedAnalyzer = &analysis.Analyzer{
	Name:             "http_status_unchecked",
	Doc:              "reports HTTP response bodies read with no check of the status code",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.WhereAnalyzer},
	RunDespiteErrors: true,
	Run:              placed(runHTTPStatusUnchecked, false),
}

func runHTTPStatusUnchecked(pass *analysis.Pass) (any, error) {
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	info := code.Info(pass)
	var imps code.Imports
	var impsFile *ast.File
calls:
	for file, c := range callIdx.All() {
		if file != impsFile {
			impsFile, imps = file, code.FileImports(file)
		}
		call := c.Node().(*ast.CallExpr)
		if !maySendHTTP(info, imps, call) {
			continue
		}
		stack := code.Stack(c)
		fn := code.EnclosingFunc(stack)
		body := code.Body(fn)
		if body == nil || code.IsTestFile(pass.Fset, call.Pos()) || !sendsHTTP(info, imps, body, call) {
			continue
		}
		resp, _, ok := code.AssignedFrom(info, stack, call, 0)
		if !ok {
			continue
		}
		uses := code.Uses(info, body, resp)
		if code.Escapes(uses, nil) {
			continue // someone else may check the status
		}
		var read *ast.CallExpr
		for _, u := range uses {
			switch {
			case u.Kind == code.UseField && (u.Name == "StatusCode" || u.Name == "Status"):
				continue calls
			case u.Kind == code.UseField && u.Name == "Body" && read == nil:
				read = bodyRead(u)
			}
		}
		if read != nil && !checksBodyStatus(info, body) {
			cat := ""
			note := ""
			switch {
			case validatedByCallers(info, fn) || decodesEnvelope(info, pass.Files, read) || decodesOnlyLists(info, body) || imageDecode(info, read):
				cat = AtMostInfo
			case failsOnEmptyField(info, body):
				cat, note = AtMostInfo, " (info: the function fails when a decoded field is empty, which is what an error reply decodes to)"
			case readsContentType(info, body, resp):
				cat, note = AtMostInfo, " (info: the function reads the reply's Content-Type, which turns away HTML and XML error pages)"
			case savesBody(info, body, read):
			default:
				// Decoded and used here or by the caller: on the reads of
				// applications (G to K) an error page failed the decode, or
				// decoded to empty fields that the next step refused, in
				// two of three posted findings; what was kept as data
				// (saved as a download, forwarded to a client) was wanted.
				switch replyHandedOut(info, fn, body, read) {
				case "":
					cat, note = AtMostInfo, " (info: the reply is used within this function, where an error page usually fails the decode or the step after it; posted where the body is saved to a file or forwarded to a client)"
				case "caller":
					cat, note = AtMostInfo, " (info: the reply is handed to the caller, where an error page usually fails the decode or the step after it; posted where the body is saved to a file or forwarded to a client)"
				}
			}
			reportIn(pass, read, cat, fmt.Sprintf("this reads %s.Body without checking %s.StatusCode: net/http returns no error for 429 or 500, so an error page or an empty reply is taken as data; check the status first", resp.Name, resp.Name)+note)
		}
	}
	return nil, nil
}

// maySendHTTP is sendsHTTP's test without the function body: false only for
// calls it can never accept, so that the walk builds a stack for few calls.
func maySendHTTP(info *types.Info, imps code.Imports, call *ast.CallExpr) bool {
	if iocall.Outbound(info, imps, call) == iocall.OutHTTP {
		return true
	}
	_, ok := ast.Unparen(call.Fun).(*ast.Ident)
	return ok // a function value, resolved from the body later
}

// sendsHTTP reports whether call sends an HTTP request through net/http,
// directly or through a function value assigned from one.
func sendsHTTP(info *types.Info, imps code.Imports, body *ast.BlockStmt, call *ast.CallExpr) bool {
	if iocall.Outbound(info, imps, call) == iocall.OutHTTP {
		return true
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		fn := funcValue(info, body, id)
		return code.IsPkgFunc(fn, "net/http", "Get", "Head", "Post", "PostForm") ||
			code.IsMethod(fn, "net/http", "Client", "Do", "Get", "Post", "PostForm")
	}
	return false
}

// bodyRead returns the call that reads resp.Body when the use is an
// argument of one (io.ReadAll(resp.Body), json.NewDecoder(resp.Body)…), or nil
// for Close and other method calls on the body.
func bodyRead(u code.Use) *ast.CallExpr {
	sel, ok := u.Parent().(*ast.SelectorExpr)
	if !ok || len(u.Stack) < 3 {
		return nil
	}
	call, ok := u.Stack[len(u.Stack)-3].(*ast.CallExpr)
	if !ok {
		return nil
	}
	if u.Deferred {
		return nil // draining in a deferred cleanup
	}
	if _, name, ok := code.Selector(call); ok && name == "Copy" && len(call.Args) == 2 {
		if d, ok := ast.Unparen(call.Args[0]).(*ast.SelectorExpr); ok && d.Sel.Name == "Discard" {
			return nil // io.Copy(io.Discard, resp.Body) drains for connection reuse
		}
	}
	if code.Discarded(u.Stack, call) {
		return nil // _, _ = io.ReadAll(resp.Body): drained, nothing kept
	}
	for _, a := range call.Args {
		if ast.Unparen(a) == ast.Expr(sel) {
			return call
		}
	}
	return nil
}

// imageDecode reports whether read decodes an image (image.Decode,
// image.DecodeConfig, png.Decode, ...): an error page fails to decode and
// the caller gets that error, so nothing wrong is taken as data; only the
// message is less clear.
func imageDecode(info *types.Info, read *ast.CallExpr) bool {
	fn := code.Callee(info, read)
	if fn == nil || fn.Pkg() == nil || (fn.Name() != "Decode" && fn.Name() != "DecodeConfig") {
		return false
	}
	p := fn.Pkg().Path()
	return p == "image" || strings.HasPrefix(p, "image/") || strings.HasPrefix(p, "golang.org/x/image/")
}

// bodyStatusFields name the fields in which APIs such as Telegram's and
// Slack's report failure inside the body, whatever the HTTP status.
var bodyStatusFields = []string{"Ok", "OK", "Success", "Succeeded", "Error", "Errors", "Err", "ErrorCode", "ErrCode", "Errcode", "Status"}

// readsContentType reports whether body reads resp's Content-Type header
// (resp.Header.Get("Content-Type")): a function that gates on the media type
// turns away the HTML or XML error pages of proxies and object stores,
// though not an API's JSON error reply.
func readsContentType(info *types.Info, body *ast.BlockStmt, resp code.Var) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found || len(call.Args) != 1 {
			return !found
		}
		get, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || get.Sel.Name != "Get" {
			return true
		}
		hdr, ok := ast.Unparen(get.X).(*ast.SelectorExpr)
		if !ok || hdr.Sel.Name != "Header" || !resp.Is(info, hdr.X) {
			return true
		}
		name, ok := constString(info, call.Args[0])
		found = ok && strings.EqualFold(name, "Content-Type")
		return !found
	})
	return found
}

// checksBodyStatus reports whether body decodes into a variable (Decode(&v),
// Unmarshal(data, &v)) and then tests one of its status fields (if !v.Ok,
// if v.Error != ""): the API's own status is checked, which covers what the
// HTTP status would say.
func checksBodyStatus(info *types.Info, body *ast.BlockStmt) bool {
	targets := decodeTargetVars(info, body)
	if len(targets) == 0 {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		ifs, ok := n.(*ast.IfStmt)
		if !ok || found {
			return !found
		}
		ast.Inspect(ifs.Cond, func(c ast.Node) bool {
			sel, ok := c.(*ast.SelectorExpr)
			if !ok || !code.OneOf(sel.Sel.Name, bodyStatusFields...) {
				return !found
			}
			for _, v := range targets {
				if v.Is(info, sel.X) {
					found = true
				}
			}
			return !found
		})
		return !found
	})
	return found
}

// validatedByCallers reports whether the function hands its callers a value
// that carries its own verdict, so that a failed call is caught where the
// value is used: a result whose type has a Valid() bool method (an OAuth2
// token, which callers test with token.Valid()) or a status field (an API
// envelope's Code, ErrCode, Ok, Error…), or a decode target with such a
// field that the function returns. An error reply then shows as an invalid
// token or a failed envelope downstream: worth knowing, not a comment.
func validatedByCallers(info *types.Info, fn ast.Node) bool {
	if info == nil {
		return false
	}
	var sig *types.Signature
	switch f := fn.(type) {
	case *ast.FuncDecl:
		if obj, ok := info.Defs[f.Name].(*types.Func); ok {
			sig, _ = obj.Type().(*types.Signature)
		}
	case *ast.FuncLit:
		sig, _ = info.TypeOf(f).(*types.Signature)
	}
	if sig == nil {
		return false
	}
	for v := range sig.Results().Variables() {
		if carriesVerdict(v.Type()) {
			return true
		}
	}
	return false
}

// carriesVerdict reports whether values of type t say themselves whether
// they are good: a Valid() bool method, or a status field (bodyStatusFields,
// or Code).
func carriesVerdict(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if m, _, _ := types.LookupFieldOrMethod(t, true, nil, "Valid"); m != nil {
		if f, ok := m.(*types.Func); ok {
			if sig := f.Type().(*types.Signature); sig.Params().Len() == 0 && sig.Results().Len() == 1 {
				if b, ok := sig.Results().At(0).Type().(*types.Basic); ok && b.Kind() == types.Bool {
					return true
				}
			}
		}
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for f := range st.Fields() {
		if code.OneOf(f.Name(), bodyStatusFields...) || f.Name() == "Code" {
			return true
		}
	}
	return false
}

// decodesEnvelope reports whether the body is handed to a decoder of the
// package (DecodeClientResponse(r.Body, &reply)) that decodes it into a
// type carrying its own verdict (a JSON-RPC envelope with an Error field, an
// API's Code): the protocol's error reply is turned into an error there.
func decodesEnvelope(info *types.Info, files []*ast.File, read *ast.CallExpr) bool {
	if info == nil {
		return false
	}
	fn := code.Callee(info, read)
	if fn == nil {
		return false
	}
	var decl *ast.FuncDecl
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && info.Defs[fd.Name] == fn {
				decl = fd
			}
		}
	}
	if decl == nil {
		return false
	}
	found := false
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		if _, name, ok := code.Selector(call); !ok || (name != "Decode" && name != "Unmarshal") {
			return true
		}
		for _, a := range call.Args {
			if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND {
				if t := info.TypeOf(u.X); t != nil && carriesVerdict(t) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// decodesOnlyLists reports whether every JSON decode in body (Decode(&v),
// Unmarshal(data, &v)) fills a slice or an array: an API's error reply is
// an object or an HTML page, which fails to decode into a list, so the
// decode's own error already stops it from being taken as data. A struct
// target is different: an error object decodes into it as zero values.
func decodesOnlyLists(info *types.Info, body *ast.BlockStmt) bool {
	targets := decodeTargets(body)
	for _, x := range targets {
		t := info.TypeOf(x)
		if t == nil {
			return false
		}
		switch t.Underlying().(type) {
		case *types.Slice, *types.Array:
		default:
			return false
		}
	}
	return len(targets) > 0
}

// decodeTargetVars returns the local variables body decodes into (the x of
// each &x handed to a Decode or Unmarshal call).
func decodeTargetVars(info *types.Info, body *ast.BlockStmt) []code.Var {
	var out []code.Var
	for _, x := range decodeTargets(body) {
		if v, ok := code.LocalVar(info, x); ok {
			out = append(out, v)
		}
	}
	return out
}

// decodeTargets returns what body decodes into: x of each &x handed to a
// Decode or Unmarshal call.
func decodeTargets(body *ast.BlockStmt) []ast.Expr {
	var out []ast.Expr
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if _, name, ok := code.Selector(call); !ok || (name != "Decode" && name != "Unmarshal") {
			return true
		}
		for _, a := range call.Args {
			if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND {
				out = append(out, u.X)
			}
		}
		return true
	})
	return out
}

// failsOnEmptyField reports whether body tests a field of a value it
// decoded the reply into against its zero value (tok.AccessToken == "",
// len(out.Items) == 0, user.ID == 0, key == nil) and returns an error
// there: an error object or page decodes to zero fields, so the function
// already refuses it, with a less clear message. A test that only skips
// work (if tok != "" { set the header }) does not count.
func failsOnEmptyField(info *types.Info, body *ast.BlockStmt) bool {
	targets := decodeTargetVars(info, body)
	if len(targets) == 0 {
		return false
	}
	fieldOfTarget := func(e ast.Expr) bool {
		e = ast.Unparen(e)
		if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
			if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "len" {
				e = ast.Unparen(call.Args[0])
			}
		}
		for {
			sel, ok := e.(*ast.SelectorExpr)
			if !ok {
				return false
			}
			for _, v := range targets {
				if v.Is(info, sel.X) {
					return true
				}
			}
			e = ast.Unparen(sel.X) // out.Data.Token
		}
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		ifs, ok := n.(*ast.IfStmt)
		if !ok || found {
			return !found
		}
		emptyTest := false
		ast.Inspect(ifs.Cond, func(c ast.Node) bool {
			be, ok := c.(*ast.BinaryExpr)
			if ok && (be.Op == token.EQL || be.Op == token.LEQ) &&
				((fieldOfTarget(be.X) && code.ZeroLiteral(be.Y)) || (fieldOfTarget(be.Y) && code.ZeroLiteral(be.X))) {
				emptyTest = true
			}
			return !emptyTest
		})
		if emptyTest && returnsError(info, ifs.Body) {
			found = true
		}
		return !found
	})
	return found
}

// returnsError reports whether blk ends in a return whose last result is an
// error that is not the nil identifier.
func returnsError(info *types.Info, blk *ast.BlockStmt) bool {
	if blk == nil || len(blk.List) == 0 {
		return false
	}
	ret, ok := blk.List[len(blk.List)-1].(*ast.ReturnStmt)
	if !ok || len(ret.Results) == 0 {
		return false
	}
	last := ret.Results[len(ret.Results)-1]
	if isNilIdent(last) {
		return false
	}
	t := info.TypeOf(last)
	errIface, _ := types.Universe.Lookup("error").Type().Underlying().(*types.Interface)
	return t != nil && errIface != nil && types.Implements(t, errIface)
}

// savesBody reports whether the body read by read is kept: copied into a
// file (io.Copy(f, resp.Body) with f an *os.File) or, read whole, written to
// one (os.WriteFile(name, data, …)), or the function creates a file at all
// around the copy (os.Create, os.OpenFile). An error page saved as the
// download is taken for data with no step after it to fail.
func savesBody(info *types.Info, body *ast.BlockStmt, read *ast.CallExpr) bool {
	if code.IsPkgCall(info, nil, read, "io", "Copy", "CopyN", "CopyBuffer") && len(read.Args) > 0 {
		if t := info.TypeOf(read.Args[0]); t != nil && code.IsNamed(t, "os", "File") {
			return true
		}
	}
	return code.AnyCall(body, func(call *ast.CallExpr) bool {
		return code.IsPkgCall(info, nil, call, "os", "WriteFile", "Create", "OpenFile", "CreateTemp")
	})
}

// replyHandedOut says where what the reply was read or decoded into leaves
// the function as data: "caller" when the read is returned (return
// decode(resp.Body, p)), or a value it filled (the decode's target, the
// bytes io.ReadAll gave) is returned or is a parameter the caller passed in
// to be filled; "client" when it is written to an http.ResponseWriter (the
// error page forwarded to the client as the answer); "" when it stays.
func replyHandedOut(info *types.Info, fn ast.Node, body *ast.BlockStmt, read *ast.CallExpr) string {
	targets := decodeTargetVars(info, body)
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.ReturnStmt:
			if code.Contains(x, read.Pos()) {
				found = true
			}
		case *ast.AssignStmt:
			for _, r := range x.Rhs {
				if code.Contains(r, read.Pos()) && len(x.Lhs) > 0 {
					// data, err := io.ReadAll(resp.Body): the data, not
					// the error, is what the reply filled.
					if t := info.TypeOf(x.Lhs[0]); t != nil && isErrorType(t) {
						continue
					}
					if v, ok := code.LocalVar(info, x.Lhs[0]); ok {
						targets = append(targets, v)
					}
				}
			}
		}
		return !found
	})
	if found {
		return "caller"
	}
	if ft := code.FuncType(fn); ft != nil && ft.Params != nil {
		for _, f := range ft.Params.List {
			for _, name := range f.Names {
				for _, v := range targets {
					if v.Is(info, name) {
						return "caller" // a parameter the caller passed in to be filled
					}
				}
			}
		}
	}
	mentions := func(e ast.Node) bool {
		hit := false
		ast.Inspect(e, func(m ast.Node) bool {
			if id, ok := m.(*ast.Ident); ok {
				for _, v := range targets {
					if v.Is(info, id) {
						hit = true
					}
				}
			}
			return !hit
		})
		return hit
	}
	kind := ""
	ast.Inspect(body, func(n ast.Node) bool {
		if _, lit := n.(*ast.FuncLit); lit || kind == "client" {
			return false
		}
		switch x := n.(type) {
		case *ast.ReturnStmt:
			for _, r := range x.Results {
				// The value itself, its address, a field of it or a
				// conversion of it (string(b)); not a call that uses it.
				e := ast.Unparen(r)
				for {
					switch y := e.(type) {
					case *ast.UnaryExpr:
						e = ast.Unparen(y.X)
						continue
					case *ast.SelectorExpr:
						e = ast.Unparen(y.X)
						continue
					case *ast.CallExpr:
						if tv, ok := info.Types[y.Fun]; ok && tv.IsType() && len(y.Args) == 1 {
							e = ast.Unparen(y.Args[0])
							continue
						}
					}
					break
				}
				if id, ok := e.(*ast.Ident); ok && mentions(id) {
					kind = "caller"
				}
				if lit, ok := e.(*ast.CompositeLit); ok && mentions(lit) {
					kind = "caller" // return &Price{Amount: p.Amount}, nil
				}
			}
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Write" && len(x.Args) == 1 {
				if t := info.TypeOf(sel.X); t != nil && code.IsNamed(t, "net/http", "ResponseWriter") && mentions(x.Args[0]) {
					kind = "client"
				}
			}
		}
		return kind != "client"
	})
	return kind
}
