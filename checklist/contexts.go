package checklist

// What a severity means (the judging standard in PRECISION.md): error is
// something a careful senior reviewer would block the pull request on;
// warning is worth a comment on the line; info is worth knowing, so it is
// listed and counted in the summary but not posted inline by default.
//
// speech says, for each check, where it speaks and why its default
// severity is what it is. It is kept in a table of its own, beside the
// catalog entries rather than inside them, so that the entries stay each
// check's own; Catalog copies it into Check.SpeaksIn and
// Check.SeverityReason, and CHECKS.md prints both.
var speech = map[string]struct{ where, why string }{
	// runs-twice
	"insert-not-idempotent": {
		"at-least-once entry points (queue consumers, webhook and integration routes, hook-named framework handlers, cron jobs) and what they call; silent in request handlers (a callback route registered for GET, or a callback handler that accepts only GET or reads the sign-in's state parameter, is a browser coming back, not a redelivery), start-up, CLI commands and tests.",
		"warning: a redelivery doubles a row, which a reviewer asks about; whether a duplicate hurts depends on the table, which the check cannot see. Posted only from a queue library's consumer or a webhook library's event payload, or from a webhook or inbox route whose own code reads a delivery id or checks the body's signature; info from every other at-least-once entry (a hook-named route nobody is seen to redeliver, a scheduled job, an entry recognised only by its name), and when the delivery's work runs in a transaction (a failed delivery rolls back, so only a redelivery after the commit repeats the write).",
	},
	"update-not-idempotent": {
		"at-least-once entry points and what they call; silent elsewhere.",
		"warning: a redelivered relative update (balance = balance + n) corrupts a counter, worth a comment; some counters tolerate it. Posted only from a queue library's consumer or a webhook library's event payload, or from a webhook or inbox route whose own code reads a delivery id or checks the body's signature; info from every other at-least-once entry, and when the delivery's work runs in a transaction (a failed delivery rolls back, so only a redelivery after the commit repeats the update).",
	},
	"retry-new-idempotency-key": {
		"any code that retries a request, wherever it runs, tests aside.",
		"error: a key minted inside the retry loop defeats the key entirely; there is no context in which it is right.",
	},
	"retry-post-without-key": {
		"any code that retries a POST or PATCH: a retry loop, a closure handed to a retry library (cenkalti/backoff v2-v5, avast/retry-go, sethvargo/go-retry, buildkite/roko, failsafe-go, k8s.io OnError and wait) or to a helper of the module that retries a function it is handed (named for retrying, or seen by the program model to call it in a retry loop, in any package), go-retryablehttp, or a client whose Transport retries; directly or through the module's functions, a method passed down as a parameter too (c.newRequest(ctx, \"POST\", ...)). Silent under RetryOnConflict (it re-runs only what the server refused). At most info where nothing in the URL, the client, the function or the chain says the POST creates, appends, charges or sends (a transform, a validation, a code exchange; words in error and log messages do not count), where the names (the package's too) say it reports a heartbeat, ping, metric, analytics or status or asks a language model for a completion (harmless twice), or where an ID made once before the first attempt goes with every attempt; tests aside.",
		"warning: a retried POST may charge, create or append twice, but the API may dedupe by other means; a POST that only transforms or reads, or reports a heartbeat or metric, repeats harmlessly, and one carrying an ID made once may be deduped by it, so info there (a daily analytics heartbeat keyed by instance was read as a false warning).",
	},
	"close-not-idempotent": {
		"types whose Close, Stop or Shutdown can be reached twice (a defer plus an explicit call, a shutdown path); at most info when the close sits behind a state check of the receiver that the check does not read into (a condition calling a method of the receiver, if s.IsRunning() { close(s.running) }; a switch on a state taken from a field, st := <-w.state; switch st {...}); tests aside.",
		"warning: a panic on a second close is real but shows up at shutdown, rarely under traffic. Info behind a state check: a second call in sequence is stopped there, only two calls racing past the check close twice (session 6's reads judged both such findings false).",
	},
	"chan-closed-twice": {
		"code that closes a channel taken from a shared map or field; silent when the function, or a function of the package it calls, deletes from or stores into that map or field (a fresh channel installed for the next cycle: a later close closes another channel); tests aside.",
		"warning: a double close panics, but only on the racing path the check points at.",
	},
	"resend-after-mark-failure": {
		"serving code that sends (an outbound POST, PUT, PATCH or DELETE that does not read or authenticate, an e-mail or SMS, a publish, a payment), directly or through the module's calls, and then writes a row that records it (its SQL, table or the calls on its chain say sent, notified, notification, delivered, delivery, status or state) with that write's error discarded or only logged; posted when an at-least-once entry of the package (a queue consumer, a webhook, a scheduled job) reaches the write, when a poll loop (a ticker, time.After, time.Sleep) holds the send and the write or calls the function from the package, or when a range loop around both walks rows named pending, unsent, queued or due (by the collection or the call that filled it); at most info elsewhere (a request handler: nothing runs it again by itself); silent when the path writes an outbox row or has an idempotency or dedupe key in reach, when the write comes first, when the two sit on exclusive branches, for a send in a goroutine started on the way, and in one-shot and test code.",
		"warning: a failed mark makes the next run send the same notification again and loses the provider's id; it needs a failing write to show, so a comment rather than a block. Info where nothing in sight runs the function again.",
	},
	"gorm-lock-ignored": {
		"any code that reads through GORM v2 (gorm.io/gorm) with GORM v1's locking option (Set(\"gorm:query_option\", \"FOR UPDATE\")), whatever runs it; silent on GORM v1 (github.com/jinzhu/gorm), for a locking clause, for other settings, and in tests.",
		"warning: the read takes no lock, so two requests at once both act on the row as it was (a code redeemed twice); the author asked for a lock, so the comment is about an API fact, not a guess.",
	},
	"one-time-token-reuse": {
		"serving code that reads a single-use secret (its type, table or the calls that read it say authorization or login code, reset, verification, magic, invite, OTP, one-time, nonce, confirmation, recovery or activation), calls something that grants (a name with token, JWT, sign, issue, session, cookie, password, login, accept, activate, join or member) and consumes the secret with a DELETE or UPDATE whose affected-row count is never read, directly or in the repository method that runs it; at most info when only the words token or code name the secret; silent when any read of the function holds a row lock (SELECT ... FOR UPDATE, ForUpdate(), gorm's clause.Locking), when the consuming write has RETURNING or its count is read, when it sits on a branch that does not grant, and in one-shot and test code.",
		"warning: a replayed or double-submitted secret grants twice (two token pairs for one authorization code, a reset link that works twice); exploiting it needs a race, so a comment rather than a block. Info when the name does not say the secret is single-use.",
	},
	// fails-halfway
	"tx-no-rollback": {
		"serving code: a leaked transaction holds a connection wherever it runs; at most info in one-shot code (start-up, migrations, CLI commands, generators and dev tools) unless it loops for the process's life; silent in test support (tests, mocks, fakes, examples, e2e harnesses).",
		"error: a transaction left open on an error path pins a pooled connection and its locks; a reviewer would block. Only values that are transactions by type count (database/sql, sqlx, pgx, bun, go-pg, xorm, ent's Tx, gorm's db.Begin() result, or a module's struct wrapping one): session 5's reads found gorm query builders named tx and business controllers with Commit/Rollback methods false. Silent where nothing is open (Begin's own error branch) or something else ends it (a deferred MustCommit or Finish, a caller handed the transaction in a context or wrapper).",
	},
	"sql-rows-not-closed": {
		"serving code, from a successful query to each exit (not the query's own error branch, where there are no rows); rows of a database/sql or sqlx transaction at most info; at most info in one-shot code (start-up, migrations, CLI commands, generators and dev tools) unless it loops for the process's life; silent in test support (tests, mocks, fakes, examples, e2e harnesses).",
		"error: rows left open keep their connection; under load the pool drains and every query waits. Info for a database/sql transaction's rows: its Commit or Rollback closes them, so the connection is held only until the transaction ends.",
	},
	"sql-rows-err-unchecked": {
		"serving code where the function hands what the rows filled to its caller as a complete result with a nil error (return list, nil; return rows.Next(), nil; if !rows.Next() { return nil, err } with err nil by then; a parameter, receiver, named result or callback filled before returning nil); at most info where the read stays in the function (collected for a log line, followed by other work whose error is returned, a Next whose result is dropped so the Scan after it fails), for a single-row read whose !Next() branch returns an error non-nil by its form, for a read on a transaction (a Tx of database/sql, sqlx or pgx, a variable named tx, one assigned from Begin, or a prepared statement or querier built on one) that the function then commits or runs further statements on (directly, or by handing the tx to a call), and for a best-effort loop that drops its own Scan errors (_ = rows.Scan, or skips the row and continues); at most info in one-shot code (start-up, migrations, CLI commands, generators and dev tools) unless it loops for the process's life; silent in test support (tests, mocks, fakes, examples, e2e harnesses).",
		"warning: a read cut short by a network error that reaches a caller as a complete result is silently wrong data, worth a comment; session 5's reads judged most unchecked reads not worth a block (dashboard pages, start-up checks, aggregates), so not error. Info where no caller takes the cut-off read as whole, and for a read on a transaction the function goes on using: a broken stream aborts the transaction, so the later statement or the Commit fails and its error is returned (session 6's reads judged such findings false).",
	},
	"http-no-context": {
		"request handlers, workers and anything that has a ctx at hand; at most info where the request goes out through a client without Timeout (http.Get and its kind, http.DefaultClient, or a local &http.Client{} literal with no Timeout: http-no-timeout posts that call), and where the only context at hand is detached (a variable assigned only context.WithoutCancel, Background or TODO, or such a variable in scope of the closure the call sits in); at most info in one-shot code (start-up, migrations, CLI commands, generators and dev tools) unless it loops for the process's life; silent in test support (tests, mocks, fakes, examples, e2e harnesses).",
		"warning: the request outlives its caller's cancellation; worth a comment, rarely a block. Info where the client has no Timeout (one comment per defect: the deadline http-no-timeout asks for bounds the call too) or there is no cancellation to hand on (session 6's reads judged all three such findings false).",
	},
	"context-background-in-scope": {
		"functions that have a ctx at hand (a parameter, an embedded context, a request's); silent in a callback that runs later (a release or clean-up func returned to the caller, directly or through a variable, or handed to AfterFunc or Cleanup); at most info in one-shot code (start-up, migrations, CLI commands, generators and dev tools) unless it loops for the process's life; silent in test support (tests, mocks, fakes, examples, e2e harnesses).",
		"warning: cancellation and deadlines stop at this call; sometimes deliberate (work that must finish), so a comment. Info for clean-up on a failure path (inside an `if err != nil` branch that returns), where the ctx may be what failed and the clean-up must still reach the peer.",
	},
	"retry-no-backoff": {
		"retry loops around network or database calls; the pacing of a retry on a local resource (SQLite busy, a lock file) at most info; at most info in one-shot code (start-up, migrations, CLI commands, generators and dev tools) unless it loops for the process's life; silent in test support (tests, mocks, fakes, examples, e2e harnesses).",
		"warning: a tight retry loop amplifies an outage, worth a comment; a few quick retries are sometimes fine.",
	},
	"write-close-unchecked": {
		"code that writes files or buffered streams; silent for a file only sized (an empty placeholder); at most info in one-shot code (start-up, migrations, CLI commands, generators and dev tools) unless it loops for the process's life; silent in test support (tests, mocks, fakes, examples, e2e harnesses).",
		"error: for writers that flush on Close (gzip, zip, tar, cloud-storage writers) and for an SMTP DATA writer (its Close sends the final dot and reads the server's verdict), the last bytes fail at Close and the caller reports success, silent data loss. Info for an *os.File (its writes reported their own errors, and its Close fails mainly on network filesystems) and for an io.WriteCloser (what it is, and whether its Close writes, is not in sight).",
	},
	"error-ignored-io": {
		"serving code; posted for a buffered or compressing writer's Flush or Close, and for a database, network or HTTP write (also an encode onto a connection) in a function that then tells its caller it worked (an error result, or an HTTP handler answering); at most info for a local file's write, sync, rename or copy, an encode into a file or a compressing writer, a write in a function that reports to no one, and a constant PRAGMA or SET statement; silent for the Close of a file only sized (an empty placeholder); at most info in one-shot code (start-up, migrations, CLI commands, generators and dev tools) unless it loops for the process's life; silent in test support (tests, mocks, fakes, examples, e2e harnesses).",
		"error: a dropped error where data is lost with no one told (the last bytes of a buffer, a database write the caller is told succeeded) is a defect a reviewer blocks. Info for local files (session 5's reads judged 1 of 12 true: writes already checked, temp files read back) and when it is assigned to _ on purpose (errcheck leaves that form alone by default).",
	},
	"http-status-unchecked": {
		"code that reads an upstream's answer; at most info where the function hands callers a value carrying its own verdict (an OAuth2 token's Valid, an envelope's code), or decodes the answer only into lists (an error object or page fails to decode into a slice) or as an image (an error page fails to decode, and that error is returned), or reads the reply's Content-Type header (a media-type gate turns away HTML and XML error pages); silent when the function checks the body's own status field (ok, success, error, status), or only drains the body and keeps nothing (_, _ = io.ReadAll(resp.Body)); at most info in one-shot code (start-up, migrations, CLI commands, generators and dev tools) unless it loops for the process's life; silent in test support (tests, mocks, fakes, examples, e2e harnesses).",
		"warning: a 500 page decoded as data fails later and confusingly; worth a comment.",
	},
	"db-writes-no-tx": {
		"request handlers, workers and the functions they call; silent in migrations, start-up, one-shot CLI tools, test support and examples, and on a dedicated connection after a manual BEGIN.",
		"warning: a half-applied pair of writes is a real defect, but some pairs are independent by design.",
	},
	"retry-after-ignored": {
		"retry loops on 429 or 503 that read neither Retry-After nor a rate limit's reset header (X-RateLimit-Reset and its spellings, sent with the same wait); at most info in one-shot code (start-up, migrations, CLI commands, generators and dev tools) unless it loops for the process's life; silent in test support (tests, mocks, fakes, examples, e2e harnesses).",
		"warning: ignoring Retry-After keeps hammering a throttled API; worth a comment.",
	},
	"goroutine-error-dropped": {
		"goroutines on request and worker paths, and servers or commands run in one; at most info when the function whose error is dropped logs or reports the error before each return that may carry one (read in its body in the same package, carried by a fact from another package of the module), or when the error is written out as dropped (_ = f(), a best-effort call someone chose); a server started inside an if whose condition (or the value its init assigns, if addr := os.Getenv(\"PPROFLISTEN\"); addr != \"\") names debug, pprof or profiling, or serving only net/http/pprof, at most info; tests aside.",
		"warning: the error vanishes and the failure is seen late, as missing work. Info where the callee has told the logs already (session 5: 4 of 6 such findings were false; session 6: the false ones were callees in other packages that logged every error) and for a debug-only server, which serves the operator who switched it on. Info for an error assigned to _ (session 7: such drops were best-effort calls, read as false).",
	},
	"ack-before-process": {
		"queue consumers (at-least-once entry points and the loops that receive messages); tests aside.",
		"error: a message acknowledged before it is processed is lost on a crash; a reviewer would block.",
	},
	"http-no-timeout": {
		"serving code that sends a request with no deadline-capable context (http.Get and friends, client.Get/Post, Do on a request built by NewRequest or on context.Background/TODO, also a ctx parameter a caller in the package fills with one) through a client without Timeout: posted there; a client (or http.DefaultClient) whose every request in sight carries a context the caller handed in (ctx parameter, r.Context(), WithContext, an oauth2 context client), or that is never seen sending (handed to a library, returned out of the package, stored in a field nothing sends through), at most info; silent when every request has a deadline in sight or the package's init() gives http.DefaultClient a Timeout; at most info in one-shot code (CLI commands, generators, dev tools) unless it loops for the process's life or is a server's start-up, which builds what the server uses; silent in test support (tests, mocks, fakes, examples, e2e harnesses).",
		"error: one upstream that never answers hangs the caller forever when no context bounds the request and the client has no Timeout. Info where a caller's context rides on every request (it usually carries a deadline: session 5's reads found such findings false) or where no send is in sight (the bound is decided where the client is used).",
	},
	"http-body-not-closed": {
		"serving code; silent for a HEAD request's response (http.Head, a client's Head, NewRequest on HEAD or http.MethodHead, or a wrapper handed that method): it carries http.NoBody and its connection is back in the pool already; at most info for an OPTIONS probe, whose reply is rarely more than headers, and when the only open path is the return after reading the body failed (the transport has given the connection up); at most info in one-shot code (start-up, migrations, CLI commands, generators and dev tools) unless it loops for the process's life; silent in test support (tests, mocks, fakes, examples, e2e harnesses).",
		"error: an unclosed body leaks a connection per call; under load the process runs out of them.",
	},
	"dual-write": {
		"at-least-once and request entry points whose path writes to the database and publishes or POSTs (not from a goroutine started on the way).",
		"warning: the two can disagree after a crash; the fix (an outbox) is a design change, so a comment rather than a block. Info when the entry is recognised only by its name, or when the two sit on exclusive branches (the arms of an if, two switch cases, an arm that returns), so that no run does both; and when an e-mail or SMS follows a write that stores a one-time code or token on the path (an OTP upsert, a login code, a verification token, by the write's table or the names on its chain): the message delivers the code, and a lost one leaves an unused code the user asks again for.",
	},
	// under-load
	"goroutine-unbounded": {
		"request handlers (a goroutine per element of a list the request decides, whatever its work), workers and any serving code where each goroutine reaches the network or a database, directly or through a helper; posted only where the request (its body, query or form, followed through locals, outer loops and one level of the package's callers), a query's rows or a message decides how many; a list of unknown origin, a loop that sleeps between starts, a helper that starts its goroutine only behind a condition of its own (a change of state), a channel of connections, sessions or SSH channels (one goroutine per connection is how a server serves) and admin-only routes at most info; silent for fixed sets (configured peers and webhooks, package-level literal lists, lists built with a fixed number of elements, small arrays), for errgroups limited where they are made or by the package's constructor, and in migrations, start-up, one-shot tools, test support and examples.",
		"warning: a burst starts thousands of goroutines, but many lists are short in practice; worth a comment.",
	},
	"read-unbounded": {
		"HTTP handlers reading a client's stream whole, posted (warning) only where the handler is registered on a public route, one reached before any login check (a route whose chain carries no middleware named for authentication (nor a method of an auth-named type, app.AuthHandler.WrapHandler, nor of a value an auth-named constructor built), no wrapping login call, no /admin segment and no body limit, module-wide, or a webhook route no body limit covers), and otherwise info (an authenticated route, a handler that asks who is calling before the read, a handler never seen registered, and always in the vet tool, which cannot see routers in other packages): the request body (also through io.Copy or a gzip reader), an uploaded file or multipart part, or the request or its body handed to a helper of the module that reads it whole (followed across functions and packages; reported at the handler's call); responses from upstreams the service chose, and admin-only routes, at most info; a stream a helper reads for callers that pass anything else, silent; request bodies in a package that installs a body-limit middleware for every route, silent: one whose body calls http.MaxBytesReader (declared there or in another package) or whose name says body limit, max bytes or size limit, handed to a router's Use, wrapping the router, or listed in the middleware chained around the root handler; a route whose chain carries such a limit (installed by the registering package, a package handing it the router, or wrapping the one handler), info; an io.Copy into a writer that does not hold it in memory (a file, a storage or blob writer: anything but a bytes.Buffer or strings.Builder), at most info, its message saying it fills the disk or the storage instead; silent in migrations, start-up, one-shot tools, test support (mock servers, e2e harnesses, developers' tools under tools/, hack/, scripts/) and examples.",
		"warning: one large upload from anyone on the internet kills the process, worth a comment; info behind a login check (on 23 applications the true findings were all on routes reached before one, the false ones were logged-in settings, admin and JWT-guarded service APIs) and for an upstream's answer, which the service trusts by choice; info behind a router-wide body limit of another package and for a copy streamed to disk or storage (session 6: all such findings judged false; streaming a large file is what such a handler is for).",
	},
	"server-no-timeouts": {
		"servers built anywhere but test support (mock servers, e2e harnesses, developers' tools under tools/, hack/, scripts/, devtools/, dev-tools/) and examples; a server started inside an if whose condition names debug, pprof or profiling, or development or local runs (if cfg.DevMode, if env == \"development\", not a negated check), at most info; an internal listener at most info: bound to the loopback (a constant, JoinHostPort or Sprintf of a loopback host, or a local variable only set so), serving only metrics, profiling or health endpoints (promhttp, expvar, net/http/pprof, or a mux whose every route is /metrics, /debug/..., /healthz and the like and that is handed to nothing else), serving only a Unix-socket listener or a TCP listener on a constant loopback address (opened in the function, or held in a struct field every assignment of the package sets to one, and for a server held in a field, every Serve of the package on such a listener and no ListenAndServe), or serving only a tsnet listener (Listen, ListenTLS of a *tsnet.Server: authenticated tailnet peers; a Funnel listener faces the internet and stays posted); an http.Server handed to a Serve-like function of another module (zhttp.Serve(srv), graceful.Serve), which may set the timeouts itself, at most info.",
		"warning: Slowloris is a real exposure for a server facing clients, but a proxy in front often buffers headers; worth a comment, rarely a block. Info where only the operator, the host or tailnet peers connect, in development runs, and where another module's Serve may set the timeouts (session 6: such findings judged false).",
	},
	"db-pool-unbounded": {
		"the main package of a server (any pool it opens, unless the package limits one) and functions that share a pool with concurrent work; silent in libraries that hand the pool on, one-shot tools, test support and examples.",
		"warning: an unlimited pool exhausts max_connections under a spike; worth a comment.",
	},
	"query-in-loop": {
		"serving code: a query (directly or through a helper) per element of a collection, and an HTTP call per element inside a request handler, posted only where a query's rows or the request's data decides how many; a collection of unknown origin, per-element saves inside a transaction (a bounded save: the tags of one record), an HTTP call per element outside a request handler (a sync job, a notifier: it paces a background task) and admin-only routes at most info; silent for fixed sets (literal lists, package-level lists, small arrays, configured peers), and in migrations, start-up, one-shot tools, test support and examples.",
		"warning: N+1 grows with the data; whether it matters depends on sizes the check cannot see.",
	},
	"lock-across-io": {
		"serving code holding a shared mutex across network or database I/O, directly or through a helper; posted only for a mutex every request shares (a field, an embedded or handed-in mutex, a package variable) held in a request handler or a function a handler of the package calls directly; at most info off the request path (a refresher, a sync job), for a mutex the function declares itself, when a fast path under the lock returns a single cached value held beside the mutex (a token refreshed on a miss, which every caller needs), and for a database/sql or sqlx call when the database is a local SQLite file (the package, or a package of the module in sight, imports a SQLite driver or opens one by a driver name with \"sqlite\", and none uses a database server's driver; an application supporting both stays posted); silent for per-key locks (one mutex per account or key, serialising on purpose), and in one-shot and test code.",
		"warning: one slow peer stalls every goroutine waiting on the lock; worth a comment. Info around a local SQLite file, where the lock serialises access to one file on purpose and no peer can stall it.",
	},
	"client-per-request": {
		"request handlers and loops that send requests (warning); a function that builds a Transport and sends with it on every call at most info (how often it runs is not in sight), and not at all when the Transport is shaped per call or disables keep-alives; silent in start-up, one-shot tools and test support.",
		"warning: no connection reuse and a slow leak of idle connections; worth a comment.",
	},
	"sleep-in-handler": {
		"HTTP handlers; silent for a timing defence (a sleep measured from the request's start, random jitter or a helper named for it, a duration named for a penalty on failure such as BadAuthDelay or FailDelay, or next to a constant-time comparison or a Basic-auth check, where a delay slows guessing), for the interval of a stream (a sleep in a loop that writes websocket messages or flushes a streamed response), and in test support and examples.",
		"warning: sleeping requests pile up under load; worth a comment.",
	},
}
