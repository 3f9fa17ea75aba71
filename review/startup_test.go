package review

import (
	"strings"
	"testing"

	"github.com/prodready/prodready/finding"
)

const (
	startUpMain = `package main

import (
	"log"
	"net/http"
	"time"

	"example.com/svc/feed"
	"example.com/svc/worker"
)

func main() {
	if err := feed.Probe("https://example.com/health"); err != nil {
		log.Fatal(err)
	}
	if err := feed.Ready("https://example.com/ready"); err != nil {
		log.Fatal(err)
	}
	if err := feed.Bundle("https://example.com/ca.pem", "/tmp/ca.pem"); err != nil {
		log.Fatal(err)
	}
	client := &http.Client{Transport: http.DefaultTransport}
	if _, err := feed.Both("https://example.com/warm"); err != nil {
		log.Fatal(err)
	}
	go worker.Run()
	feed.Every(feed.Refresh)
	http.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		b, err := feed.Both("https://example.com/feed")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		_, _ = w.Write(b)
		if resp, err := http.Get("https://example.com/inline"); err == nil {
			_ = resp.Body.Close()
		}
		if resp, err := client.Get("https://example.com/ping"); err == nil {
			_ = resp.Body.Close()
		}
	})
	srv := &http.Server{Addr: ":8080", ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
`
	startUpFeed = `// Package feed reads feeds.
package feed

import (
	"errors"
	"io"
	"net/http"
	"os"
)

// Probe checks the upstream once, while the service starts.
func Probe(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return errors.New("upstream not ready")
	}
	return nil
}

// Ready checks the upstream once, while the service starts, through a
// client of its own that it uses on the spot.
func Ready(u string) error {
	client := &http.Client{Transport: http.DefaultTransport}
	resp, err := client.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Bundle downloads a CA bundle once, while the service starts, and saves it
// without looking at the status.
func Bundle(u, path string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

// Both is called at start-up and by the handler.
func Both(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

// Refresh is handed to Every, which runs it again and again.
func Refresh() {
	resp, err := http.Get("https://example.com/refresh")
	if err != nil {
		return
	}
	_ = resp.Body.Close()
}

// Every runs f on a schedule.
func Every(f func()) { go f() }
`
	startUpWorker = `// Package worker polls.
package worker

import (
	"net/http"
	"time"
)

// Run polls for the life of the process.
func Run() {
	for {
		poll()
		time.Sleep(time.Minute)
	}
}

func poll() {
	resp, err := http.Get("https://example.com/poll")
	if err != nil {
		return
	}
	_ = resp.Body.Close()
}
`
)

// TestStartUpCodeIsInfo: in a server, a request that only start-up code
// sends (a readiness probe main calls) is info for the checks whose risk is
// per run, with the reason in the message; the same defects stay posted in
// a function a handler also calls, one handed on as a callback, one a
// worker started with go loops over, and at a client built at start-up,
// which the handlers use; a client that start-up code builds and sends
// through on the spot is info like the request it sends.
func TestStartUpCodeIsInfo(t *testing.T) {
	rep := reviewFiles(t, map[string]string{"cmd/svc/main.go": startUpMain, "feed/feed.go": startUpFeed, "worker/worker.go": startUpWorker})
	got := map[string]finding.Severity{}
	for _, f := range rep.Findings {
		if f.Check != "http-no-timeout" && f.Check != "http-body-not-closed" && f.Check != "http-status-unchecked" {
			continue
		}
		if strings.Contains(f.LineText, "example.com/inline") {
			got["handler literal "+f.Check] = f.Severity
			continue
		}
		got[f.Function+" "+f.Check] = f.Severity
		if f.Function == "Probe" && !strings.Contains(f.Message, "only start-up code runs Probe") {
			t.Errorf("Probe's %s finding does not say why it is info: %s", f.Check, f.Message)
		}
	}
	for k, want := range map[string]finding.Severity{
		"Probe http-no-timeout":           finding.SeverityInfo,
		"Probe http-body-not-closed":      finding.SeverityInfo,
		"Ready http-no-timeout":           finding.SeverityInfo,
		"Bundle http-status-unchecked":    finding.SeverityInfo,
		"main http-no-timeout":            finding.SeverityError,
		"handler literal http-no-timeout": finding.SeverityError,
		"Both http-no-timeout":            finding.SeverityError,
		"Refresh http-no-timeout":         finding.SeverityError,
		"poll http-no-timeout":            finding.SeverityError,
	} {
		if got[k] != want {
			t.Errorf("%s: severity %q, want %q; findings %+v", k, got[k], want, rep.Findings)
		}
	}
}

// TestStartUpByMethodType: with the whole module in sight, a handler that
// calls a Start method of one type does not make another type's Start, which
// only main calls, run again: the request that Start sends is start-up.
func TestStartUpByMethodType(t *testing.T) {
	const main = `package main

import (
	"log"
	"net/http"
	"time"

	"example.com/svc/engine"
)

func main() {
	e := &engine.Engine{}
	if err := e.Start(); err != nil {
		log.Fatal(err)
	}
	d := &engine.Detector{}
	http.HandleFunc("/scan", func(w http.ResponseWriter, r *http.Request) {
		if err := d.Start(); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
		}
	})
	srv := &http.Server{Addr: ":8080", ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
`
	const engine = `// Package engine starts things.
package engine

import "net/http"

// Engine checks its database once, when the service starts.
type Engine struct{}

// Start probes the database.
func (e *Engine) Start() error {
	resp, err := http.Get("https://db.example.com/ready")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Detector scans devices on every request.
type Detector struct{}

// Start scans.
func (d *Detector) Start() error {
	resp, err := http.Get("https://scanner.example.com/scan")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
`
	rep := reviewFiles(t, map[string]string{"cmd/svc/main.go": main, "engine/engine.go": engine})
	got := severityByFunc(rep, "http-no-timeout")
	for fn, want := range map[string]finding.Severity{
		"Engine.Start":   finding.SeverityInfo,  // only main calls it
		"Detector.Start": finding.SeverityError, // the handler calls it per request
	} {
		if got[fn] != want {
			t.Errorf("%s: severity %q, want %q; findings %+v", fn, got[fn], want, rep.Findings)
		}
	}
}
