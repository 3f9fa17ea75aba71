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

// google/subcommands commands run through their Execute methods, which
// subcommands.Execute calls behind the Command interface main registers
// them under: a report command that posts once is one-shot, and what only
// it reaches is info for the checks that need a long-running process; the
// server command's handler stays posted.
var subcommandsFiles = map[string]string{
	"go.mod":                         "module example.com/svc\n\ngo 1.22\n\nrequire github.com/google/subcommands v1.2.0\n\nreplace github.com/google/subcommands => ./third_party/subcommands\n",
	"third_party/subcommands/go.mod": "module github.com/google/subcommands\n\ngo 1.22\n",
	"third_party/subcommands/subcommands.go": `// Package subcommands stands in for github.com/google/subcommands.
package subcommands

import (
	"context"
	"flag"
)

// ExitStatus is a command's exit status.
type ExitStatus int

// Command is one subcommand.
type Command interface {
	Name() string
	Execute(ctx context.Context, f *flag.FlagSet, args ...interface{}) ExitStatus
}

var cmds = map[string]Command{}

// Register adds a command.
func Register(c Command, group string) { cmds[c.Name()] = c }

// Execute runs the command the command line names.
func Execute(ctx context.Context, args ...interface{}) ExitStatus {
	if c, ok := cmds[flag.Arg(0)]; ok {
		return c.Execute(ctx, flag.CommandLine, args...)
	}
	return 2
}
`,
	"commands/commands.go": `package commands

import (
	"context"
	"flag"
	"net/http"
	"time"

	"github.com/google/subcommands"

	"example.com/svc/post"
)

// ReportCmd sends the last report once.
type ReportCmd struct{ URL string }

// Name names it.
func (*ReportCmd) Name() string { return "report" }

// Execute sends.
func (c *ReportCmd) Execute(ctx context.Context, f *flag.FlagSet, _ ...interface{}) subcommands.ExitStatus {
	if err := post.Once(c.URL); err != nil {
		return 1
	}
	return 0
}

// ServerCmd serves.
type ServerCmd struct{ Addr string }

// Name names it.
func (*ServerCmd) Name() string { return "server" }

// Execute serves.
func (c *ServerCmd) Execute(ctx context.Context, f *flag.FlagSet, _ ...interface{}) subcommands.ExitStatus {
	mux := http.NewServeMux()
	mux.HandleFunc("/scan", func(w http.ResponseWriter, r *http.Request) {
		_ = post.Upstream("https://example.com/feed")
	})
	srv := &http.Server{Addr: c.Addr, Handler: mux, ReadHeaderTimeout: time.Second}
	if err := srv.ListenAndServe(); err != nil {
		return 1
	}
	return 0
}
`,
	"post/post.go": `package post

import "net/http"

// Once posts the report.
func Once(u string) error {
	resp, err := http.Post(u, "application/json", nil)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Upstream fetches for a request.
func Upstream(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
`,
	"cmd/app/main.go": `package main

import (
	"context"
	"flag"
	"os"

	"github.com/google/subcommands"

	"example.com/svc/commands"
)

func main() {
	subcommands.Register(&commands.ReportCmd{}, "")
	subcommands.Register(&commands.ServerCmd{}, "")
	flag.Parse()
	os.Exit(int(subcommands.Execute(context.Background())))
}
`,
}

func TestGoogleSubcommandIsOneShot(t *testing.T) {
	got := checkTree(t, subcommandsFiles, "http-no-timeout")
	if f, ok := got["Once"]; !ok || f.Severity != finding.SeverityInfo || !strings.Contains(f.Message, "only one-shot CLI commands run") {
		t.Errorf("the report command's post should be info as one-shot: %+v", f)
	}
	if f, ok := got["Upstream"]; !ok || f.Severity != finding.SeverityError {
		t.Errorf("what the server command's handler reaches should stay posted: %+v", f)
	}
}
