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

// Fetch reads a feed; the service's main calls it.
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
// defect in the function main calls stays posted. A test that calls the
// unused one does not make it used. Without a main package (a library),
// both stay posted: the library's users call them.
func TestUnusedCodeIsInfo(t *testing.T) {
	const main = `package main

import (
	"log"

	"example.com/svc/feed"
)

func main() {
	if _, err := feed.Fetch("https://example.com/feed"); err != nil {
		log.Fatal(err)
	}
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
			got := map[string]finding.Severity{}
			for _, f := range rep.Findings {
				if f.Check == "http-no-timeout" {
					got[f.Function] = f.Severity
				}
			}
			if got["Fetch"] != finding.SeverityError {
				t.Errorf("Fetch (called): severity %q, want error; findings %+v", got["Fetch"], rep.Findings)
			}
			if got["FetchLegacy"] != tc.wantLegacy {
				t.Errorf("FetchLegacy (uncalled): severity %q, want %q; findings %+v", got["FetchLegacy"], tc.wantLegacy, rep.Findings)
			}
		})
	}
}
