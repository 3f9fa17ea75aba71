package app_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/riverqueue/river/rivertype"
	"github.com/tidwall/sjson"

	"github.com/prodready/prodready/github/app"
	"github.com/prodready/prodready/github/jobs"
	"github.com/prodready/prodready/github/store"
	"github.com/prodready/prodready/github/store/storetest"
	"github.com/prodready/prodready/internal/testenv"
)

const secret = "test-secret"

// fixture reads one of the webhook payloads the repository carries.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	return testenv.Webhook(t, name)
}

func set(t testing.TB, payload []byte, path string, v any) []byte {
	t.Helper()
	out, err := sjson.SetBytes(payload, path, v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sign(key string, payload []byte) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(payload)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// deliver posts a delivery the way GitHub does and returns the status.
func deliver(t testing.TB, url, event, delivery string, payload []byte, signature string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/webhook", bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", delivery)
	if signature != "" {
		req.Header.Set("X-Hub-Signature-256", signature)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// recorder is a fake Reviewer: it "publishes" by recording the head it
// reviewed, after checking that the job is still current, as the real one does.
type recorder struct {
	mu        sync.Mutex
	published map[string]int // "pr@head" -> reviews
	attempts  int
	// hook, if set, runs before publishing; it may block or fail.
	hook func(ctx context.Context, j *jobs.Job) error
}

func (r *recorder) Review(ctx context.Context, j *jobs.Job) error {
	r.mu.Lock()
	r.attempts++
	hook := r.hook
	r.mu.Unlock()
	if hook != nil {
		if err := hook(ctx, j); err != nil {
			return err
		}
	}
	if ok, err := j.Current(ctx); err != nil {
		return err
	} else if !ok {
		return jobs.ErrSuperseded
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.published == nil {
		r.published = map[string]int{}
	}
	r.published[fmt.Sprintf("%d@%s", j.Args.Number, j.Args.HeadSHA)]++
	return nil
}

func (r *recorder) count() (map[string]int, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	total := 0
	for k, v := range r.published {
		out[k] = v
		total += v
	}
	return out, total
}

type failures struct {
	mu     sync.Mutex
	causes []string
}

func (f *failures) ReportFailure(_ context.Context, _ *jobs.Job, cause error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.causes = append(f.causes, cause.Error())
	return nil
}

type env struct {
	store   *store.Store
	url     string
	queue   *jobs.Client
	rev     *recorder
	fails   *failures
	reg     *prometheus.Registry
	jobsMet *jobs.Metrics
	deliv   *prometheus.CounterVec
}

func newEnv(t *testing.T, backend string, rev *recorder) *env {
	t.Helper()
	st := storetest.Open(t, backend, "")
	reg := prometheus.NewRegistry()
	e := &env{store: st, rev: rev, fails: &failures{}, reg: reg, jobsMet: jobs.NewMetrics(reg), deliv: app.NewDeliveries(reg)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	q, err := jobs.New(st, jobs.Config{
		ID: "test-" + backend, Workers: 4, PollInterval: 50 * time.Millisecond,
		JobTimeout: time.Minute, MaxAttempts: 3, Logger: log,
		Metrics: e.jobsMet, Reviewer: rev, Failures: e.fails,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	e.queue = q
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := q.Stop(sctx); err != nil {
			t.Errorf("stop queue: %v", err)
		}
	})
	jobs.RegisterStateGauge(reg, st)
	srv := &app.Server{
		Webhook:  &app.Webhook{Secret: []byte(secret), Queue: q, Logger: log, Deliveries: e.deliv},
		Ready:    st.Ready,
		Gatherer: reg,
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	e.url = hs.URL
	return e
}

// waitFinal waits until every review job is in a final state and returns
// them. The deadline is generous for busy CI machines; a passing run never
// waits for it.
func (e *env) waitFinal(t *testing.T, want int) []*rivertype.JobRow {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		all, err := e.queue.Jobs(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		done := 0
		for _, j := range all {
			switch j.State {
			case rivertype.JobStateCompleted, rivertype.JobStateCancelled, rivertype.JobStateDiscarded:
				done++
			}
		}
		if done == len(all) && len(all) >= want {
			return all
		}
		if time.Now().After(deadline) {
			for _, j := range all {
				t.Logf("job %d state %s attempt %d errors %v", j.ID, j.State, j.Attempt, j.Errors)
			}
			t.Fatalf("jobs not finished: %d of %d final, want %d", done, len(all), want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (e *env) jobCount(t *testing.T) int {
	t.Helper()
	all, err := e.queue.Jobs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(all)
}

func forBackends(t *testing.T, f func(t *testing.T, backend string)) {
	for _, b := range storetest.Backends {
		t.Run(b, func(t *testing.T) { f(t, b) })
	}
}

func TestValidDeliveryGivesOneReview(t *testing.T) {
	forBackends(t, func(t *testing.T, b string) {
		e := newEnv(t, b, &recorder{})
		p := fixture(t, "pull_request.opened.json")
		if code := deliver(t, e.url, "pull_request", "d-1", p, sign(secret, p)); code != http.StatusAccepted {
			t.Fatalf("status %d, want 202", code)
		}
		all := e.waitFinal(t, 1)
		if len(all) != 1 || all[0].State != rivertype.JobStateCompleted {
			t.Fatalf("jobs = %d, state %s; want one completed", len(all), all[0].State)
		}
		got, total := e.rev.count()
		if total != 1 || got["2@ec26c3e57ca3a959ca5aad62de7213c562f8c821"] != 1 {
			t.Fatalf("reviews = %v; want one of PR 2 at its head", got)
		}
		if v := testutil.ToFloat64(e.deliv.WithLabelValues("pull_request", "queued")); v != 1 {
			t.Errorf("deliveries{pull_request,queued} = %v, want 1", v)
		}
		if v := testutil.ToFloat64(e.jobsMet.Jobs.WithLabelValues("completed")); v != 1 {
			t.Errorf("jobs{completed} = %v, want 1", v)
		}
	})
}

func TestSameDeliveryFiveTimes(t *testing.T) {
	forBackends(t, func(t *testing.T, b string) {
		for _, mode := range []string{"sequential", "concurrent"} {
			t.Run(mode, func(t *testing.T) {
				e := newEnv(t, b, &recorder{})
				p := fixture(t, "pull_request.synchronize.json")
				sig := sign(secret, p)
				codes := make([]int, 5)
				var wg sync.WaitGroup
				for i := range 5 {
					if mode == "sequential" {
						codes[i] = deliver(t, e.url, "pull_request", "same-delivery", p, sig)
						continue
					}
					wg.Add(1)
					go func() {
						defer wg.Done()
						codes[i] = deliver(t, e.url, "pull_request", "same-delivery", p, sig)
					}()
				}
				wg.Wait()
				for i, c := range codes {
					if c != http.StatusAccepted {
						t.Fatalf("delivery %d: status %d, want 202", i, c)
					}
				}
				all := e.waitFinal(t, 1)
				if len(all) != 1 {
					t.Fatalf("%d jobs, want 1", len(all))
				}
				if _, total := e.rev.count(); total != 1 {
					t.Fatalf("%d reviews, want 1", total)
				}
			})
		}
	})
}

func TestBadSignatureStoresNothing(t *testing.T) {
	forBackends(t, func(t *testing.T, b string) {
		e := newEnv(t, b, &recorder{})
		p := fixture(t, "pull_request.opened.json")
		forged := set(t, p, "pull_request.head.sha", "0000000000000000000000000000000000000001")
		cases := map[string]struct {
			body []byte
			sig  string
		}{
			"forged body":  {forged, sign(secret, p)},
			"missing":      {p, ""},
			"wrong secret": {p, sign("not-the-secret", p)},
			"sha1 only":    {p, "sha1=0123"},
			"garbage":      {p, "sha256=zz"},
		}
		for name, c := range cases {
			if code := deliver(t, e.url, "pull_request", "bad-"+name, c.body, c.sig); code != http.StatusUnauthorized {
				t.Errorf("%s: status %d, want 401", name, code)
			}
		}
		if n := e.jobCount(t); n != 0 {
			t.Fatalf("%d jobs stored after bad signatures, want 0", n)
		}
		if v := testutil.ToFloat64(e.deliv.WithLabelValues("pull_request", "unauthorized")); v != float64(len(cases)) {
			t.Errorf("deliveries{unauthorized} = %v, want %d", v, len(cases))
		}
	})
}

func TestOversizeBody(t *testing.T) {
	forBackends(t, func(t *testing.T, b string) {
		e := newEnv(t, b, &recorder{})
		p := fixture(t, "pull_request.opened.json")
		big := set(t, p, "pull_request.body", strings.Repeat("x", 30<<20))
		if code := postRaw(t, e.url, big, false); code != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413", code)
		}
		// Also without a Content-Length: the cap applies while reading.
		if code := postRaw(t, e.url, big, true); code != http.StatusRequestEntityTooLarge {
			t.Fatalf("chunked: status %d, want 413", code)
		}
		if n := e.jobCount(t); n != 0 {
			t.Fatalf("%d jobs after oversize deliveries, want 0", n)
		}
	})
}

func TestEventsThatAreNotReviews(t *testing.T) {
	e := newEnv(t, "sqlite", &recorder{})
	comment := fixture(t, "issue_comment.created.with-installation.json")
	cases := []struct{ file, event string }{
		{"pull_request.closed.json", "pull_request"},
		{"pull_request.labeled.json", "pull_request"},
		{"pull_request.converted_to_draft.with-installation.json", "pull_request"},
		{"check_run.rerequested.json", "check_run"},
		{"check_suite.requested.json", "check_suite"},
		{"pull_request_review_comment.created.json", "pull_request_review_comment"},
		{"issue_comment.created.with-installation.json", "issue_comment"},
		{"ping.with-app_id.json", "ping"},
		{"installation.created.json", "installation"},
		{"installation.deleted.json", "installation"},
		{"installation_repositories.added.json", "installation_repositories"},
	}
	for _, c := range cases {
		p := fixture(t, c.file)
		if code := deliver(t, e.url, c.event, "d-"+c.file, p, sign(secret, p)); code != http.StatusOK {
			t.Errorf("%s: status %d, want 200", c.file, code)
		}
	}
	// The command on an issue (not a pull request) is ignored too.
	onIssue := set(t, comment, "comment.body", "/prodready review")
	if code := deliver(t, e.url, "issue_comment", "d-issue", onIssue, sign(secret, onIssue)); code != http.StatusOK {
		t.Errorf("command on an issue: status %d, want 200", code)
	}
	if n := e.jobCount(t); n != 0 {
		t.Fatalf("%d jobs, want 0", n)
	}
	if v := testutil.ToFloat64(e.deliv.WithLabelValues("ping", "logged")); v != 1 {
		t.Errorf("deliveries{ping,logged} = %v, want 1", v)
	}
	if v := testutil.ToFloat64(e.deliv.WithLabelValues("installation", "logged")); v != 2 {
		t.Errorf("deliveries{installation,logged} = %v, want 2", v)
	}
}

func TestReviewCommandQueuesAJob(t *testing.T) {
	forBackends(t, func(t *testing.T, b string) {
		e := newEnv(t, b, &recorder{})
		p := fixture(t, "issue_comment.created.with-installation.json")
		p = set(t, p, "comment.body", "  /prodready review\n")
		p = set(t, p, "issue.pull_request", map[string]any{"url": "https://api.github.com/repos/Codertocat/Hello-World/pulls/1"})
		if code := deliver(t, e.url, "issue_comment", "c-1", p, sign(secret, p)); code != http.StatusAccepted {
			t.Fatalf("status %d, want 202", code)
		}
		all := e.waitFinal(t, 1)
		var args struct {
			CommentID int64  `json:"comment_id"`
			Commenter string `json:"commenter"`
			Delivery  string `json:"delivery"`
		}
		if err := jsonUnmarshal(all[0].EncodedArgs, &args); err != nil {
			t.Fatal(err)
		}
		if args.CommentID == 0 || args.Commenter != "Codertocat" || args.Delivery != "c-1" {
			t.Fatalf("job args = %+v; want the comment, its author and the delivery", args)
		}
	})
}

func TestNewerHeadSupersedesRunningJob(t *testing.T) {
	forBackends(t, func(t *testing.T, b string) {
		const oldHead = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
		const newHead = "1111111111111111111111111111111111111111"
		started := make(chan struct{})
		release := make(chan struct{})
		rev := &recorder{}
		rev.hook = func(ctx context.Context, j *jobs.Job) error {
			if j.Args.HeadSHA == oldHead {
				close(started)
				<-release // the old head's review is mid-flight
			}
			return nil
		}
		e := newEnv(t, b, rev)
		p := fixture(t, "pull_request.synchronize.json")
		if code := deliver(t, e.url, "pull_request", "old", p, sign(secret, p)); code != http.StatusAccepted {
			t.Fatalf("old head: status %d", code)
		}
		waitClosed(t, started, "the review to start")
		p2 := set(t, p, "pull_request.head.sha", newHead)
		if code := deliver(t, e.url, "pull_request", "new", p2, sign(secret, p2)); code != http.StatusAccepted {
			t.Fatalf("new head: status %d", code)
		}
		close(release)
		e.waitFinal(t, 2)
		got, total := e.rev.count()
		if total != 1 || got["2@"+newHead] != 1 {
			t.Fatalf("published %v; want only the newest head", got)
		}
		if v := testutil.ToFloat64(e.jobsMet.Jobs.WithLabelValues("superseded")); v != 1 {
			t.Errorf("jobs{superseded} = %v, want 1", v)
		}
	})
}

func TestTransientFailureIsRetried(t *testing.T) {
	rev := &recorder{}
	var fails atomic.Int32
	rev.hook = func(ctx context.Context, j *jobs.Job) error {
		if j.Attempt == 1 {
			fails.Add(1)
			return errors.New("GitHub answered 502")
		}
		return nil
	}
	e := newEnv(t, "sqlite", rev)
	p := fixture(t, "pull_request.reopened.json")
	if code := deliver(t, e.url, "pull_request", "r", p, sign(secret, p)); code != http.StatusAccepted {
		t.Fatalf("status %d", code)
	}
	all := e.waitFinal(t, 1)
	if all[0].State != rivertype.JobStateCompleted || all[0].Attempt != 2 {
		t.Fatalf("job state %s after %d attempts; want completed on the 2nd", all[0].State, all[0].Attempt)
	}
	if _, total := rev.count(); total != 1 || fails.Load() != 1 {
		t.Fatalf("reviews %d after %d failures; want 1 after 1", total, fails.Load())
	}
	if len(e.fails.causes) != 0 {
		t.Fatalf("failure reported for a job that recovered: %v", e.fails.causes)
	}
}

func TestPermanentFailureIsVisible(t *testing.T) {
	forBackends(t, func(t *testing.T, b string) {
		rev := &recorder{}
		rev.hook = func(ctx context.Context, j *jobs.Job) error {
			return jobs.Permanent(errors.New("repository not found"))
		}
		e := newEnv(t, b, rev)
		p := fixture(t, "pull_request.opened.json")
		if code := deliver(t, e.url, "pull_request", "p", p, sign(secret, p)); code != http.StatusAccepted {
			t.Fatalf("status %d", code)
		}
		all := e.waitFinal(t, 1)
		if all[0].State != rivertype.JobStateCancelled || all[0].Attempt != 1 {
			t.Fatalf("job %s after %d attempts; want cancelled after 1", all[0].State, all[0].Attempt)
		}
		if len(e.fails.causes) != 1 || !strings.Contains(e.fails.causes[0], "repository not found") {
			t.Fatalf("failures reported: %v", e.fails.causes)
		}
		if v := testutil.ToFloat64(e.jobsMet.Jobs.WithLabelValues("failed")); v != 1 {
			t.Errorf("jobs{failed} = %v, want 1", v)
		}
	})
}

func TestHealthReadyMetrics(t *testing.T) {
	e := newEnv(t, "sqlite", &recorder{})
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready"} {
		resp, err := http.Get(e.url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s = %d %q; want 200 with %q", path, resp.StatusCode, body, want)
		}
	}
	// A delivery makes the jobs-by-state gauge appear.
	p := fixture(t, "pull_request.opened.json")
	deliver(t, e.url, "pull_request", "m", p, sign(secret, p))
	e.waitFinal(t, 1)
	resp, err := http.Get(e.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`prodready_jobs{state="completed"} 1`, `prodready_jobs_total{result="completed"} 1`,
		`prodready_webhook_deliveries_total{event="pull_request",result="queued"} 1`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s:\n%s", want, body)
		}
	}
}

func TestMalformedSignedPayload(t *testing.T) {
	e := newEnv(t, "sqlite", &recorder{})
	for name, p := range map[string][]byte{
		"not json":   []byte(`{"action": "opened", "pull_request": `),
		"no head":    set(t, fixture(t, "pull_request.opened.json"), "pull_request.head.sha", ""),
		"wrong type": set(t, fixture(t, "pull_request.opened.json"), "pull_request.number", "two"),
	} {
		if code := deliver(t, e.url, "pull_request", "m-"+name, p, sign(secret, p)); code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", name, code)
		}
	}
	if n := e.jobCount(t); n != 0 {
		t.Fatalf("%d jobs, want 0", n)
	}
}

// A flood from one installation does not starve another: each installation
// runs at most half the workers.
func TestInstallationCannotStarveOthers(t *testing.T) {
	release := make(chan struct{})
	var running, peak atomic.Int32
	rev := &recorder{hook: func(ctx context.Context, j *jobs.Job) error {
		if j.Args.InstallationID == 1 {
			n := running.Add(1)
			defer running.Add(-1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			select {
			case <-release:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	}}
	e := newEnv(t, "sqlite", rev) // 4 workers, 2 per installation
	base := fixture(t, "pull_request.opened.json")
	for n := 1; n <= 12; n++ {
		p := set(t, base, "pull_request.number", n)
		if code := deliver(t, e.url, "pull_request", fmt.Sprintf("flood-%d", n), p, sign(secret, p)); code != http.StatusAccepted {
			t.Fatalf("status %d", code)
		}
	}
	other := set(t, set(t, base, "installation.id", 2), "pull_request.number", 99)
	if code := deliver(t, e.url, "pull_request", "other", other, sign(secret, other)); code != http.StatusAccepted {
		t.Fatalf("status %d", code)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if got, _ := rev.count(); got["99@ec26c3e57ca3a959ca5aad62de7213c562f8c821"] == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the second installation's review never ran while the first flooded the queue")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, total := rev.count(); total != 1 {
		t.Fatalf("%d reviews before the flood was released, want only the other installation's", total)
	}
	if p := peak.Load(); p > 2 {
		t.Fatalf("%d reviews of one installation ran at once, cap is 2", p)
	}
	close(release)
	e.waitFinal(t, 13)
	if _, total := rev.count(); total != 13 {
		t.Fatalf("%d reviews after release, want 13", total)
	}
}

// Of two heads of one pull request, the request stored last is reviewed and
// the other is not, whatever their order on GitHub.
func TestLastStoredRequestWins(t *testing.T) {
	forBackends(t, func(t *testing.T, b string) {
		hold := make(chan struct{})
		rev := &recorder{hook: func(ctx context.Context, j *jobs.Job) error {
			<-hold // keep the queue from finishing before both are stored
			return nil
		}}
		e := newEnv(t, b, rev)
		p := fixture(t, "pull_request.synchronize.json")
		newer := set(t, p, "pull_request.head.sha", "2222222222222222222222222222222222222222")
		if code := deliver(t, e.url, "pull_request", "newer", newer, sign(secret, newer)); code != http.StatusAccepted {
			t.Fatalf("status %d", code)
		}
		older := set(t, p, "pull_request.head.sha", "1111111111111111111111111111111111111111")
		if code := deliver(t, e.url, "pull_request", "older", older, sign(secret, older)); code != http.StatusAccepted {
			t.Fatalf("status %d", code)
		}
		close(hold)
		e.waitFinal(t, 2)
		got, total := rev.count()
		if total != 1 || got["2@1111111111111111111111111111111111111111"] != 1 {
			t.Fatalf("published %v; want only the request stored last", got)
		}
	})
}

// A request that another replica has already overtaken (a higher job ID is
// claimed for the pull request) is stale: its job is stored already
// cancelled, in the same transaction, so no worker ever runs it.
func TestStaleRequestIsCancelled(t *testing.T) {
	forBackends(t, func(t *testing.T, b string) {
		e := newEnv(t, b, &recorder{})
		ctx := context.Background()
		args := jobs.ReviewArgs{InstallationID: 1, Owner: "o", Repo: "r", Number: 5, HeadSHA: "aaaa"}
		if _, _, err := e.store.Claim(ctx, args.PR(), 1<<40, "newer"); err != nil {
			t.Fatal(err)
		}
		res, err := e.queue.Enqueue(ctx, args)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Stale {
			t.Fatalf("Enqueue = %+v; want stale", res)
		}
		// The same through the webhook.
		p := fixture(t, "pull_request.synchronize.json")
		var hook struct {
			Installation struct{ ID int64 }
			Number       int
			Repository   struct {
				FullName string `json:"full_name"`
			}
		}
		if err := jsonUnmarshal(p, &hook); err != nil {
			t.Fatal(err)
		}
		pr := store.PR{InstallationID: hook.Installation.ID, Repo: hook.Repository.FullName, Number: hook.Number}
		if _, _, err := e.store.Claim(ctx, pr, 1<<40, "newer"); err != nil {
			t.Fatal(err)
		}
		if code := deliver(t, e.url, "pull_request", "stale", p, sign(secret, p)); code != http.StatusAccepted {
			t.Fatalf("stale delivery: status %d, want 202", code)
		}
		all := e.waitFinal(t, 2)
		for _, j := range all {
			if j.State != rivertype.JobStateCancelled || j.Attempt != 0 {
				t.Errorf("stale job %d is %s after %d attempts, want cancelled and never run", j.ID, j.State, j.Attempt)
			}
		}
		if _, total := e.rev.count(); total != 0 {
			t.Fatalf("%d reviews of a stale request", total)
		}
		if v := testutil.ToFloat64(e.deliv.WithLabelValues("pull_request", "stale")); v != 1 {
			t.Errorf("deliveries{pull_request,stale} = %v, want 1", v)
		}
	})
}

// postRaw sends a signed delivery over a bare connection and reads the answer
// while the body is still being written: a server that refuses a large body
// answers and closes before reading it all, and an HTTP client can report the
// broken write instead of the answer.
func postRaw(t *testing.T, url string, body []byte, chunked bool) int {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	go func() {
		w := bufio.NewWriterSize(conn, 64<<10)
		fmt.Fprintf(w, "POST /webhook HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n")
		fmt.Fprintf(w, "X-GitHub-Event: pull_request\r\nX-GitHub-Delivery: raw\r\nX-Hub-Signature-256: %s\r\n", sign(secret, body))
		if chunked {
			fmt.Fprintf(w, "Transfer-Encoding: chunked\r\n\r\n")
			for off := 0; off < len(body); off += 1 << 20 {
				end := min(off+1<<20, len(body))
				fmt.Fprintf(w, "%x\r\n", end-off)
				if _, err := w.Write(body[off:end]); err != nil {
					return // the server hung up, as it may
				}
				fmt.Fprintf(w, "\r\n")
			}
			fmt.Fprintf(w, "0\r\n\r\n")
		} else {
			fmt.Fprintf(w, "Content-Length: %d\r\n\r\n", len(body))
			if _, err := w.Write(body); err != nil {
				return
			}
		}
		_ = w.Flush()
	}()
	if err := conn.SetReadDeadline(time.Now().Add(60 * time.Second)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
