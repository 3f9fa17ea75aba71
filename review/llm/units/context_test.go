package units_test

import (
	"strings"
	"testing"

	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/llm/units"
)

const payBase = `package pay

import "net/http"

func Send(c *http.Client, req *http.Request, key string) error {
	req.Header.Set("Idempotency-Key", key)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func Only(c *http.Client, req *http.Request) error {
	req.Header.Set("X-Trace", "1")
	_, err := c.Do(req)
	return err
}
`

const payHead = `package pay

import "net/http"

func Send(c *http.Client, req *http.Request, key string) error {
	resp, err := c.Do(req)
	if err != nil {
		return err // now wrapped nowhere
	}
	return resp.Body.Close()
}

func Only(c *http.Client, req *http.Request) error {
	_, err := c.Do(req)
	return err
}
`

func TestUnitShowsDeletedLinesMarkedAndUnnumbered(t *testing.T) {
	us := extract(t, true, map[string]string{"pay/pay.go": payBase}, map[string]string{"pay/pay.go": payHead}, config.Config{})
	m := byName(us)
	send := m["Send"]
	if send == nil {
		t.Fatalf("no unit for Send: %v", names(us))
	}
	code := send.Code()
	want := "      -| \treq.Header.Set(\"Idempotency-Key\", key)\n    6  | \tresp, err := c.Do(req)\n"
	if !strings.Contains(code, want) {
		t.Errorf("Send's code lacks the deleted line before line 6:\n%s", code)
	}
	// A function whose only change is a deletion is still asked about.
	only := m["Only"]
	if only == nil {
		t.Fatalf("no unit for Only, whose change is a deletion: %v", names(us))
	}
	if len(only.Changed) != 0 || !strings.Contains(only.Code(), "-| \treq.Header.Set(\"X-Trace\", \"1\")") {
		t.Errorf("Only: changed %v, code:\n%s", only.Changed, only.Code())
	}
	if only.Decl != 13 {
		t.Errorf("Only.Decl = %d, want 13", only.Decl)
	}
}

func TestSourceHasCodeSkipsCommentAndBlankLines(t *testing.T) {
	src := units.NewSource("a.go", []byte("package a\n\n// note\nvar x = 1 // trailing\n/* block\n   still */\nvar s = `raw\nline`\n"))
	want := map[int]bool{1: true, 2: false, 3: false, 4: true, 5: false, 6: false, 7: true, 8: true}
	for n, w := range want {
		if got := src.HasCode(n); got != w {
			t.Errorf("HasCode(%d) = %v, want %v (%q)", n, got, w, src.Line(n))
		}
	}
}

const retryBase = `package r

import "net/http"

func Bare(c *http.Client, req *http.Request) error { return nil }

func Counted(c *http.Client, req *http.Request) error { return nil }

func Walk(c *http.Client, reqs []*http.Request) {}

func Local(xs []int) int { return 0 }
`

const retryHead = `package r

import "net/http"

func Bare(c *http.Client, req *http.Request) error {
	for {
		_, err := send(req)
		if err == nil {
			return nil
		}
	}
}

func Counted(c *http.Client, req *http.Request) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if _, err = send(req); err != nil {
			continue
		}
		break
	}
	return err
}

func Walk(c *http.Client, reqs []*http.Request) {
	for i := 0; i < len(reqs); i++ {
		if _, err := send(reqs[i]); err != nil {
			continue
		}
	}
}

func Local(xs []int) int {
	n := 0
	for {
		if n > len(xs) {
			return n
		}
		n++
	}
}

func send(req *http.Request) (int, error) { return 0, nil }
`

func TestGateSeesARetryLoopThatDoesNotSleep(t *testing.T) {
	us := byName(extract(t, true, map[string]string{"r/r.go": retryBase}, map[string]string{"r/r.go": retryHead}, config.Config{}))
	for name, want := range map[string]bool{"Bare": true, "Counted": true, "Walk": false, "Local": false} {
		u := us[name]
		if u == nil {
			t.Fatalf("no unit %s", name)
		}
		if got := contains(u.Signals, "a retry loop"); got != want {
			t.Errorf("%s: retry signal %v, want %v (signals %v)", name, got, want, u.Signals)
		}
	}
}
