package program

import (
	"go/types"
	"strings"
)

// A call to a logger is not the program's business: a log line that a
// logger ships to Datadog or Elasticsearch over HTTP is no outbound POST a
// handler makes, and no notification a job sends. The graph does not
// follow such calls, so their effects do not reach a caller's summary
// (dual-write and resend-after-mark-failure judged them as business writes
// on an application whose logger forwards to a log service).

// logVerbs are the method and function names of logging calls.
var logVerbs = map[string]bool{
	"Log": true, "Logf": true, "Logw": true, "Print": true, "Printf": true, "Println": true,
	"Trace": true, "Tracef": true, "Tracew": true, "Debug": true, "Debugf": true, "Debugw": true,
	"Info": true, "Infof": true, "Infow": true, "Warn": true, "Warnf": true, "Warnw": true,
	"Warning": true, "Warningf": true, "Error": true, "Errorf": true, "Errorw": true,
	"Fatal": true, "Fatalf": true, "Fatalw": true, "Panic": true, "Panicf": true,
}

// LoggingCall reports whether fn logs (see loggingCall): the error a
// logger's own Log returns (go-kit's Logger) is not a failure of the work.
func LoggingCall(fn *types.Func) bool { return loggingCall(fn) }

// loggingCall reports whether fn logs: it is named for a log level or for
// printing, and its package or receiver type is named for logging
// (package log, logger or logging; a Logger type or interface).
func loggingCall(fn *types.Func) bool {
	if fn == nil || !logVerbs[fn.Name()] {
		return false
	}
	if pkg := fn.Pkg(); pkg != nil && loggingWord(pkg.Name()) {
		return true
	}
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil {
		return false
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	return ok && loggingWord(named.Obj().Name())
}

// loggingWord reports whether a package or type name is about logging:
// log, logger, logging, zerolog, slog, Logger, ExtraLogger, but not
// catalog, blog or login.
func loggingWord(name string) bool {
	n := strings.ToLower(name)
	return n == "log" || strings.HasSuffix(n, "logger") || strings.HasSuffix(n, "logging") ||
		n == "slog" || n == "zerolog" || n == "logrus" || strings.HasPrefix(n, "logger")
}
