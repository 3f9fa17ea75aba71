package checklist

import (
	"fmt"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist/program"
)

var insertNotIdempotentAnalyzer = &analysis.Analyzer{
	Name:             "insert_not_idempotent",
	Doc:              "reports SQL INSERTs without a conflict guard, and Kubernetes creates under a made-up name, reachable from a job, message, event or webhook handler with no dedupe guard on the way",
	Requires:         []*analysis.Analyzer{program.Analyzer},
	RunDespiteErrors: true,
	Run: func(pass *analysis.Pass) (any, error) {
		return runHandlerWrites(pass, program.Insert, program.ObjectCreate), nil
	},
}

var updateNotIdempotentAnalyzer = &analysis.Analyzer{
	Name:             "update_not_idempotent",
	Doc:              "reports relative SQL UPDATEs (x = x + n) without a dedupe guard reachable from a job, message, event or webhook handler",
	Requires:         []*analysis.Analyzer{program.Analyzer},
	RunDespiteErrors: true,
	Run:              func(pass *analysis.Pass) (any, error) { return runHandlerWrites(pass, program.RelUpdate), nil },
}

// runHandlerWrites reports each write of the kinds that an at-least-once entry
// of the package reaches with no dedupe guard in reach, wherever in the
// module the write sits. A write is reported once, for the first entry in
// source order that reaches it.
func runHandlerWrites(pass *analysis.Pass, kinds ...program.EffectKind) any {
	model := pass.ResultOf[program.Analyzer].(*program.Model)
	done := map[token.Pos]bool{}
	for _, e := range model.Entries {
		if e.Delivery != program.AtLeastOnce || e.Summary == nil || e.Summary.Deduped {
			continue
		}
		for _, eff := range e.Summary.Effects {
			if !slices.Contains(kinds, eff.Kind) || done[eff.Pos] {
				continue
			}
			if e.Reconciler() && eff.Kind == program.ObjectCreate {
				// A reconciler usually lists what it owns before it
				// creates under a generated name; the check cannot see
				// that guard, so it leaves reconcilers' creates alone.
				continue
			}
			done[eff.Pos] = true
			var msg string
			switch eff.Kind {
			case program.ObjectCreate:
				msg = fmt.Sprintf("creates a %s, %s; a redelivery creates a second object. Name it from the delivery (the event or delivery ID) so that a repeat fails with AlreadyExists, and treat AlreadyExists as done",
					eff.Detail, reachedFrom(pass.Fset, e, eff))
			case program.Insert:
				if mongo, ok := strings.CutPrefix(eff.Detail, "mongo "); ok {
					msg = fmt.Sprintf("MongoDB %s with no key taken from the message, %s; a redelivery inserts a second document. Set _id (or a field with a unique index) from the message's ID, so that a repeat fails with a duplicate-key error you treat as done, or upsert on it",
						mongo, reachedFrom(pass.Fset, e, eff))
					break
				}
				msg = fmt.Sprintf("INSERT without ON CONFLICT (or another guard)%s, %s; %s inserts a second row or fails forever on a unique key. Add ON CONFLICT (key) DO NOTHING with a key taken from the message",
					insertName(eff.Detail), reachedFrom(pass.Fset, e, eff), again(e))
				if e.Reconciler() {
					msg = strings.Replace(msg, "with a key taken from the message", "with a key taken from the object (its UID)", 1)
				}
			default:
				if mongo, ok := strings.CutPrefix(eff.Detail, "mongo "); ok {
					msg = fmt.Sprintf("MongoDB %s, %s; a redelivery applies the increment twice. Record the message ID (a processed-messages document with a unique _id) and skip if it was already there, or set the value instead of adding to it",
						mongo, reachedFrom(pass.Fset, e, eff))
					break
				}
				msg = fmt.Sprintf("UPDATE sets %s relative to itself, %s; a redelivery applies it twice. Record the message ID in the same transaction (INSERT ... ON CONFLICT DO NOTHING) and skip if it was already there, or guard the UPDATE with a version",
					eff.Detail, reachedFrom(pass.Fset, e, eff))
			}
			cat := ""
			switch {
			case e.Guessed():
				cat = AtMostInfo
			case e.Summary.Tx:
				// The delivery's work runs in a transaction: a delivery that
				// failed rolled its rows back, so the retry starts clean.
				// Only a redelivery after the commit (an acknowledgement
				// lost) repeats the write: worth knowing, not a comment.
				cat = AtMostInfo
				msg += " (info: the handler's work runs in a transaction, so a retry after a failure finds nothing to repeat; only a redelivery after the commit does)"
			default:
				if cat = redeliveryCap(e); cat != "" {
					msg += redeliveryNote(e)
				}
			}
			pass.Report(analysis.Diagnostic{Pos: eff.Pos, Message: msg, Related: chainRelated(e, eff), Category: cat})
		}
	}
	return nil
}

// entryCap caps a finding reached from an entry the model only guessed at
// by its name and parameters: a summary line, not a comment to post.
func entryCap(e *program.Entry) string {
	if e.Guessed() {
		return AtMostInfo
	}
	return ""
}

// redeliveryCap caps a finding reached from an entry whose redelivery is not in
// evidence: posted from a queue library's consumer (its type says it
// redelivers) or an event payload of a webhook library, and from a webhook
// or inbox route whose own code reads a delivery id or checks the body's
// signature (a real sender stands behind it); at info from every other
// at-least-once entry (a route named for a hook that nobody is seen to
// redeliver, a scheduled job, an entry guessed from its name). The reads of
// sessions 4 and 5 found those false every time: browser callbacks,
// in-process buses, single-use codes.
func redeliveryCap(e *program.Entry) string {
	switch {
	case e.Guessed():
		return AtMostInfo
	case strings.HasPrefix(e.Label, "queue"), strings.HasPrefix(e.Label, "event"), e.Reconciler():
		return ""
	case strings.HasPrefix(e.Label, "webhook"), strings.HasPrefix(e.Label, "inbox"):
		if e.Sender {
			return ""
		}
	}
	return AtMostInfo
}

// redeliveryNote says why redeliveryCap capped a finding.
func redeliveryNote(e *program.Entry) string {
	if strings.HasPrefix(e.Label, "webhook") || strings.HasPrefix(e.Label, "inbox") {
		return " (info: the route reads no delivery id and checks no signature, so whether a sender redelivers to it is not in sight)"
	}
	return " (info: this entry's redelivery is not in evidence)"
}

// again says what runs an entry's work a second time.
func again(e *program.Entry) string {
	if e.Reconciler() {
		return "reconciling the object again (after a restart, on resync)"
	}
	return "a redelivery"
}

// insertName names the table an insert writes, as " into t".
func insertName(detail string) string {
	if t, ok := strings.CutPrefix(detail, "INSERT INTO "); ok && t != "" {
		return " into " + t
	}
	return ""
}

// reachedFrom names the entry and the chain in one phrase.
func reachedFrom(fset *token.FileSet, e *program.Entry, eff program.Effect) string {
	where := fmt.Sprintf("the %s `%s` (%s)", e.Label, e.Name, program.ShortPos(fset, e.Pos))
	if len(eff.Via) == 0 {
		return "inside " + describeDelivery(e.Label) + " " + where[len("the "+e.Label+" "):]
	}
	return "reached from " + where + via(eff.Via)
}

// describeDelivery says why an entry runs again.
func describeDelivery(label string) string {
	switch {
	case strings.HasPrefix(label, "queue"):
		return "a queue handler (queues deliver at least once)"
	case strings.HasPrefix(label, "webhook"):
		return "a webhook handler (senders redeliver on timeouts)"
	case strings.HasPrefix(label, "event"):
		return "an event handler (events are redelivered)"
	case strings.HasPrefix(label, "scheduled"):
		return "a scheduled job (a missed or overlapping run repeats it)"
	case label == "reconciler":
		return "a reconciler (every object is reconciled again after each restart and on resync)"
	}
	return "a job or message handler (deliveries repeat)"
}

// chainRelated lists the chain's positions: the entry, then each call on the
// way to the effect, so that a review can anchor the finding on whichever
// of them the change touched.
func chainRelated(e *program.Entry, eff program.Effect) []analysis.RelatedInformation {
	rel := []analysis.RelatedInformation{{Pos: e.Pos, Message: "entry: " + e.Name}}
	for _, s := range eff.Via {
		rel = append(rel, analysis.RelatedInformation{Pos: s.Pos, Message: "calls " + s.Name})
	}
	return rel
}
