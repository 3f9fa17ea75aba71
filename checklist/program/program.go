// Package program holds the program model of a module: its entry points and
// how each is delivered, a call graph over the module's own packages, and
// per-function summaries of effects and guards carried up that graph. Checks
// Require [Analyzer] and read its [*Model] result.
//
// Decisions:
//
//   - The model is one go/analysis analyzer. Its result is the package's
//     model; what must cross packages travels as analysis facts: a
//     [*Summary] per function with effects (and a package [*Methods] fact
//     listing concrete methods for interface dispatch). Facts exist only for
//     packages analysed from syntax. prodready loads the module's own
//     packages as roots with syntax and everything else from export data;
//     golang.org/x/tools/go/analysis/checker still runs a fact-using
//     analyzer on those export-data packages (they have types but no files),
//     where the run returns an empty model at once. A call into such a
//     package therefore has no summary, and the chain stops there: the
//     model records it in [Model.Cut].
//   - A node of the graph is a declared function or method. Function
//     literals belong to the function that holds them (a closure handed to
//     errgroup.Go, a retry helper or a go statement runs that function's
//     work), except a literal that is itself an entry point (a NATS
//     callback, a route's handler), which is a node of its own.
//   - Calls are static calls and method calls, interface method calls
//     dispatched to every concrete type of the current package or of a
//     module package it imports that implements the interface, and named
//     functions or method values passed as arguments (errgroup.Go(s.sync),
//     retry.Do(c.charge)). Recursion is cut where a cycle closes.
//   - Dispatch finds candidates through each package's [Methods] fact, an
//     index of its types by method name, and gives up on an interface with
//     more than [maxTargets] implementations (runtime.Object and the like
//     are frameworks' interfaces, not a service's seams). A call of one of
//     the module's interfaces with no implementation in sight is carried up
//     as an [OpenCall] and dispatched by the first package that imports an
//     implementation (typically main, which wires them); an at-least-once
//     entry with open calls is listed in [Methods.Entries] so that package
//     can report what the dispatch adds.
//   - A summary keeps at most [maxEffects] effects, each with the shortest
//     chain of calls from the summarised function down to it. Guards are
//     carried as flags: a dedupe marker anywhere in reach guards every
//     write in reach (the coarse end, chosen for precision).
//   - Positions in facts are token.Pos values of the shared FileSet that one
//     go/packages load and one checker run use; the facts are not meant to
//     be serialised across processes.
//   - Delivery semantics: queue, job, webhook and ActivityPub inbox entries
//     are at least once (a scheduled job too: an overlapping or repeated run
//     does it again; and a controller-runtime reconciler's Reconcile: every
//     object is reconciled again after a restart and on resync); request handlers and gRPC methods are concurrent;
//     main, init and cobra commands are once; tests, benchmarks and
//     examples are test-only. Ticker loops are not entries yet.
//   - Trust is answered per expression ([TrustOf]): a request body comes
//     from a client, a response body from an upstream; it is not yet
//     carried along calls.
//   - Routes ([Route]): registrations of net/http's ServeMux (Go 1.22
//     "POST /path" patterns too), chi, gorilla/mux, gin, echo and fiber,
//     each naming its handler by [HandlerKey] or [LiteralKey] (a method
//     value, a function, a handler value's ServeHTTP, a factory called at
//     the registration, the handler inside a wrapping call). A route is
//     authenticated when its chain says so by name: a middleware installed
//     with Use on its router or any group it derives from (directly, or as
//     an element of a list spread into Use: r.Use(mws...)) (gin/echo/fiber
//     Group(prefix, mws...), chi With and Group/Route literals, gorilla
//     PathPrefix().Subrouter()), a middleware argument of the registration
//     (gin/fiber leading, echo trailing), a call wrapping the handler or
//     the whole router, or an /admin segment. A name says authentication
//     by word ([AuthName]): auth (authn, authz, authenticate, authorize,
//     oauth), jwt, session, login, token, api key, bearer, oidc,
//     protect(ed), require(s) user/login, verify, permission, acl, guard,
//     signed in, admin; a CSRF guard is not one. A method of a value whose
//     type is named so (app.AuthHandler.WrapHandler), or that a call named
//     so built (m := auth.New(cfg); m.Handler), counts too. A route's body
//     is limited ([Route.Limit]) when a body-limit middleware wraps its
//     handler or sits among its registration's middleware, or when its
//     package installs one for every route ([Model.BodyLimit]: on a
//     router's Use, wrapping a router, or in a list of middleware); a
//     middleware limits bodies when its function calls http.MaxBytesReader
//     (a [BodyLimiter] fact, across packages) or its name says so
//     ([BodyLimitName]), and a middleware that reads the body whole and
//     puts the copy back ([BodyBuffer]) counts as one: what the handler
//     reads is that copy. It is a pattern: a
//     login check named otherwise is missed (the route reads public) and a
//     middleware named so that checks nothing is trusted. Use counts
//     wherever it sits in the function, not only before the route. A
//     router built by a function out of sight (s.Router(), the module's
//     own NewRouter) records nothing: unknown, not public. A router that
//     came in as a parameter is resolved by its callers' [RouterArg]s.
//   - Registrations usually sit in a router package that imports the
//     handlers', and facts flow only to importers, so routes are resolved
//     over every package's model at once ([Access], in the review driver);
//     a handler seen registered on one public route is public, a webhook
//     entry is public by nature. [IdentityBefore] answers the in-handler
//     half: a handler that asks who is calling before it reads.
//   - A transaction is opened by Begin and its kin, and by a helper that
//     takes a function and whose name or package's says transaction or tx
//     (transaction.Run(ctx, db, fn), store.WithTx(ctx, fn)): the function
//     runs inside it.
//   - Not modelled yet: SQL kept in .sql files and loaded by name, and
//     context deadlines as guards.
package program

import (
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/prodready/prodready/checklist/internal/code"
)

// Analyzer computes the program model of a package. Its result is a *Model.
var Analyzer = &analysis.Analyzer{
	Name:             "program",
	Doc:              "computes the program model: entry points, call graph, effects and guards",
	Requires:         []*analysis.Analyzer{inspect.Analyzer},
	RunDespiteErrors: true,
	ResultType:       reflect.TypeFor[*Model](),
	FactTypes:        []analysis.Fact{new(Summary), new(Methods), new(BodyLimiter), new(BodyBuffer), new(RetryHelper)},
	Run:              code.Guard("program", run),
}

// maxEffects bounds the effects one summary carries, so that a hub function
// does not make every caller's summary grow with the module.
const maxEffects = 48

// Delivery says how often the runtime may run an entry point.
type Delivery string

// Deliveries.
const (
	AtLeastOnce Delivery = "at-least-once" // queues, webhooks, jobs: a redelivery runs it again
	Concurrent  Delivery = "concurrent"    // request handlers: many at once
	Once        Delivery = "once"          // start-up, migrations, CLI commands
	TestOnly    Delivery = "test-only"     // tests, benchmarks, examples
)

// EffectKind names what a function does to the world.
type EffectKind string

// Effect kinds.
const (
	Insert    EffectKind = "insert"     // an INSERT with no conflict guard
	Upsert    EffectKind = "upsert"     // an INSERT guarded by ON CONFLICT or alike
	RelUpdate EffectKind = "rel-update" // UPDATE x = x + n with no version guard
	Update    EffectKind = "update"     // any other UPDATE
	Delete    EffectKind = "delete"     // a DELETE
	Publish   EffectKind = "publish"    // a message published to a broker
	HTTPOut   EffectKind = "http"       // an outbound HTTP request; Detail is the method
	// HTTPParam is an outbound HTTP request whose method the function takes
	// as a parameter (c.newRequest(ctx, "POST", path, body)). Detail is
	// "param:N" (the parameter's index) in the function that builds it, and
	// the method in a caller that passes a constant: POST or PATCH only, the
	// others are dropped. It is a kind of its own so that the checks reading
	// HTTPOut see what they saw before.
	HTTPParam   EffectKind = "http-param"
	Payment     EffectKind = "payment"      // a payment SDK call
	Email       EffectKind = "email"        // an e-mail or SMS sent
	FileWrite   EffectKind = "file-write"   // a file created or written
	Goroutine   EffectKind = "goroutine"    // a goroutine started
	ChanClose   EffectKind = "chan-close"   // a channel closed
	Lock        EffectKind = "lock"         // a mutex locked
	Transaction EffectKind = "transaction"  // a database transaction begun
	Dedupe      EffectKind = "dedupe-guard" // a dedupe marker: processed-message row, unique violation handled, idempotency key
	// ObjectCreate is a Kubernetes object created under a name made up at
	// the call (generateName, a UUID): each run makes another object.
	ObjectCreate EffectKind = "object-create"
	// KVRead, KVDelete and KVClaim are commands of a key-value store
	// (Redis through go-redis or redigo); Detail is the key's text, with
	// the constants and the local it is built from. KVRead reads a value
	// (GET, HGET); KVDelete removes a key or field (DEL, UNLINK, HDEL, and
	// GETDEL, which reads it in the same step and so is always Counted);
	// KVClaim sets a key only if it is absent (SETNX, SET ... NX).
	KVRead   EffectKind = "kv-read"
	KVDelete EffectKind = "kv-delete"
	KVClaim  EffectKind = "kv-claim"
)

// Step is one call of a chain: the function called and where the call is.
type Step struct {
	Name string
	Pos  token.Pos
}

// Effect is one thing a function does, itself or through its callees.
type Effect struct {
	Kind EffectKind
	// Detail says more: the SQL verb and table, the HTTP method, the
	// relative column.
	Detail string
	// Target is, for an outbound request, the text of the URL it is sent
	// to (a constant's value, or the expression: s.cfg.TokenURL).
	Target string
	// Pos is where the effect happens (the call that writes).
	Pos token.Pos
	// Via is the chain of calls from the summarised function down to the
	// function holding the effect; empty when it is in the function itself.
	Via []Step
	// Async: the effect happens in a goroutine started on the way (go
	// func() {...}(), go s.worker()), off the caller's path: it still runs
	// once per call, but not in order with the caller's other effects.
	Async bool
	// Counted: for a DELETE or UPDATE, the statement's affected-row count
	// is read where it runs (res.RowsAffected(), gorm's .RowsAffected) or
	// its RETURNING rows are, so the code can tell that it changed
	// nothing (a row another request consumed first). For a KVDelete, the
	// number of keys removed is read (n, err := rdb.Del(...).Result() with
	// n read, .Val(), redigo's redis.Int(conn.Do("DEL", k)) read), or the
	// delete runs in a transaction with the read (inside Watch or
	// TxPipelined, on a TxPipeline), or it is a GETDEL; for a KVClaim, its
	// reply (whether this call set the key) is read.
	Counted bool
}

// Summary is what a function does, carried up the call graph. It is the
// fact the model exports for each function of the module that has effects.
type Summary struct {
	Effects []Effect
	// Deduped: a dedupe guard is in reach (a processed-message marker, a
	// unique violation handled, an idempotency or dedupe key).
	Deduped bool
	// Tx: a transaction is opened in reach.
	Tx bool
	// Sender: the function's own body (not its callees') reads a delivery
	// id or checks the body's signature; not carried up the graph.
	Sender bool
	// Cut names calls whose summary was not available (a package that did
	// not load).
	Cut []string
	// Open are calls of the module's own interfaces with no implementation
	// in sight yet; a package that imports an implementation resolves them.
	Open []OpenCall
}

// OpenCall is an interface method call not yet dispatched.
type OpenCall struct {
	// Pkg and Iface name the interface type; Method the method called.
	Pkg, Iface, Method string
	// Pos is the call; Via the chain from the summarised function to the
	// function that makes it.
	Pos token.Pos
	Via []Step
	// Created: the call sits in a not-found branch (a get-or-create), so
	// the inserts it dispatches to are created only when a lookup found
	// none.
	Created bool
}

// AFact marks Summary as an analysis fact.
func (*Summary) AFact() {}

// Methods is the package fact that indexes the concrete named types of a
// package by the names of their methods, so that packages importing it
// dispatch interface calls to them without scanning every type.
type Methods struct {
	// ByMethod lists, sorted by method name, the types that declare each
	// method name (a slice, not a map, so that the fact encodes
	// deterministically).
	ByMethod []MethodTypes
	// Entries are the package's at-least-once entries whose summaries hold
	// open interface calls, for packages that see the implementations.
	Entries []EntryRef
}

// MethodTypes are the types of a package that declare a method Name.
type MethodTypes struct {
	Name  string
	Types []string
}

// TypesWith returns the types that declare a method called name.
func (ms *Methods) TypesWith(name string) []string {
	i := sort.Search(len(ms.ByMethod), func(i int) bool { return ms.ByMethod[i].Name >= name })
	if i < len(ms.ByMethod) && ms.ByMethod[i].Name == name {
		return ms.ByMethod[i].Types
	}
	return nil
}

// EntryRef names an entry declared in another package: Func is F or T.M.
type EntryRef struct {
	Func, Label string
	Pos         token.Pos
	Sender      bool
}

// AFact marks Methods as an analysis fact.
func (*Methods) AFact() {}

// Entry is an entry point of the package: a function the runtime calls.
type Entry struct {
	// Name is the function's display name: "(*Handler).ServeHTTP", "handleRefund",
	// or "func literal" for a callback.
	Name string
	// Label says what kind of entry it is: "webhook handler", "queue handler".
	Label    string
	Delivery Delivery
	// Pos is the function's position (or its registration's).
	Pos     token.Pos
	Summary *Summary
	// Key names the function as [HandlerKey] or [LiteralKey] do.
	Key string
	// Sender: the entry's own body reads a delivery id or checks the
	// body's signature (X-GitHub-Delivery, Stripe-Signature, svix-id,
	// ValidatePayload): a real sender that redelivers stands behind it.
	Sender bool
}

// Model is the program model of one package.
type Model struct {
	// Entries are the package's entry points, in source order.
	Entries []*Entry
	// Funcs maps the display name of each function of the package to its summary.
	Funcs map[string]*Summary
	// Cut lists chains cut short: calls whose callee could not be summarised.
	Cut []string
	// Spans are the package's declared functions with their extents.
	Spans []Span
	// Routes are the package's route registrations, and RouterArgs the
	// routers it hands to functions of the module; [NewAccess] resolves
	// them over every package of a run.
	Routes     []Route
	RouterArgs []RouterArg
	// BodyLimit names a middleware that limits request bodies which the
	// package installs for every route (on a router's Use, wrapping a
	// router, or in its list of middleware); "" when it installs none.
	BodyLimit string

	byFunc   map[*types.Func]*Summary
	retriers map[*types.Func]bool // retry helpers the package declares or calls
	limiters map[*types.Func]bool // functions of the package that call http.MaxBytesReader
	buffers  map[token.Pos]bool   // the whole reads of functions that buffer a request's body ([BodyBuffer])
	// testFiles answers TestOnlyFile for each file of the package.
	testFiles map[*token.File]bool
}

// BufferRead reports whether pos is the whole read of a request body by a
// function of the package that puts the copy back ([BodyBuffer]): the
// read a body limit installed through that middleware does not cover.
func (m *Model) BufferRead(pos token.Pos) bool {
	return m != nil && m.buffers[pos]
}

// LimitsBody reports whether fn, a function of the package, calls
// http.MaxBytesReader (h.limitRequestBody(w, r) before a read limits it).
func (m *Model) LimitsBody(fn *types.Func) bool {
	return m != nil && fn != nil && m.limiters[fn]
}

// TestOnlyFile reports, for a file of the package, whether only tests or
// demonstrations run its code: [IsTestSupport] says so by the package's path
// and the file's name, or the file holds a test-only entry (a test,
// benchmark, fuzz target or example). known is false for a file the model
// has not judged (not one of the package's files).
func (m *Model) TestOnlyFile(f *token.File) (testOnly, known bool) {
	if m == nil {
		return false, false
	}
	testOnly, known = m.testFiles[f]
	return testOnly, known
}

// testOnlyFiles judges each file of the pass as [Model.TestOnlyFile] tells.
func testOnlyFiles(pass *analysis.Pass, entries []*Entry) map[*token.File]bool {
	out := make(map[*token.File]bool, len(pass.Files))
	pkgTest := settingOfPath(pass.Pkg.Path(), pass.Pkg.Name()) == TestSupport // IsTestSupport's package half, once
	for _, file := range pass.Files {
		if tf := pass.Fset.File(file.Pos()); tf != nil {
			out[tf] = pkgTest || settingOfFile(filepath.Base(tf.Name())) == TestSupport || harnessFile(pass, file)
		}
	}
	for _, e := range entries {
		if e.Delivery != TestOnly {
			continue
		}
		if tf := pass.Fset.File(e.Pos); tf != nil {
			if _, ours := out[tf]; ours {
				out[tf] = true
			}
		}
	}
	return out
}

// SummaryOf returns the summary of a function of the package, or of a
// function of another analysed package that the package calls; nil when
// there is none (no effects, or not analysed).
func (m *Model) SummaryOf(fn *types.Func) *Summary {
	if m == nil || fn == nil {
		return nil
	}
	return m.byFunc[fn.Origin()]
}

// Span is a declared function's name and extent.
type Span struct {
	Name     string
	Pos, End token.Pos
}
