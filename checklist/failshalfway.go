package checklist

// failsHalfwayChecks are the checks that answer "what if a call fails halfway?".
// Each check's analyzer and catalog entry live in their own
// failshalfway_<name>.go file.
func failsHalfwayChecks() []*Check {
	return []*Check{
		txNoRollbackCheck(),
		sqlRowsNotClosedCheck(),
		sqlRowsErrUncheckedCheck(),
		httpNoContextCheck(),
		contextBackgroundCheck(),
		retryNoBackoffCheck(),
		writeCloseUncheckedCheck(),
		errorIgnoredIOCheck(),
		httpStatusUncheckedCheck(),
		dbWritesNoTxCheck(),
		retryAfterIgnoredCheck(),
		goroutineErrorDroppedCheck(),
		ackBeforeProcessCheck(),
		httpNoTimeoutCheck(),
		httpBodyNotClosedCheck(),
		dualWriteCheck(),
		lockNotReleasedCheck(),
	}
}

// failsHalfwayPeers holds, per check ID, how the check compares with the
// public linter it overlaps, on our own cases of the kinds that linter's
// tests cover. Each comparison is pinned by a test (TestPeerFH*).
func failsHalfwayPeers() map[string]string {
	return map[string]string{
		"http-no-context": "noctx reports every request built without a context: http.Get, Head, Post, PostForm, the " +
			"same Client methods and http.NewRequest. http-no-context reports the same calls, but only where a " +
			"context is at hand (a context.Context or *http.Request parameter, or a local context), because that " +
			"is where the fix is certain and the cancellation is really lost; in a function with no context it " +
			"stays silent where noctx reports. Both accept NewRequestWithContext; prodready also accepts NewRequest " +
			"whose request is given a context later (req.WithContext, or req reassigned by a helper). It follows " +
			"method values (get := c.Get) and closures. It does not look at net.Dial or database/sql calls. Our " +
			"cases: testdata/src/peerfhnoctx.",
		"sql-rows-not-closed": "sqlclosecheck asks for `defer rows.Close()` (and for Stmt.Close) wherever rows are " +
			"opened. sql-rows-not-closed follows the control flow instead: it reports a query whose rows some path " +
			"leaves open, and the return statement that does it when Close is called by hand. On our cases of the " +
			"kinds sqlclosecheck's tests cover, both report rows never closed, and both accept a deferred Close, a " +
			"deferred closure that closes, and rows returned or handed to a function. prodready stays silent on a " +
			"Close without defer that every path reaches, and on a loop that reads every row with no early exit " +
			"(database/sql and pgx close the rows when Next returns false); it reports a Query whose rows are " +
			"thrown away. Rows of a database/sql transaction, which its Commit or Rollback closes, are at most info. " +
			"It does not check prepared statements. Our cases: testdata/src/peerfhrows.",
		"sql-rows-err-unchecked": "rowserrcheck reports rows whose Err is never called. On our cases of the kinds its " +
			"tests cover, both report a Next loop with no rows.Err(), and both accept Err checked after the loop, " +
			"returned, or checked inside the loop's exit branch, and rows handed to a function. prodready reports a " +
			"call of rows.Err() whose result is dropped (rows.Err() as a statement or assigned to _), asks nothing of " +
			"rows that are never iterated with Next, and recognises pgx rows and any type with Next, Scan, Close " +
			"and Err. Our cases: testdata/src/peerfhrows.",
		"error-ignored-io": "errcheck reports every unchecked error, with standard exclusions (fmt printing, " +
			"bytes.Buffer and strings.Builder writes), and accepts `_ =` unless run with -blank. error-ignored-io is " +
			"narrower and stricter: it only looks at writes that lose data when they fail halfway (database writes, " +
			"file writes, Sync, Flush, encoders, renames, copies into files or connections, HTTP requests), and it " +
			"reports them assigned to _ as well as used as statements. It leaves out writes to an " +
			"http.ResponseWriter, os.Stdout and os.Stderr, the Close of a file only read, cleanup on an error path, " +
			"test files, defer statements (covered by write-close-unchecked) and goroutines. Our cases: testdata/src/peerfherrcheck.",
		"write-close-unchecked": "errcheck does not report a deferred Close by default. write-close-unchecked reports " +
			"`defer f.Close()` (or a deferred closure that drops Close's error) only where the error carries data: " +
			"a file opened for writing and written to, a gzip, zlib, zip or tar writer, an io.WriteCloser; it is " +
			"silent on files only read and when the function also checks an explicit Close or Sync. Our cases: " +
			"testdata/src/peerfherrcheck.",
		"goroutine-error-dropped": "errcheck reports `go f()` for any f that returns an error. " +
			"goroutine-error-dropped is much narrower: it reports only a server's ListenAndServe (or " +
			"ListenAndServeTLS) or a cobra command's run whose error a goroutine drops, started directly with " +
			"go or inside `go func(){…}()` (as a statement, or tested by `if err != nil { return }` that never " +
			"uses err), and leaves every other dropped error to errcheck. Our cases: testdata/src/peerfherrcheck.",
		"context-background-in-scope": "contextcheck reports a function that has a ctx but calls on with a " +
			"non-inherited context, following calls into helpers that make their own. context-background-in-scope " +
			"looks only at the call site: context.Background() or TODO() used where a ctx (or an *http.Request) is " +
			"a parameter, and only where that context reaches I/O. On our cases, both report a fresh context " +
			"passed to a function that sends a request and accept a derived one; contextcheck also reports the " +
			"indirect case through a helper without a ctx parameter and a fresh context handed to code that does " +
			"no I/O (a validator), where prodready is silent. " +
			"prodready deliberately accepts detachments: go and defer statements, cleanup calls (Shutdown, Close, " +
			"Rollback…), callbacks that run later (returned cleanup funcs, context.AfterFunc), code that has seen " +
			"ctx.Done(), and a nil-ctx default. Our cases: testdata/src/peerfhcontextcheck.",
	}
}
