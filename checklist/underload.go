package checklist

import "github.com/prodready/prodready/finding"

// underLoadChecks are the checks that answer "how does this behave under load?".
func underLoadChecks() []*Check {
	return []*Check{
		{
			Question: finding.UnderLoad,
			Severity: finding.SeverityWarning,
			Title:    "a goroutine per loop iteration with no bound",
			Rationale: "Starting a goroutine for every item or message lets the input decide how many run " +
				"at once. A large batch or a traffic spike starts thousands, which exhausts memory, file descriptors, " +
				"database connections or the downstream service's rate limit, and the whole batch fails together. " +
				"A goroutine per message (a range over a channel) is always reported; over a slice or map, or in an " +
				"event loop, only when the goroutine's work visibly makes an HTTP, database or network call (in its " +
				"body or two calls deep in the package), since a short list of local tasks is the common, harmless " +
				"case. A goroutine per accepted connection (an Accept loop) is left alone: it is how Go servers, " +
				"net/http's included, are built, and a bound on connections belongs on the listener. So is a goroutine per " +
				"entry of a field listing configured peers or webhooks (h.Upstreams, cfg.Endpoints, s.Webhooks), or per partition or shard " +
				"(range consumer.Partitions()): that set is fixed by configuration or by the topic; and so is a " +
				"goroutine per element of a list fixed when the code was written, the sets query-in-loop leaves alone " +
				"(a package-level literal list, a local slice built with a fixed number of elements, a small array). " +
				"An errgroup is bounded when SetLimit is called in the function that made it or in the package's own " +
				"constructor that made it (g, ctx := newLimitedGroup(ctx, n)). On an admin-only route it is at most info.",
			Fix: "Bound the concurrency: errgroup.Group with SetLimit, a buffered channel used as a semaphore, or a fixed pool of workers reading a channel.",
			Bad: `for _, u := range urls {
	go fetch(ctx, u)
}`,
			Good: `g, ctx := errgroup.WithContext(ctx)
g.SetLimit(8)
for _, u := range urls {
	g.Go(func() error { return fetch(ctx, u) })
}
return g.Wait()`,
			Analyzer: goroutineUnboundedAnalyzer,
		},
		{
			Question: finding.UnderLoad,
			Severity: finding.SeverityInfo,
			Title:    "request or response body read with no size limit",
			Rationale: "io.ReadAll, io.Copy into memory or a JSON decoder over a body reads as much as the peer sends. " +
				"One large (or endless) upload takes all the memory and the process is killed, dropping every " +
				"request in flight. A gzip or zlib reader over a request body is reported even when the body is " +
				"limited: the limit bounds the compressed bytes, and a small bomb expands without end. A client's " +
				"request body is the serious case, and so is an uploaded file or part, or the request handed to a helper of " +
				"the module that reads its body whole (the check follows the stream across functions and packages and " +
				"reports the handler's call); a response from an upstream the service chose to call is info " +
				"(listed, not posted inline), and so is a request body on an admin-only route. A package that " +
				"installs its own body-limit middleware router-wide (a function setting r.Body = " +
				"http.MaxBytesReader(...) handed to the router's Use or wrapping the router: limitBody(mux)) " +
				"has its handlers' request bodies bounded, and they are left alone; a middleware declared but not " +
				"installed, or wrapping a single handler, does not count.",
			Fix: "Wrap request bodies with http.MaxBytesReader(w, r.Body, limit) and response bodies with io.LimitReader(resp.Body, limit).",
			Bad: `func create(w http.ResponseWriter, r *http.Request) {
	var in Order
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil { ... }`,
			Good: `func create(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	var in Order
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil { ... }`,
			Analyzer: readUnboundedAnalyzer,
		},
		{
			Question: finding.UnderLoad,
			Severity: finding.SeverityInfo,
			Title:    "HTTP server without read timeouts",
			Rationale: "An http.Server with no ReadHeaderTimeout (or ReadTimeout), and http.ListenAndServe, which has " +
				"no timeouts at all, let a client hold a connection and a goroutine as long as it likes by sending " +
				"its headers slowly. A few thousand such clients (Slowloris) exhaust the server. Framework start " +
				"methods count too: gin's Run and RunTLS (http.ListenAndServe underneath), and echo's Start and " +
				"StartTLS unless the package sets ReadHeaderTimeout or ReadTimeout on a server field. A server the " +
				"function hands to option functions (for _, opt := range opts { opt(srv) }) is left alone: " +
				"frameworks set the timeouts there. An internal listener is info: one bound to the loopback, one that " +
				"serves only metrics, profiling or health endpoints, and one that serves only a Unix socket (also " +
				"one a framework is handed through its Listener field); few " +
				"clients can reach it. So is a server started inside an if whose condition names debug, pprof or " +
				"profiling, which serves the operator who switched it on.",
			Fix: "Build an http.Server with ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout, and call its ListenAndServe.",
			Bad: `log.Fatal(http.ListenAndServe(":8080", mux))`,
			Good: `srv := &http.Server{
	Addr:              ":8080",
	Handler:           mux,
	ReadHeaderTimeout: 5 * time.Second,
	ReadTimeout:       30 * time.Second,
	WriteTimeout:      30 * time.Second,
	IdleTimeout:       2 * time.Minute,
}
log.Fatal(srv.ListenAndServe())`,
			Analyzer: serverNoTimeoutsAnalyzer,
		},
		{
			Question: finding.UnderLoad,
			Severity: finding.SeverityInfo,
			Title:    "database pool with no SetMaxOpenConns",
			Rationale: "database/sql opens a new connection for every concurrent query when the pool has no limit. " +
				"Under a traffic spike the service opens connections until the database refuses more " +
				"(max_connections), and then every query, from every replica, fails. The check reports a pool " +
				"without the limit that the function shares with concurrent work it sets up: used from a function " +
				"literal or goroutine, or handed on (to a router, a store) in a function that also starts a server. " +
				"A pool returned or stored is left to whoever owns it; one handed to a constructor in a function " +
				"that starts no server is left alone because the check cannot see whether calls will overlap (on " +
				"real code these were migration drivers and tools taking one connection at a time, 14 of 14 judged " +
				"false); and one a function only uses call after call (open, ping, close) never holds a second " +
				"connection. In the main package of a server (it starts one, or has request or queue entry points), " +
				"every pool opened is reported however it is handed on, unless the package calls SetMaxOpenConns " +
				"somewhere.",
			Fix: "Call db.SetMaxOpenConns (sized so that replicas × limit stays under the database's max_connections), plus SetMaxIdleConns and SetConnMaxLifetime.",
			Bad: `db, err := sql.Open("pgx", dsn)
if err != nil {
	return err
}
return serve(db)`,
			Good: `db, err := sql.Open("pgx", dsn)
if err != nil {
	return err
}
db.SetMaxOpenConns(20)
db.SetMaxIdleConns(20)
db.SetConnMaxLifetime(30 * time.Minute)
return serve(db)`,
			Analyzer: dbPoolUnboundedAnalyzer,
		},
		{
			Question: finding.UnderLoad,
			Severity: finding.SeverityWarning,
			Title:    "a query or HTTP call per element of a collection (N+1)",
			Rationale: "A database read or an HTTP call inside a loop over a collection makes one round trip per " +
				"element. It looks fine with ten rows in development; with ten thousand in production the request " +
				"takes minutes, holds its connection the whole time, and the database or the API sees N times the load. " +
				"Left alone: loops that stop at the first match, loops over batches, pages or literal lists, and queries " +
				"or calls over a list of configured peers or shards (cfg.Endpoints, h.Upstreams, any list selected from a " +
				"config, metadata, settings, options or spec value, or a loop variable named " +
				"endpoint, url, host, shard…), which is a fan-out to a fixed set rather than N+1 over data, and a local " +
				"list the function, or a function of the package it calls, fills with a fixed number of elements (a " +
				"literal and appends outside any loop, such as the create and update requests of one notification).",
			Fix: "Fetch everything in one query (WHERE id = ANY($1)) or one batch call before the loop.",
			Bad: `for _, id := range ids {
	row := db.QueryRowContext(ctx, "SELECT name FROM users WHERE id = $1", id)
	...
}`,
			Good: `rows, err := db.QueryContext(ctx, "SELECT id, name FROM users WHERE id = ANY($1)", ids)
...`,
			Analyzer: queryInLoopAnalyzer,
		},
		{
			Question: finding.UnderLoad,
			Severity: finding.SeverityInfo,
			Title:    "mutex held across a network or database call",
			Rationale: "While a goroutine holds a mutex across an HTTP request or a query, every other goroutine " +
				"that needs the lock waits for the network. One slow peer then stalls the whole service, and a peer " +
				"that never answers deadlocks it.",
			Fix: "Copy what you need under the lock, unlock, make the call, then lock again to store the result (or use singleflight).",
			Bad: `c.mu.Lock()
defer c.mu.Unlock()
resp, err := c.http.Do(req)`,
			Good: `c.mu.Lock()
token := c.token
c.mu.Unlock()
req.Header.Set("Authorization", "Bearer "+token)
resp, err := c.http.Do(req)`,
			Analyzer: lockAcrossIOAnalyzer,
		},
		{
			Question: finding.UnderLoad,
			Severity: finding.SeverityInfo,
			Title:    "http.Transport built per request or per iteration",
			Rationale: "Each http.Transport has its own connection pool. Building one inside a handler, or inside a " +
				"loop that sends requests, means no connection is ever reused: every call pays DNS, TCP and TLS " +
				"again, and idle connections pile up until the process runs out of file descriptors. (An " +
				"http.Client with no Transport of its own shares http.DefaultTransport and is cheap, so it is not reported.) " +
				"A function that builds a Transport and sends a request with it is reported at info: one pool per call, " +
				"but how often the function runs is not in sight.",
			Fix: "Build one http.Client with its Transport at start-up and share it.",
			Bad: `func proxy(w http.ResponseWriter, r *http.Request) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 10}, Timeout: 10 * time.Second}
	...`,
			Good: `type proxy struct{ client *http.Client } // built once in main

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resp, err := p.client.Do(outbound(r))
	...`,
			Analyzer: clientPerRequestAnalyzer,
		},
		{
			Question: finding.UnderLoad,
			Severity: finding.SeverityInfo,
			Title:    "time.Sleep in an HTTP handler",
			Rationale: "time.Sleep in a handler holds the request's goroutine and connection, and keeps sleeping " +
				"after the client has gone. Under load sleeping requests pile up and the server runs out of " +
				"connections. (Test files are not checked: a test server that sleeps plays a slow peer on purpose.)",
			Fix: "Wait in a select on a timer and r.Context().Done(), or move the delay out of the request path (a queue, a Retry-After answer).",
			Bad: `func handle(w http.ResponseWriter, r *http.Request) {
	time.Sleep(2 * time.Second)
	...`,
			Good: `func handle(w http.ResponseWriter, r *http.Request) {
	t := time.NewTimer(2 * time.Second)
	defer t.Stop()
	select {
	case <-r.Context().Done():
		return
	case <-t.C:
	}
	...`,
			Analyzer: sleepInHandlerAnalyzer,
		},
	}
}
