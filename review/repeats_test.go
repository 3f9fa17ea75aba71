package review

import (
	"context"
	"strings"
	"testing"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/internal/testenv"
)

// The IMDS shape: three requests in one function on a client with no
// timeout share one fix, so one comment is posted and names the other
// lines; the others are info and point at it. A function literal in the
// same function is its own scope (a handler's body), and so is another
// function, so each keeps its comment.
const repeatsSrc = `package creds

import (
	"io"
	"net/http"
)

var _ = io.EOF

func Fetch(base string) ([]byte, error) {
	tok, err := http.Get(base + "/token")
	if err != nil {
		return nil, err
	}
	defer tok.Body.Close()
	role, err := http.Get(base + "/role")
	if err != nil {
		return nil, err
	}
	defer role.Body.Close()
	creds, err := http.Get(base + "/creds")
	if err != nil {
		return nil, err
	}
	defer creds.Body.Close()
	go func() {
		resp, err := http.Get(base + "/ping")
		if err == nil {
			resp.Body.Close()
		}
	}()
	return io.ReadAll(io.LimitReader(creds.Body, 1<<20))
}

func Other(base string) error {
	resp, err := http.Get(base + "/other")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
`

func TestRepeatsInOneFunctionPostOnce(t *testing.T) {
	dir := t.TempDir()
	testenv.WriteTree(t, dir, map[string]string{"go.mod": testenv.GoMod, "creds/creds.go": repeatsSrc})
	res, err := Packages(context.Background(), dir, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]finding.Finding{}
	for _, f := range res.Report.Findings {
		if f.Check == "http-no-timeout" {
			got[f.Line] = f
		}
	}
	posted := func(line int) bool { return got[line].Severity.Rank() > finding.SeverityInfo.Rank() }
	if !posted(11) || !strings.Contains(got[11].Message, "(the same holds at lines 16 and 21 of this function)") {
		t.Errorf("line 11 should be posted and name lines 16 and 21: %+v", got[11])
	}
	for _, l := range []int{16, 21} {
		if f, ok := got[l]; !ok || posted(l) || !strings.Contains(f.Message, "the same as line 11 of Fetch") {
			t.Errorf("line %d should be info pointing at line 11: %+v", l, f)
		}
	}
	for _, l := range []int{27, 36} {
		if !posted(l) {
			t.Errorf("line %d (another scope) should stay posted: %+v", l, got[l])
		}
	}
}
