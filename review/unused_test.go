package review

import (
	"context"
	"testing"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/internal/testenv"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/patch"
)

const feedClient = `// Package feed fetches feeds.
package feed

import (
	"io"
	"net/http"
)

// Fetch reads a feed; the service's handler calls it.
func Fetch(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

// RefreshLegacy was the old reader's only caller; nothing calls it.
func RefreshLegacy() { _, _ = FetchLegacy("https://example.com/old") }

// FetchLegacy is the old reader nothing live calls any more.
func FetchLegacy(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}
`

// TestUnusedCodeIsInfo: in an application (a module with a main package), a
// finding in a function nothing live calls outside tests (its only caller is
// itself uncalled) is info, and the same
// defect in the function a handler calls stays posted. A test that calls the
// unused one does not make it used. Without a main package (a library),
// both stay posted: the library's users call them.
func TestUnusedCodeIsInfo(t *testing.T) {
	const main = `package main

import (
	"log"
	"net/http"
	"time"

	"example.com/svc/feed"
)

func main() {
	http.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		b, err := feed.Fetch("https://example.com/feed")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		_, _ = w.Write(b)
	})
	srv := &http.Server{Addr: ":8080", ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
`
	const test = `package feed

import "testing"

func TestFetchLegacy(t *testing.T) { _, _ = FetchLegacy("http://127.0.0.1:1") }
`
	for _, tc := range []struct {
		name       string
		files      map[string]string
		wantLegacy finding.Severity
	}{
		{"application", map[string]string{"feed/feed.go": feedClient, "feed/feed_test.go": test, "cmd/svc/main.go": main}, finding.SeverityInfo},
		{"library", map[string]string{"feed/feed.go": feedClient, "feed/feed_test.go": test}, finding.SeverityError},
		{"library with an example program", map[string]string{"feed/feed.go": feedClient, "examples/fetch/main.go": main}, finding.SeverityError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := testenv.NewRepo(t)
			r.Write(map[string]string{"go.mod": testenv.GoMod, "doc.go": "// Package svc is a test module.\npackage svc\n"})
			r.Commit("base")
			r.Git("checkout", "-q", "-b", "feature")
			r.Write(tc.files)
			r.Commit("feed")
			rep, err := runReport(context.Background(), Options{Dir: r.Dir, Base: "main", Flags: config.Flags{Filter: string(patch.FilterFile)}})
			if err != nil {
				t.Fatal(err)
			}
			got := severityByFunc(rep, "http-no-timeout")
			if got["Fetch"] != finding.SeverityError {
				t.Errorf("Fetch (called): severity %q, want error; findings %+v", got["Fetch"], rep.Findings)
			}
			if got["FetchLegacy"] != tc.wantLegacy {
				t.Errorf("FetchLegacy (uncalled): severity %q, want %q; findings %+v", got["FetchLegacy"], tc.wantLegacy, rep.Findings)
			}
		})
	}
}

// queueGoMod requires a stand-in queue library, replaced by a directory of
// the fixture (a directory replacement needs no go.sum). The library keeps
// the workers it is given and never calls them in sight, as river, asynq
// and robfig/cron call theirs from their own goroutines.
const (
	queueGoMod = "module example.com/svc\n\ngo 1.22\n\nrequire example.com/queue v0.0.0\n\nreplace example.com/queue => ./third_party/queue\n"
	queueLib   = `// Package queue stands in for a job queue library.
package queue

import "context"

// Worker runs one kind of job.
type Worker interface {
	Work(ctx context.Context) error
}

// TypedWorker runs jobs of arguments T.
type TypedWorker[T any] interface {
	Work(ctx context.Context, args T) error
}

var workers []any

// AddWorker registers w; the queue's goroutines call it.
func AddWorker(w Worker) { workers = append(workers, w) }

// AddTyped registers w for jobs of T.
func AddTyped[T any](w TypedWorker[T]) { workers = append(workers, w) }

// Log records v.
func Log(v any) { _ = v }

// Register takes any job and runs those that are Workers, as go-flags runs
// a command handed to AddCommand as a Commander.
func Register(v any) {
	if w, ok := v.(Worker); ok {
		workers = append(workers, w)
	}
}
`
)

// TestConvertedMethodsAreLive: a method only another module calls, through
// an interface the module's value is converted to (a worker handed to a
// queue library, plain or generic), is live, and its finding stays posted.
// So is one converted in a slice literal or a return, and one handed as any
// to a function of a package that declares an interface it implements (the
// package may assert it). A value handed only to an empty interface of a
// package with no such interface (log.Println), or only asserted to
// implement one (var _ I = (*T)(nil)), makes none of its methods live: its
// Work, with the same defect, stays info.
func TestConvertedMethodsAreLive(t *testing.T) {
	const jobs = `// Package jobs holds the service's workers.
package jobs

import (
	"context"
	"io"
	"net/http"

	"example.com/queue"
)

// EmailWorker sends mail; the queue calls Work.
type EmailWorker struct{}

// Work is called by the queue only.
func (EmailWorker) Work(ctx context.Context) error { return get("https://example.com/mail") }

// SMSArgs are an SMS job's arguments.
type SMSArgs struct{ To string }

// SMSWorker sends texts; the queue calls Work.
type SMSWorker struct{}

// Work is called by the queue only.
func (*SMSWorker) Work(ctx context.Context, args SMSArgs) error {
	resp, err := http.Get("https://example.com/sms?to=" + args.To)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// AuditJob is only logged.
type AuditJob struct{}

// Work is called by nothing: AuditJob only goes to log.Println, whose
// package declares no interface Work would answer.
func (AuditJob) Work(ctx context.Context) error {
	resp, err := http.Get("https://example.com/audit")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// PushWorker sends pushes; it goes to the queue in a slice literal.
type PushWorker struct{}

// Work is called by the queue only.
func (PushWorker) Work(ctx context.Context) error {
	resp, err := http.Get("https://example.com/push")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// CleanupJob goes to the queue as any, and the queue asserts it to its
// own Worker.
type CleanupJob struct{}

// Work is called by the queue only.
func (CleanupJob) Work(ctx context.Context) error {
	resp, err := http.Get("https://example.com/cleanup")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// BatchWorker goes to the queue as a function's interface result.
type BatchWorker struct{}

// Work is called by the queue only.
func (*BatchWorker) Work(ctx context.Context) error {
	resp, err := http.Get("https://example.com/batch")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Registry lists workers.
func Registry() []queue.Worker { return []queue.Worker{PushWorker{}} }

// Batch returns the batch worker.
func Batch() queue.Worker { return &BatchWorker{} }

// AssertedWorker is only asserted to implement queue.Worker.
type AssertedWorker struct{}

var _ queue.Worker = (*AssertedWorker)(nil)

// Work is called by nothing: an assertion runs no method.
func (*AssertedWorker) Work(ctx context.Context) error {
	resp, err := http.Get("https://example.com/asserted")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func get(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return err
}
`
	const main = `package main

import (
	"log"

	"example.com/queue"
	"example.com/svc/jobs"
)

func main() {
	queue.AddWorker(&jobs.EmailWorker{})
	queue.AddTyped(&jobs.SMSWorker{}) // T inferred from the method
	log.Println(jobs.AuditJob{})
	queue.Register(jobs.CleanupJob{})
	queue.AddWorker(jobs.Batch())
	for _, w := range jobs.Registry() {
		queue.AddWorker(w)
	}
}
`
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": queueGoMod, "doc.go": "// Package svc is a test module.\npackage svc\n",
		"third_party/queue/go.mod": "module example.com/queue\n\ngo 1.22\n", "third_party/queue/queue.go": queueLib})
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write(map[string]string{"jobs/jobs.go": jobs, "cmd/svc/main.go": main})
	r.Commit("jobs")
	rep, err := runReport(context.Background(), Options{Dir: r.Dir, Base: "main", Flags: config.Flags{Filter: string(patch.FilterFile)}})
	if err != nil {
		t.Fatal(err)
	}
	got := severityByFunc(rep, "http-no-timeout")
	for fn, want := range map[string]finding.Severity{
		"get":             finding.SeverityError, // through EmailWorker.Work, handed to queue.AddWorker
		"SMSWorker.Work":  finding.SeverityError, // handed to the generic queue.AddTyped
		"AuditJob.Work":   finding.SeverityInfo,  // only handed to log.Println(v ...any)
		"CleanupJob.Work": finding.SeverityError, // handed to queue.Register(v any), which asserts it to queue.Worker
	} {
		if got[fn] != want {
			t.Errorf("%s: severity %q, want %q; findings %+v", fn, got[fn], want, rep.Findings)
		}
	}
}

// TestUnusedMethodOfAnUnbuiltType: with the whole application in sight, a
// method is live only when something live may call it on its own type: the
// interface calls that a provider's value answers do not reach the
// same-named method of an old type that no longer implements the interface.
func TestUnusedMethodOfAnUnbuiltType(t *testing.T) {
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": testenv.GoMod, "doc.go": "// Package svc is a test module.\npackage svc\n"})
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write(map[string]string{
		"provider/provider.go": `// Package provider applies DNS changes.
package provider

import "net/http"

// Provider applies changes.
type Provider interface{ Apply(url string) error }

// Route53 is built by main.
type Route53 struct{}

// Apply sends the change.
func (Route53) Apply(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Legacy is no longer built anywhere, and its Apply no longer fits
// Provider.
type Legacy struct{}

// Apply sends the change the old way.
func (Legacy) Apply(url string, retries int) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
`,
		"cmd/svc/main.go": `package main

import (
	"log"
	"time"

	"example.com/svc/provider"
)

func main() {
	var p provider.Provider = provider.Route53{}
	for {
		if err := p.Apply("https://example.com/zone"); err != nil {
			log.Print(err)
		}
		time.Sleep(time.Minute)
	}
}
`})
	r.Commit("providers")
	rep, err := runReport(context.Background(), Options{Dir: r.Dir, Base: "main", Flags: config.Flags{Filter: string(patch.FilterFile)}})
	if err != nil {
		t.Fatal(err)
	}
	got := severityByFunc(rep, "http-no-timeout")
	if got["Route53.Apply"] != finding.SeverityError || got["Legacy.Apply"] != finding.SeverityInfo {
		t.Fatalf("want Route53.Apply posted and Legacy.Apply info, got %v; findings %+v", got, rep.Findings)
	}
}

// TestPluginExportsAreLive: a main package with no main function is a Go
// plugin, whose exported functions the host looks up by name; what they
// reach is live and its finding stays posted, while an unexported function
// nothing calls in the plugin stays info.
func TestPluginExportsAreLive(t *testing.T) {
	const host = `package main

import (
	"log"
	"plugin"
)

func main() {
	p, err := plugin.Open("helm.so")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := p.Lookup("Register"); err != nil {
		log.Fatal(err)
	}
}
`
	const plug = `package main

import "net/http"

// Register is looked up by the host.
func Register() error { return fetchIndex("https://charts.example.com/index.yaml") }

func fetchIndex(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func fetchOld(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
`
	rep := reviewFiles(t, map[string]string{"cmd/host/main.go": host, "plugins/helm/main.go": plug})
	got := severityByFunc(rep, "http-no-timeout")
	for fn, want := range map[string]finding.Severity{
		"fetchIndex": finding.SeverityError, // Register, looked up by the host, calls it
		"fetchOld":   finding.SeverityInfo,  // nothing calls it
	} {
		if got[fn] != want {
			t.Errorf("%s: severity %q, want %q; findings %+v", fn, got[fn], want, rep.Findings)
		}
	}
}
