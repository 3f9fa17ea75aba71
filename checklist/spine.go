package checklist

import (
	"github.com/prodready/prodready/finding"
)

// spineChecks are the three checks the spine shipped first: a client without
// a timeout, a body never closed and a goroutine per loop iteration.
func spineChecks() []*Check {
	return []*Check{
		{
			Question: finding.FailsHalfway,
			Severity: finding.SeverityError,
			Title:    "HTTP client without a timeout",
			Rationale: "An http.Client with no Timeout (and http.Get, http.Post, http.Head, http.PostForm and " +
				"http.DefaultClient, which use one) waits forever for a peer that accepted the connection and then " +
				"stopped answering. Each stuck call holds a goroutine, a connection and whatever the caller locked, " +
				"until the process runs out of them and stops serving. Left alone on purpose: clients for long-lived " +
				"connections (a function or callee named for a watch, stream, upgrade, websocket, tunnel or " +
				"subscription), where a Timeout would cut the connection; a client handed to a library in a function " +
				"that also passes that library a timeout option; a client whose Transport sets ResponseHeaderTimeout " +
				"(in the literal, the function, or a constructor of the package), the way clients that stream " +
				"large bodies bound a silent peer; a client literal, or http.DefaultClient, as the default for a nil " +
				"client (assigned in an `if hc == nil` branch or in the else of `if hc != nil { c.hc = hc }`, or " +
				"returned right after `if c.HTTPClient != nil { return c.HTTPClient }`) " +
				"client or in a branch taken because no timeout was configured, where whoever configures the code chose it; " +
				"http.DefaultClient.Do on a request whose context got a deadline (context.WithTimeout) in the same function; " +
				"and a copy of DefaultClient (c := *http.DefaultClient) that the function gives a Timeout or such a Transport.",
			Fix: "Build a client with Timeout set (and keep one per process), or give every request a context with a deadline.",
			Bad: `resp, err := http.Get(url)`,
			Good: `client := &http.Client{Timeout: 10 * time.Second}
resp, err := client.Get(url)`,
			Analyzer: httpNoTimeoutAnalyzer,
		},
		{
			Question: finding.FailsHalfway,
			Severity: finding.SeverityError,
			Title:    "HTTP response body never closed",
			Rationale: "A response whose Body is not closed keeps its connection out of the pool. Under steady " +
				"traffic every call opens a new connection until the process hits its file-descriptor limit or the " +
				"peer's connection cap, and then every call fails. A response from a function of the same package " +
				"that closes the Body on every path before returning it (a sender that drains the reply and hands " +
				"back the status) is already closed and stays silent.",
			Fix: "defer resp.Body.Close() right after the error check, or hand resp to a function that closes it.",
			Bad: `resp, err := client.Do(req)
if err != nil {
	return err
}
return json.NewDecoder(resp.Body).Decode(&out)`,
			Good: `resp, err := client.Do(req)
if err != nil {
	return err
}
defer resp.Body.Close()
return json.NewDecoder(resp.Body).Decode(&out)`,
			Analyzer: httpBodyNotClosedAnalyzer,
		},
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
				"entry of a field listing configured peers (h.Upstreams, cfg.Endpoints), or per partition or shard " +
				"(range consumer.Partitions()): that set is fixed by configuration or by the topic.",
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
	}
}
