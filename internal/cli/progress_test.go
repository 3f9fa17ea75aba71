package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Unix(1000, 0)
	p := &progress{w: &buf, delay: 2 * time.Second, every: time.Hour, now: func() time.Time { return clock }}
	p.run()
	clock = clock.Add(1500 * time.Millisecond)
	p.tick()
	if buf.Len() != 0 {
		t.Fatalf("shown before two seconds: %q", buf.String())
	}
	clock = clock.Add(time.Second)
	p.tick()
	if got := buf.String(); !strings.Contains(got, "prodready: loading packages… 2s") || !strings.HasPrefix(got, "\r") {
		t.Fatalf("after 2.5s: %q", got)
	}
	p.Loaded(30)
	p.Loaded(7)
	clock = clock.Add(2 * time.Second)
	buf.Reset()
	p.tick()
	if got := buf.String(); !strings.Contains(got, "37 package(s) loaded; checking… 4s") {
		t.Fatalf("after the load: %q", got)
	}
	buf.Reset()
	p.Done()
	p.Done()
	if buf.String() != "\r\033[K" {
		t.Fatalf("Done should clear the line once: %q", buf.String())
	}
	p.tick()
	if buf.String() != "\r\033[K" {
		t.Fatalf("drawn after Done: %q", buf.String())
	}
}

func TestProgressOnlyOnATerminalWithoutQuiet(t *testing.T) {
	if p := newProgress(&Env{StderrIsTerminal: false}, false); p != nil {
		t.Fatal("progress on a stderr that is no terminal")
	}
	if p := newProgress(&Env{StderrIsTerminal: true}, true); p != nil {
		t.Fatal("progress under --quiet")
	}
	p := newProgress(&Env{StderrIsTerminal: true, Stderr: &bytes.Buffer{}}, false)
	if p == nil {
		t.Fatal("no progress on a terminal")
	}
	p.Done()
	var nilp *progress
	nilp.Loaded(1) // a nil progress does nothing
	nilp.Done()
}

func TestQuietFlagAndNoProgressOffTerminal(t *testing.T) {
	r := sampleRepo(t)
	code, _, stderr := runCLI(t, nil, "review", "--repo", r.Dir, "--llm", "off", "--quiet")
	if code != ExitOK || strings.Contains(stderr, "\r") || strings.Contains(stderr, "loading") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}
