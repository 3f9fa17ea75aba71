package units_test

import (
	"context"
	"strings"
	"testing"

	"github.com/prodready/prodready/checklist"
	"github.com/prodready/prodready/internal/testenv"
	"github.com/prodready/prodready/review"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/llm/units"
)

// extract runs the pipeline over base → head and returns the units.
func extract(t *testing.T, withMod bool, base, head map[string]string, cfg config.Config) []*units.Unit {
	t.Helper()
	r := testenv.NewRepo(t)
	if withMod {
		base["go.mod"] = testenv.GoMod
	}
	r.Write(base)
	b := r.Commit("base")
	r.Write(head)
	h := r.Commit("head")
	c := &captureUnits{}
	_, err := review.Run(context.Background(), review.Options{Dir: r.Dir, Base: b, Head: h, Asker: c, Checks: []*checklist.Check{}, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	return c.units
}

type captureUnits struct{ units []*units.Unit }

func (c *captureUnits) Ask(_ context.Context, in *review.AskInput) (*review.AskOutput, error) {
	c.units, _ = units.Extract(in)
	return &review.AskOutput{Findings: in.Findings}, nil
}

func byName(us []*units.Unit) map[string]*units.Unit {
	m := map[string]*units.Unit{}
	for _, u := range us {
		m[u.Name] = u
	}
	return m
}

const svcBase = `package svc

import (
	"net/http"
	"os"
	"time"
)

type Job struct{ ID string }

func save(j Job) error { return nil }

func (j *Job) Run() error { return nil }

func Sum(a, b int) int { return a + b }

var Handler = func(w http.ResponseWriter, r *http.Request) {}

const Name = "svc"

func Untouched() { _ = os.Getenv("X"); time.Sleep(0) }
`

const svcHead = `package svc

import (
	"net/http"
	"os"
	"time"
)

type Job struct{ ID string }

func save(j Job) error { return nil }

// Run runs the job until it succeeds.
func (j *Job) Run() error {
	for i := 0; i < 5; i++ {
		if err := save(*j); err == nil {
			return nil
		}
		time.Sleep(time.Second)
	}
	return os.WriteFile("/tmp/failed", []byte(j.ID), 0o644)
}

func Sum(a, b int) int { return a + b + 0 }

var Handler = func(w http.ResponseWriter, r *http.Request) {
	go func() { _ = r }()
}

const Name = "svc2"

func Untouched() { _ = os.Getenv("X"); time.Sleep(0) }
`

func TestExtractFunctionsLiteralsAndHunks(t *testing.T) {
	for _, withMod := range []bool{true, false} {
		name := "typed"
		if !withMod {
			name = "syntax only"
		}
		t.Run(name, func(t *testing.T) {
			us := extract(t, withMod, map[string]string{"svc/svc.go": svcBase}, map[string]string{"svc/svc.go": svcHead}, config.Config{
				Instructions: []config.Instruction{{Path: "svc/*.go", Text: "jobs are redelivered"}},
			})
			m := byName(us)
			run := m["Job.Run"]
			if run == nil || run.Kind != units.Func || run.Function != "Job.Run" {
				t.Fatalf("no Job.Run unit; units: %v", names(us))
			}
			if run.Start != strings.Count(svcHead[:strings.Index(svcHead, "// Run runs")], "\n")+1 {
				t.Errorf("Job.Run starts at %d; the doc comment belongs to it", run.Start)
			}
			for _, sig := range []string{"a retry loop", "file writes"} {
				if !contains(run.Signals, sig) {
					t.Errorf("Job.Run signals %v lack %q", run.Signals, sig)
				}
			}
			if len(run.Callees) != 1 || !strings.Contains(run.Callees[0], "save(j Job) error") {
				t.Errorf("callees %v", run.Callees)
			}
			if len(run.Types) != 1 || !strings.Contains(run.Types[0], "type Job struct") {
				t.Errorf("types %v", run.Types)
			}
			if len(run.Instructions) != 1 {
				t.Errorf("instructions %v", run.Instructions)
			}
			code := run.Code()
			if !strings.Contains(code, "+| \tfor i := 0; i < 5; i++ {") || strings.Contains(code, "+| func (j *Job) Run() error {") == false {
				t.Errorf("changed lines not marked:\n%s", code)
			}
			lit := m["var Handler"]
			if lit == nil || lit.Kind != units.Literal || !contains(lit.Signals, "goroutines") || lit.Function != "" {
				t.Errorf("literal unit: %+v", lit)
			}
			sum := m["Sum"]
			if sum == nil || sum.Score != 0 {
				t.Errorf("Sum: %+v", sum)
			}
			var hunks int
			for _, u := range us {
				if u.Kind == units.Hunk {
					hunks++
					if len(u.Changed) != 1 || !strings.Contains(u.Source.Line(u.ChangedLines()[0]), `"svc2"`) {
						t.Errorf("hunk unit holds %v", u.ChangedLines())
					}
				}
			}
			if hunks != 1 {
				t.Errorf("%d hunk units, want 1 (the const)", hunks)
			}
			if m["Untouched"] != nil {
				t.Errorf("an unchanged function became a unit")
			}
			units.Rank(us)
			if us[0].Name != "Job.Run" || us[len(us)-1].Score != 0 {
				t.Errorf("rank: %v", names(us))
			}
		})
	}
}

func TestEstimateIsConservative(t *testing.T) {
	if units.EstimateTokens("abcdef") != 2 || units.EstimateTokens("") != 0 || units.EstimateTokens("a") != 1 {
		t.Errorf("estimate: %d %d %d", units.EstimateTokens("abcdef"), units.EstimateTokens(""), units.EstimateTokens("a"))
	}
}

func names(us []*units.Unit) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.ID())
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestNewFileHunkLeavesFunctionsOut(t *testing.T) {
	src := `package svc

import "net/http"

type Client struct{ HTTP *http.Client }

func (c *Client) Ping() error {
	_, err := c.HTTP.Get("http://x/ping")
	return err
}

const Version = "1"
`
	us := extract(t, true, map[string]string{"svc/doc.go": "package svc\n"}, map[string]string{"svc/new.go": src}, config.Config{})
	m := byName(us)
	if m["Client.Ping"] == nil {
		t.Fatalf("no Ping unit: %v", names(us))
	}
	var hunk *units.Unit
	for _, u := range us {
		if u.Kind == units.Hunk {
			hunk = u
		}
	}
	if hunk == nil {
		t.Fatalf("no unit for the declarations: %v", names(us))
	}
	code := hunk.Code()
	if strings.Contains(code, "c.HTTP.Get") || !strings.Contains(code, "lines 7-10: Client.Ping, reviewed as its own unit") || !strings.Contains(code, `const Version = "1"`) {
		t.Errorf("hunk code:\n%s", code)
	}
	if hunk.Changed[8] {
		t.Errorf("a function's line belongs to the hunk unit")
	}
}

func TestOwnPackageCalleesLendTheirSignals(t *testing.T) {
	base := "package svc\n\nimport \"net/http\"\n\nfunc fetch() error {\n\t_, err := http.Get(\"http://x\")\n\treturn err\n}\n\nfunc Use() error { return nil }\n"
	head := "package svc\n\nimport \"net/http\"\n\nfunc fetch() error {\n\t_, err := http.Get(\"http://x\")\n\treturn err\n}\n\nfunc Use() error { return fetch() }\n"
	us := extract(t, true, map[string]string{"svc/svc.go": base}, map[string]string{"svc/svc.go": head}, config.Config{})
	m := byName(us)
	// Use makes no network call itself, but fetch does: one level down counts.
	if m["Use"] == nil || !contains(m["Use"].Signals, "network calls") {
		t.Fatalf("Use: %+v", m["Use"])
	}
	if len(m["Use"].Callees) != 1 || !strings.Contains(m["Use"].Callees[0], "func fetch() error") {
		t.Errorf("the callee's signature is still sent: %v", m["Use"].Callees)
	}
}
