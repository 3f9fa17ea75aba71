package checklist

import (
	"go/ast"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/finding"
)

// A check has one default severity, but some of its findings matter less
// where they are: a whole read of a response from an upstream the service
// chose is worth knowing, not worth a comment, while the same read of a
// client's request body is. go/analysis diagnostics carry no severity, so a
// check says so through Diagnostic.Category, which is independent of the
// message (messages change; the marker does not): a category naming a
// severity caps the finding at that severity. The review driver and the vet
// tool honour it through [SeverityOf].
const (
	// AtMostWarning caps a diagnostic at warning.
	AtMostWarning = "prodready:at-most-warning"
	// AtMostInfo caps a diagnostic at info: listed in the summary, not
	// posted inline by default.
	AtMostInfo = "prodready:at-most-info"
	// PublicRouteOnly starts the category of a diagnostic that keeps its
	// check's severity only when the request handler it is reached from
	// is registered on a public route (one reached before any login
	// check); elsewhere, and wherever that is not known, it is info. The
	// handler is named after the prefix, as program.HandlerKey or
	// program.LiteralKey name it, several separated by routeKeySep (a
	// closure and the function returning it). Build it with [OnPublicRoute].
	PublicRouteOnly = "prodready:public-route-only:"
	// LoggedInInfo starts the category of a diagnostic that is info when
	// every request handler it names that is seen on a route is registered
	// only behind a login check (and at least one is seen): what it needs
	// an attacker to do takes a session already. Elsewhere, and wherever
	// routes are unknown, it keeps its check's severity. Build it with
	// [OnlyLoggedIn].
	LoggedInInfo = "prodready:logged-in-info:"
	// Evident marks a diagnostic of a check that is info by default on its
	// record, whose own code shows the exposure the record waits for (a
	// server that fetches its own certificates from Let's Encrypt answers
	// the internet directly): it is raised to warning unless the
	// configuration set the check's severity. See [DefaultSeverity].
	Evident = "prodready:evident"
)

// DefaultSeverity returns the severity a diagnostic starts from when the
// configuration does not set its check's: the check's default def, raised
// to warning for an [Evident] diagnostic.
func DefaultSeverity(def finding.Severity, d analysis.Diagnostic) finding.Severity {
	if d.Category == Evident && def.Rank() < finding.SeverityWarning.Rank() {
		return finding.SeverityWarning
	}
	return def
}

// routeKeySep separates the handler keys of a PublicRouteOnly category.
const routeKeySep = "\n"

// OnPublicRoute is the category of a diagnostic posted only where one of
// the handlers named by keys is registered on a public route.
func OnPublicRoute(keys ...string) string {
	return PublicRouteOnly + strings.Join(keys, routeKeySep)
}

// OnlyLoggedIn is the category of a diagnostic that is info when the
// handlers named by keys are seen only behind a login check.
func OnlyLoggedIn(keys ...string) string {
	return LoggedInInfo + strings.Join(keys, routeKeySep)
}

// RouteKeys returns the handler keys a PublicRouteOnly or LoggedInInfo
// category names.
func RouteKeys(d analysis.Diagnostic) []string {
	rest, ok := strings.CutPrefix(d.Category, PublicRouteOnly)
	if !ok {
		rest, ok = strings.CutPrefix(d.Category, LoggedInInfo)
	}
	if !ok || rest == "" {
		return nil
	}
	return strings.Split(rest, routeKeySep)
}

// Routes answers whether a request handler, named by its key, is
// registered on a public route. Registrations usually sit in a router
// package that imports the handler's, and analysis facts flow only to
// importers, so only a driver that sees every package's program model can
// answer it (program.Access); the vet tool, which runs package by package,
// cannot, and passes nil.
type Routes interface {
	Public(key string) bool
	// Behind says whether the handler is seen registered on a route, and
	// whether every route it is on asks for a login first.
	Behind(key string) (seen, authed bool)
}

// SeverityOf returns the severity of a diagnostic whose check has severity
// s (its default, or what the configuration set): s, or the cap the
// diagnostic's Category names when that is lower. A PublicRouteOnly
// diagnostic keeps s only when routes says one of its handlers is on a
// public route; with no routes (nil) it is info.
func SeverityOf(s finding.Severity, d analysis.Diagnostic, routes Routes) finding.Severity {
	var most finding.Severity
	switch {
	case d.Category == AtMostWarning:
		most = finding.SeverityWarning
	case d.Category == AtMostInfo:
		most = finding.SeverityInfo
	case strings.HasPrefix(d.Category, LoggedInInfo):
		if routes == nil {
			return s // the vet tool: no routes to judge by
		}
		seenAuthed := false
		for _, k := range RouteKeys(d) {
			seen, authed := routes.Behind(k)
			if seen && !authed {
				return s
			}
			seenAuthed = seenAuthed || seen
		}
		if !seenAuthed {
			return s
		}
		most = finding.SeverityInfo
	case strings.HasPrefix(d.Category, PublicRouteOnly):
		for _, k := range RouteKeys(d) {
			if routes != nil && routes.Public(k) {
				return s
			}
		}
		most = finding.SeverityInfo
	default:
		return s
	}
	if s.Rank() > most.Rank() {
		return most
	}
	return s
}

// reportIn reports msg at n, capped at cat (AtMostWarning, AtMostInfo, or
// "" for the check's own severity).
func reportIn(pass *analysis.Pass, n ast.Node, cat, msg string) {
	pass.Report(analysis.Diagnostic{Pos: n.Pos(), End: n.End(), Message: msg, Category: cat})
}
