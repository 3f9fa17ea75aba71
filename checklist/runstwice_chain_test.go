package checklist

import (
	"fmt"
	"go/token"
	"strings"
	"testing"

	"github.com/prodready/prodready/checklist/program"
)

// TestRunsTwiceThroughChains runs insert- and update-not-idempotent over a
// service of several packages: writes in a repository reached from a
// webhook registered in main through an interface the handler's package
// cannot see the implementation of, from a NATS callback and from a cron
// job, each beside a twin that dedupes and must stay silent.
func TestRunsTwiceThroughChains(t *testing.T) {
	t.Parallel()
	runModule(t, "shop", []string{"./..."}, insertNotIdempotentAnalyzer, updateNotIdempotentAnalyzer)
}

// TestReachChainsTo lists, for the LLM prompt, the entries whose chains reach
// a repository method, with their delivery.
func TestReachChainsTo(t *testing.T) {
	t.Parallel()
	graph, _, _ := loadModule(t, "shop", []string{"./..."}, program.Analyzer)
	var models []*program.Model
	var fset *token.FileSet
	for _, act := range graph.Roots {
		if m, ok := act.Result.(*program.Model); ok {
			models = append(models, m)
			fset = act.Package.Fset
		}
	}
	r := program.NewReach(fset, models)
	got := strings.Join(r.ChainsTo("store/store.go", 17), "\n")
	if !strings.Contains(got, "webhook handler (/webhooks/stripe) `(*Handler).Stripe`") ||
		!strings.Contains(got, "`(*Service).record` → `(*Store).RecordRefund` [at-least-once]") {
		t.Errorf("ChainsTo(RecordRefund) = %q", got)
	}
	if got := r.ChainsTo("store/store.go", 65); len(got) != 1 || !strings.HasPrefix(got[0], "start-up `main`") || !strings.HasSuffix(got[0], "[once]") {
		t.Errorf("ChainsTo(LogStartup) = %q, want only main's start-up chain, delivered once", got)
	}
	if got := r.ChainsTo("billing/billing.go", 1); len(got) != 0 {
		t.Errorf("ChainsTo(outside any function) = %q", got)
	}
}

// TestDualWriteThroughChains reports a publish and an outbound POST that
// follow a database write on a request handler's path, across packages,
// and stays silent on a transaction with an outbox.
func TestDualWriteThroughChains(t *testing.T) {
	t.Parallel()
	runModule(t, "orders", []string{"./..."}, dualWriteAnalyzer)
}

// TestChainsCutShort loads only the handlers' package, as a review of a
// change there would without widening: the repository and publisher come
// from export data, so the model has no summaries for them and says which
// chains it could not follow, while the handlers' own model is still built.
func TestChainsCutShort(t *testing.T) {
	t.Parallel()
	graph, _, _ := loadModule(t, "orders", []string{"./api"}, program.Analyzer, dualWriteAnalyzer)
	var entries []*program.Entry
	for _, act := range graph.Roots {
		if m, ok := act.Result.(*program.Model); ok {
			entries = append(entries, m.Entries...)
		}
		if len(act.Diagnostics) > 0 {
			t.Errorf("%s reported on a cut chain: %s", act.Analyzer.Name, act.Diagnostics[0].Message)
		}
	}
	var create *program.Entry
	for _, e := range entries {
		if e.Name == "(*API).CreateOrder" {
			create = e
		}
	}
	if create == nil || create.Delivery != program.Concurrent {
		t.Fatalf("no concurrent entry (*API).CreateOrder among %d entries", len(entries))
	}
	cut := strings.Join(create.Summary.Cut, "\n")
	if !strings.Contains(cut, "repo.(*Repo).Insert not followed") || !strings.Contains(cut, "events.(*Publisher).OrderCreated not followed") {
		t.Errorf("cut = %q", cut)
	}
}

// TestRunsTwiceIntegrations finds redelivery defects behind entries that
// only their registration or framework shows (a gorilla route under
// /integrations/, beego controllers on a webhook route, an echo strict
// server's webhook method, an echo handler named for a hook) and writes
// through gorp, sqlx NamedExec and xorm Incr, each beside a twin that
// stays silent: an ordinary route, a delivery-ID claim, an existence check
// that returns, a SELECT ... FOR UPDATE, a singleflight-like Do, a browser's
// GET callback (by its route or its body) beside a provider's POSTed one; an
// entry recognised only by its name is capped at info.
func TestRunsTwiceIntegrations(t *testing.T) {
	t.Parallel()
	runModule(t, "integ", []string{"./..."}, insertNotIdempotentAnalyzer, updateNotIdempotentAnalyzer, retryNewKeyAnalyzer)
}

// TestResendAfterMarkThroughChains reports a mark-sent write whose error is
// only logged or dropped after a send, through a notifier and a store in
// two packages: posted in a loop over pending rows, from a poll loop's
// callee and from a scheduled job, info in a request handler; silent when
// the error is returned, the row is claimed first, the send carries an
// idempotency key, the two are exclusive, the write marks nothing, or a
// one-shot command does it.
func TestResendAfterMarkThroughChains(t *testing.T) {
	t.Parallel()
	runModule(t, "notify", []string{"./..."}, resendAfterMarkAnalyzer)
}

// TestOneTimeTokenReuseThroughChains reports a single-use secret consumed
// without a row count after a read and a grant: a reset token deleted by a
// repository in another package, an authorization code deleted with gorm;
// silent when the repository checks RowsAffected, the gorm delete comes
// first with its count checked, the read holds a row lock, or the delete
// sits on a branch that grants nothing; info for a secret named only token.
func TestOneTimeTokenReuseThroughChains(t *testing.T) {
	t.Parallel()
	runModule(t, "tokens", []string{"./..."}, oneTimeTokenReuseAnalyzer)
}

// TestOneTimeTokenReuseKV reports single-use secrets kept in Redis (go-redis
// v9 and v8, redigo) read, granted on and deleted without reading how many
// keys went: in a handler, and through a service and a cache package;
// silent for GETDEL, a delete whose count is checked first, a Lua script,
// Watch and MULTI/EXEC transactions, a checked SETNX used marker, a delete
// on a branch that grants nothing, and keys no single-use word names (a
// profile cache, a workflow state); info for a key named only token.
func TestOneTimeTokenReuseKV(t *testing.T) {
	t.Parallel()
	runModule(t, "kvtokens", []string{"./..."}, oneTimeTokenReuseAnalyzer)
}

// TestCountedEffect checks the model's Counted bit: a DELETE whose result
// is read for RowsAffected is counted, one whose result is read only for
// its error is not, and the bit travels up the chain.
func TestCountedEffect(t *testing.T) {
	t.Parallel()
	graph, _, _ := loadModule(t, "tokens", []string{"./..."}, program.Analyzer)
	counted := map[string]bool{}
	for _, act := range graph.Roots {
		if m, ok := act.Result.(*program.Model); ok {
			for name, s := range m.Funcs {
				for _, e := range s.Effects {
					if e.Kind == program.Delete {
						counted[name] = e.Counted
					}
				}
			}
		}
	}
	want := map[string]bool{"(*Repo).ConsumeResetToken": true, "(*Repo).DeleteResetToken": false,
		"(*Service).ResetPasswordConsumed": true, "(*Service).ResetPassword": false,
		"(*Service).ExchangeCounted": true, "(*Service).Exchange": false}
	for name, w := range want {
		if got, ok := counted[name]; !ok || got != w {
			t.Errorf("%s: counted %v (found %v), want %v", name, got, ok, w)
		}
	}
}

// TestKVEffects checks the model's key-value effects: reads, deletes and
// claims of go-redis and redigo, and when a delete or claim is counted (its
// reply read, a GETDEL, a transaction) and when not (only its error read,
// its reply dropped).
func TestKVEffects(t *testing.T) {
	t.Parallel()
	graph, _, _ := loadModule(t, "kvtokens", []string{"./..."}, program.Analyzer)
	type kv struct {
		kind    program.EffectKind
		counted bool
	}
	got := map[string][]kv{}
	details := map[string]string{}
	for _, act := range graph.Roots {
		if m, ok := act.Result.(*program.Model); ok {
			for name, s := range m.Funcs {
				for _, e := range s.Effects {
					switch e.Kind {
					case program.KVRead, program.KVDelete, program.KVClaim:
						got[name] = append(got[name], kv{e.Kind, e.Counted})
						details[name] += e.Detail + "; "
					}
				}
			}
		}
	}
	want := map[string][]kv{
		"(*Codes).VerificationCode":       {{program.KVRead, false}},
		"(*Codes).DeleteVerificationCode": {{program.KVDelete, false}},
		"(*Codes).RemoveVerificationCode": {{program.KVDelete, true}},
		"(*Codes).TakeVerificationCode":   {{program.KVDelete, true}},
		"(*Codes).MarkCodeUsed":           {{program.KVClaim, true}},
		"(*API).ResetPasswordCounted":     {{program.KVRead, false}, {program.KVDelete, true}},
		"(*API).ResetPasswordWatched":     {{program.KVRead, false}, {program.KVDelete, true}},
		"(*API).ResetPasswordMulti":       {{program.KVRead, false}, {program.KVDelete, true}},
		"(*API).AcceptInvite":             {{program.KVRead, false}, {program.KVDelete, false}},
		"(*API).AcceptInviteCounted":      {{program.KVRead, false}, {program.KVDelete, true}},
		"(*API).ResetPasswordScript":      nil,
	}
	for name, w := range want {
		if fmt.Sprint(got[name]) != fmt.Sprint(w) {
			t.Errorf("%s: %v, want %v", name, got[name], w)
		}
	}
	if d := details["(*API).ResetPassword"]; !strings.Contains(d, "GET password_reset:%s, key = fmt.Sprintf(resetKeyFormat") {
		t.Errorf("ResetPassword: details %q, want the key's format and the local it is built in", d)
	}
}

// TestRunsTwiceThroughFacade: a webhook reaches its writes through a facade
// struct that embeds one service per area and the store's interface (the
// handler's interface is implemented only by the embedding, wired in
// main); an insert a get-or-create makes only when a lookup found none is
// not a redelivery's second row.
func TestRunsTwiceThroughFacade(t *testing.T) {
	t.Parallel()
	runModule(t, "deploys", []string{"./..."}, insertNotIdempotentAnalyzer)
}
