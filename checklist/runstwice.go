package checklist

import "github.com/prodready/prodready/finding"

// runsTwiceChecks are the checks that answer "what if this runs twice?".
func runsTwiceChecks() []*Check {
	return []*Check{
		{
			Question: finding.RunsTwice,
			Severity: finding.SeverityWarning,
			Title:    "INSERT with no conflict guard in a job, message or webhook handler",
			Rationale: "Queues deliver at least once and webhook senders redeliver when they time out. A handler that " +
				"INSERTs with no guard writes a second order, payment or email row on the redelivery, or, where a " +
				"unique key exists, fails that delivery forever so the queue retries it until it is dead-lettered. " +
				"Entries are queue library consumers, functions registered on a route that says hook, callback, " +
				"inbox or /integration (net/http, gorilla and chi chains, beego controllers), echo, gin and " +
				"fiber handlers and oapi-codegen strict-server methods named for a hook, cron jobs, client-go " +
				"informers' AddFunc and UpdateFunc (called again for every object at each start), and " +
				"controller-runtime reconcilers (every object is reconciled again after a restart; their " +
				"Kubernetes creates are left alone, since a reconciler usually lists what it owns first); writes " +
				"include SQL text, gorm, ent, bun, xorm, sqlx NamedExec, gorp's Insert, the MongoDB driver's " +
				"InsertOne and InsertMany (a handled duplicate-key error is the guard), and a Kubernetes Create " +
				"(client-go, controller-runtime or a generated clientset) of an object whose name the calling " +
				"function makes up (generateName, or a Name from a UUID or random string): the API server takes " +
				"each as a new object, where a name derived from the delivery would fail the second with " +
				"AlreadyExists. An object built in another function is not judged. " +
				"Left alone: start-up work reached from a handler (a sync.Once body, the init branch of a lazy " +
				"if x == nil getter, also as one operand of ||, a function named like a migration), an insert " +
				"after a read whose result returns early (already set, not found, already a member) or after a " +
				"SELECT ... FOR UPDATE, in-process channel consumers, a function literal handed to a Do or Every " +
				"that is not a scheduler's (singleflight, retry helpers), and browser sign-in callbacks " +
				"(/auth/{provider}/callback), which are requests, not deliveries. A function recognised only by " +
				"its name and a raw payload parameter ([]byte, json.RawMessage) is reported at info.",
			Fix: "Key the row on the message or event ID and add ON CONFLICT (key) DO NOTHING (ON DUPLICATE KEY UPDATE, INSERT IGNORE, MERGE or WHERE NOT EXISTS elsewhere).",
			Bad: `func (w *OrderWorker) Work(ctx context.Context, job *river.Job[OrderArgs]) error {
	_, err := w.db.ExecContext(ctx,
		"INSERT INTO orders (customer_id, total) VALUES ($1, $2)", job.Args.Customer, job.Args.Total)
	return err
}`,
			Good: `func (w *OrderWorker) Work(ctx context.Context, job *river.Job[OrderArgs]) error {
	_, err := w.db.ExecContext(ctx,
		"INSERT INTO orders (id, customer_id, total) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
		job.Args.OrderID, job.Args.Customer, job.Args.Total)
	return err
}`,
			Analyzer: insertNotIdempotentAnalyzer,
		},
		{
			Question: finding.RunsTwice,
			Severity: finding.SeverityWarning,
			Title:    "relative UPDATE (x = x + n) in a handler with no dedupe guard",
			Rationale: "An UPDATE that adds to a balance, counter or stock level applies once per delivery. When the " +
				"queue redelivers a message whose first run committed but whose acknowledgement was lost, the amount is " +
				"added twice and the books no longer balance. Left alone: version, sequence, index, position and " +
				"order columns (a version bump is the guard; a position shift is not a tally), ent's Add<Edge>IDs " +
				"(only Add<Field>(n) with a number is relative), an update after an early-returning state check " +
				"or a SELECT ... FOR UPDATE, and the same start-up and entry shapes as insert-not-idempotent. " +
				"xorm's Incr and Decr, and a MongoDB update whose document uses $inc, count as relative.",
			Fix: "In the same transaction, record the message ID (INSERT INTO processed ... ON CONFLICT DO NOTHING) and skip the update when it was already there; or guard the UPDATE with a version or last-applied ID.",
			Bad: `func handle(ctx context.Context, m *nats.Msg) error {
	_, err := db.ExecContext(ctx, "UPDATE accounts SET balance = balance + $1 WHERE id = $2", amt, id)
	return err
}`,
			Good: `func handle(ctx context.Context, m *nats.Msg) error {
	_, err := db.ExecContext(ctx,
		"UPDATE accounts SET balance = balance + $1, last_event_id = $3 WHERE id = $2 AND last_event_id < $3",
		amt, id, eventID)
	return err
}`,
			Analyzer: updateNotIdempotentAnalyzer,
		},
		{
			Question: finding.RunsTwice,
			Severity: finding.SeverityError,
			Title:    "idempotency key created inside the retry loop",
			Rationale: "An idempotency key lets the server recognise a retry of a request it already carried out. A key " +
				"(or request ID) generated inside the retry loop is new on every attempt, so a retry after a timeout " +
				"looks like a new request and the payment, order or message happens twice. The same holds for a key " +
				"made inside a queue, event or webhook handler (recognised by its message type or webhook route): " +
				"each redelivery makes a new one; also inside a function the package registers on a webhook " +
				"or integration route. A key minted in a helper the handler calls is not followed.",
			Fix: "Generate the key once, before the first attempt, and send the same key on every retry.",
			Bad: `for attempt := 0; attempt < 5; attempt++ {
	req.Header.Set("Idempotency-Key", uuid.NewString())
	resp, err = client.Do(req)
	...
}`,
			Good: `key := uuid.NewString()
for attempt := 0; attempt < 5; attempt++ {
	req.Header.Set("Idempotency-Key", key)
	resp, err = client.Do(req)
	...
}`,
			Analyzer: retryNewKeyAnalyzer,
		},
		{
			Question: finding.RunsTwice,
			Severity: finding.SeverityInfo,
			Title:    "POST or PATCH retried without an Idempotency-Key",
			Rationale: "A POST that timed out may still have been carried out. Retrying it without an idempotency key " +
				"repeats the side effect: a second charge, a duplicate order, two notifications. Retries are recognised " +
				"as a loop counting attempts or backing off, a callback handed to a retry helper (cenkalti/backoff, " +
				"avast/retry-go, sethvargo/go-retry, buildkite/roko's Retrier, failsafe-go, k8s.io's OnError and wait, a " +
				"function named for retrying, or one of the module's own that the program model sees retrying the function " +
				"it is handed, in any package), go-retryablehttp (its client, requests and StandardClient), and an " +
				"http.Client whose Transport is named for retrying, held in a variable or field of the package. The POST " +
				"may be sent further down, by the module's functions, with its method passed as a parameter " +
				"(c.newRequest(ctx, \"POST\", path, v)). The message names the helper and where it is called. Endpoints " +
				"that only read (search, GraphQL queries, token and login exchanges, also in a URL built from pieces), " +
				"functions named for reading or authenticating (refreshToken, verifyCode), functions that mention an " +
				"idempotency or dedupe key, and RetryOnConflict (it re-runs only what the server refused) are left alone, " +
				"and so is go-retryablehttp's own code (its Post helpers): their callers are reported. A heartbeat, ping, " +
				"metric or analytics report, a request that carries an ID made once before the first attempt, and any POST " +
				"whose URL, client and functions name nothing costly (a charge, payment, order or booking) and nothing a " +
				"person receives (a text, an e-mail, an invitation, a ticket, a comment, an appended annotation, a chat " +
				"message) are reported at info.",
			Fix: "Send an Idempotency-Key header made once before the first attempt (if the server honours one), or do not retry non-idempotent requests.",
			Bad: `for attempt := 0; attempt < 3; attempt++ {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	resp, err = client.Do(req)
	...
}`,
			Good: `key := uuid.NewString()
for attempt := 0; attempt < 3; attempt++ {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	req.Header.Set("Idempotency-Key", key)
	resp, err = client.Do(req)
	...
}`,
			Analyzer: retryPostNoKeyAnalyzer,
		},
		closeNotIdempotentCheck(),
		chanClosedTwiceCheck(),
		resendAfterMarkCheck(),
		oneTimeTokenReuseCheck(),
		totpCodeReuseCheck(),
		firstUserRaceCheck(),
		lockCheckThenSetCheck(),
		readModifyWriteCheck(),
		goroutineSharedWriteCheck(),
		gormLockIgnoredCheck(),
		paymentNoKeyCheck(),
		cronOverlapCheck(),
		mapWriteUnderRLockCheck(),
	}
}
