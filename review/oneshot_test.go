package review

import (
	"context"
	"testing"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/internal/testenv"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/patch"
)

// The fixture module requires github.com/spf13/cobra and replaces it with
// a local stand-in of the same import path (the tests run offline, and a
// directory replacement needs no go.sum): a Command with the fields
// prodready reads.
const (
	cobraGoMod = "module example.com/svc\n\ngo 1.22\n\nrequire github.com/spf13/cobra v1.8.0\n\nreplace github.com/spf13/cobra => ./third_party/cobra\n"
	cobraStub  = `// Package cobra stands in for github.com/spf13/cobra.
package cobra

// Command is a command of a command line.
type Command struct {
	Use               string
	Run               func(cmd *Command, args []string)
	RunE              func(cmd *Command, args []string) error
	PersistentPreRunE func(cmd *Command, args []string) error
	subs              []*Command
}

// AddCommand adds subcommands.
func (c *Command) AddCommand(cmds ...*Command) { c.subs = append(c.subs, cmds...) }

// Execute runs the command line.
func (c *Command) Execute() error { return nil }
`
	oneShotMain = `package main

import (
	"log"
	"net/http"

	"github.com/spf13/cobra"

	"example.com/svc/check"
	"example.com/svc/server"
)

func main() {
	root := &cobra.Command{Use: "svc"}
	coverage := &cobra.Command{Use: "coverage"}
	coverage.RunE = func(*cobra.Command, []string) error {
		if _, err := check.NewFetcher().Fetch("https://example.com/doc"); err != nil {
			return err
		}
		_, err := (&check.Checker{}).Coverage("https://example.com/coverage")
		return err
	}
	root.AddCommand(serveCmd(), validate, coverage)
	if err := root.Execute(); err != nil {
		log.Fatal(err)
	}
}

// serveCmd starts the server (in another package) after reading its
// configuration over the network.
func serveCmd() *cobra.Command {
	return &cobra.Command{Use: "serve", RunE: func(*cobra.Command, []string) error {
		if _, err := check.Shared("https://example.com/config"); err != nil {
			return err
		}
		if _, err := (check.Cache{}).Fetch("https://example.com/cache"); err != nil {
			return err
		}
		// Each request reads the configuration and the cache again.
		return server.Run(":8080", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, err := check.Shared("https://example.com/config"); err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			if _, err := (check.Cache{}).Fetch("https://example.com/cache"); err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
			}
		}))
	}}
}

var validate = &cobra.Command{Use: "validate", RunE: runValidate}

func runValidate(*cobra.Command, []string) error {
	if _, err := check.Remote("https://example.com/schema"); err != nil {
		return err
	}
	_, err := check.Shared("https://example.com/config")
	return err
}
`
	oneShotServer = `// Package server serves the API.
package server

import (
	"net/http"
	"time"
)

// Run serves h until the listener fails.
func Run(addr string, h http.Handler) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 5 * time.Second}
	return srv.ListenAndServe()
}
`
	oneShotCheck = `// Package check reads remote schemas.
package check

import (
	"io"
	"net/http"
)

// Remote reads a schema; only the validate command calls it.
func Remote(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

// Shared reads the configuration: the serve command calls it too.
func Shared(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

// Fetcher fetches a document.
type Fetcher interface{ Fetch(u string) ([]byte, error) }

// NewFetcher returns the HTTP fetcher.
func NewFetcher() Fetcher { return HTTPFetcher{} }

// HTTPFetcher fetches over HTTP: only the coverage command calls it,
// through Fetcher.
type HTTPFetcher struct{}

// Fetch reads a document.
func (HTTPFetcher) Fetch(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

// Cache fetches through the cache: the serve command calls its Fetch, a
// method of the same name that does not make HTTPFetcher's serving.
type Cache struct{}

// Fetch reads a cached document.
func (Cache) Fetch(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

// Checker measures coverage.
type Checker struct{}

// Coverage reads a report; only the coverage command calls it.
func (c *Checker) Coverage(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}
`
)

// TestOneShotCommandCodeIsInfo: in an application whose cobra commands
// include a server (serve) and one-shot commands (validate, coverage), a
// client without a timeout that only the one-shot commands reach is info,
// and the same defect on the serve command's path stays posted, although
// its server starts in another package. When the review loads only part
// of the module (the change is in check alone, so the server package is out
// of sight), the serve command still counts as serving, and only plain
// functions are one-shot: serving code out of sight may dispatch to a
// method.
func TestOneShotCommandCodeIsInfo(t *testing.T) {
	for _, tc := range []struct {
		name         string
		base, change map[string]string
		wantCoverage finding.Severity
	}{
		{"whole module in the change", map[string]string{},
			map[string]string{"check/check.go": oneShotCheck, "server/server.go": oneShotServer, "cmd/svc/main.go": oneShotMain},
			finding.SeverityInfo},
		{"only the checks changed", map[string]string{"check/check.go": "// Package check reads remote schemas.\npackage check\n\nfunc Remote(string) ([]byte, error) { return nil, nil }\n\nfunc Shared(string) ([]byte, error) { return nil, nil }\n\n// Checker measures coverage.\ntype Checker struct{}\n\nfunc (*Checker) Coverage(string) ([]byte, error) { return nil, nil }\n\ntype Fetcher interface{ Fetch(string) ([]byte, error) }\n\nfunc NewFetcher() Fetcher { return HTTPFetcher{} }\n\ntype HTTPFetcher struct{}\n\nfunc (HTTPFetcher) Fetch(string) ([]byte, error) { return nil, nil }\n\ntype Cache struct{}\n\nfunc (Cache) Fetch(string) ([]byte, error) { return nil, nil }\n", "server/server.go": oneShotServer, "cmd/svc/main.go": oneShotMain},
			map[string]string{"check/check.go": oneShotCheck},
			finding.SeverityError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := testenv.NewRepo(t)
			base := map[string]string{"go.mod": cobraGoMod, "doc.go": "// Package svc is a test module.\npackage svc\n",
				"third_party/cobra/go.mod": "module github.com/spf13/cobra\n\ngo 1.22\n", "third_party/cobra/cobra.go": cobraStub}
			for k, v := range tc.base {
				base[k] = v
			}
			r.Write(base)
			r.Commit("base")
			r.Git("checkout", "-q", "-b", "feature")
			r.Write(tc.change)
			r.Commit("change")
			rep, err := runReport(context.Background(), Options{Dir: r.Dir, Base: "main", Flags: config.Flags{Filter: string(patch.FilterFile)}})
			if err != nil {
				t.Fatal(err)
			}
			got := severityByFunc(rep, "http-no-timeout")
			for fn, want := range map[string]finding.Severity{"Remote": finding.SeverityInfo, "Shared": finding.SeverityError, "Checker.Coverage": tc.wantCoverage,
				"HTTPFetcher.Fetch": tc.wantCoverage, "Cache.Fetch": finding.SeverityError} {
				if got[fn] != want {
					t.Errorf("%s: severity %q, want %q; findings %+v", fn, got[fn], want, rep.Findings)
				}
			}
		})
	}
}

// TestOneShotCommandClosingABody: a one-shot command that closes a
// response body (io.Closer's Close) stays one-shot although a worker of the
// module has a Close that waits on a channel: a standard library
// interface's method does not dispatch into the module's serving code.
func TestOneShotCommandClosingABody(t *testing.T) {
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": cobraGoMod, "doc.go": "// Package svc is a test module.\npackage svc\n",
		"third_party/cobra/go.mod": "module github.com/spf13/cobra\n\ngo 1.22\n", "third_party/cobra/cobra.go": cobraStub})
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write(map[string]string{
		"worker/worker.go": `// Package worker runs jobs.
package worker

// Pool runs jobs until it is closed.
type Pool struct{ jobs chan func() }

// Close drains the queue, running what is left.
func (p *Pool) Close() error {
	close(p.jobs)
	for j := range p.jobs {
		j()
	}
	return nil
}
`,
		"cmd/svc/main.go": `package main

import (
	"log"
	"net/http"
	"time"

	"github.com/spf13/cobra"
)

func main() {
	root := &cobra.Command{Use: "svc"}
	status := &cobra.Command{Use: "status", RunE: func(*cobra.Command, []string) error {
		resp, err := http.Get("https://example.com/status")
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}}
	serve := &cobra.Command{Use: "serve", RunE: func(*cobra.Command, []string) error {
		srv := &http.Server{Addr: ":8080", ReadHeaderTimeout: 5 * time.Second}
		return srv.ListenAndServe()
	}}
	root.AddCommand(status, serve)
	if err := root.Execute(); err != nil {
		log.Fatal(err)
	}
}
`})
	r.Commit("change")
	rep, err := runReport(context.Background(), Options{Dir: r.Dir, Base: "main", Flags: config.Flags{Filter: string(patch.FilterFile)}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range rep.Findings {
		if f.Check == "http-no-timeout" {
			n++
			t.Log(f.Message)
			if f.Severity != finding.SeverityInfo {
				t.Errorf("the status command's request: severity %q, want info; %+v", f.Severity, f)
			}
		}
	}
	if n != 1 {
		t.Fatalf("want one http-no-timeout finding, got %+v", rep.Findings)
	}
}
