package checklist

import (
	"testing"

	"github.com/prodready/prodready/checklist/program"
)

// TestProgramKinds checks, on a module with one function per effect and one
// per kind of entry point, that the model classifies each.
func TestProgramKinds(t *testing.T) {
	t.Parallel()
	graph, _, _ := loadModule(t, "kinds", []string{"./..."}, program.Analyzer)
	funcs := map[string]*program.Summary{}
	entries := map[string]*program.Entry{}
	for _, act := range graph.Roots {
		m, ok := act.Result.(*program.Model)
		if !ok {
			t.Fatalf("%s: no model (%v)", act, act.Err)
		}
		for name, s := range m.Funcs {
			funcs[name] = s
		}
		for _, e := range m.Entries {
			entries[e.Label+" "+e.Name] = e
		}
	}
	effects := map[string]program.EffectKind{
		"SQLInsert": program.Insert, "SQLUpsert": program.Upsert, "SQLRelUpdate": program.RelUpdate,
		"SQLUpdate": program.Update, "SQLDelete": program.Delete,
		"GormInsert": program.Insert, "GormUpsert": program.Upsert, "GormRelUpdate": program.RelUpdate,
		"BunInsert": program.Insert, "BunUpsert": program.Upsert, "XormInsert": program.Insert, "EntInsert": program.Insert,
		"NATSPublish": program.Publish, "RiverEnqueue": program.Publish, "OutboundPost": program.HTTPOut,
		"Payment": program.Payment, "Email": program.Email, "FileWrite": program.FileWrite,
		"Goroutine": program.Goroutine, "Lock": program.Lock, "ChanClose": program.ChanClose,
	}
	for name, kind := range effects {
		s := funcs[name]
		if s == nil || len(s.Effects) != 1 || s.Effects[0].Kind != kind {
			t.Errorf("%s: effects %+v, want one %s", name, s, kind)
		}
	}
	if s := funcs["PaymentRead"]; s != nil && len(s.Effects) > 0 {
		t.Errorf("PaymentRead: a read is not a payment: %+v", s.Effects)
	}
	if s := funcs["OutboundPost"]; s != nil && len(s.Effects) == 1 && s.Effects[0].Detail != "POST" {
		t.Errorf("OutboundPost: method %q, want POST", s.Effects[0].Detail)
	}
	if s := funcs["Marker"]; s == nil || !s.Deduped {
		t.Errorf("Marker: an ON CONFLICT DO NOTHING into processed_events is a dedupe guard: %+v", s)
	}
	if s := funcs["Tx"]; s == nil || !s.Tx {
		t.Errorf("Tx: BeginTx opens a transaction: %+v", s)
	}
	want := map[string]program.Delivery{
		"queue handler (*Worker).Work":        program.AtLeastOnce,
		"queue handler func literal":          program.AtLeastOnce,
		"webhook handler HandleGitHubWebhook": program.AtLeastOnce,
		"request handler List":                program.Concurrent,
		"inbox handler HandleInbox":           program.AtLeastOnce,
		"gRPC method (*ordersServer).Get":     program.Concurrent,
		"CLI command func literal":            program.Once,
		"scheduled job func literal":          program.AtLeastOnce,
	}
	for k, d := range want {
		if e := entries[k]; e == nil || e.Delivery != d {
			t.Errorf("entry %q: %+v, want delivery %s", k, e, d)
		}
	}
	if t.Failed() {
		for k := range entries {
			t.Logf("entry %q", k)
		}
	}
}
