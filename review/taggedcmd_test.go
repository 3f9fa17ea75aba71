package review

import (
	"strings"
	"testing"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/internal/testenv"
)

// Subcommands declared by struct tags (go-arg's `arg:"subcommand:..."`,
// kong's `cmd:""`) run through an interface the parser hands back: a
// healthcheck subcommand that only probes the local server is one-shot, and
// what only it reaches is info for the checks that need a long-running
// process; the serve subcommand's code stays posted.
var taggedCmdFiles = map[string]string{
	"go.mod": testenv.GoMod,
	"cli/cli.go": `package cli

import (
	"net/http"
	"time"

	"example.com/m/probe"
)

// Runnable is what every subcommand does.
type Runnable interface{ Run(a Args) error }

// Args are the command line.
type Args struct {
	Addr   string
	Health *HealthCmd ` + "`arg:\"subcommand:healthcheck\"`" + `
	Serve  *ServeCmd  ` + "`cmd:\"\" help:\"serve\"`" + `
}

// HealthCmd checks the server once.
type HealthCmd struct{}

// Run probes.
func (HealthCmd) Run(a Args) error { return probe.Local(a.Addr) }

// ServeCmd serves.
type ServeCmd struct{}

// Run serves.
func (ServeCmd) Run(a Args) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/avatar", func(w http.ResponseWriter, r *http.Request) {
		_ = probe.Remote("https://example.com/avatar")
	})
	srv := &http.Server{Addr: a.Addr, Handler: mux, ReadHeaderTimeout: time.Second, ReadTimeout: time.Minute, WriteTimeout: time.Minute, IdleTimeout: time.Minute}
	return srv.ListenAndServe()
}

// Parse picks the subcommand.
func Parse() (Args, Runnable) {
	a := Args{Addr: ":8080"}
	if a.Health != nil {
		return a, a.Health
	}
	return a, a.Serve
}
`,
	"probe/probe.go": `package probe

import "net/http"

// Local asks the local server whether it is up.
func Local(addr string) error {
	c := &http.Client{}
	resp, err := c.Get(addr + "/healthz")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Remote fetches from a peer for a request.
func Remote(u string) error {
	c := &http.Client{}
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
`,
	"cmd/app/main.go": `package main

import (
	"log"

	"example.com/m/cli"
)

func main() {
	a, cmd := cli.Parse()
	if err := cmd.Run(a); err != nil {
		log.Fatal(err)
	}
}
`,
}

func TestTaggedSubcommandIsOneShot(t *testing.T) {
	files := map[string]string{}
	for name, content := range taggedCmdFiles {
		files[name] = strings.ReplaceAll(content, "example.com/m/", "example.com/svc/")
	}
	got := checkTree(t, files, "http-no-timeout")
	if f, ok := got["Local"]; !ok || f.Severity != finding.SeverityInfo || !strings.Contains(f.Message, "only one-shot CLI commands run") {
		t.Errorf("the healthcheck subcommand's probe should be info as one-shot: %+v", f)
	}
	if f, ok := got["Remote"]; !ok || f.Severity != finding.SeverityError {
		t.Errorf("what the serve subcommand's handler reaches should stay posted: %+v", f)
	}
}
