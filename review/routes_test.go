package review

import (
	"context"
	"strings"
	"testing"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/internal/testenv"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/patch"
)

const routedHandlers = `// Package handlers serves uploads and settings.
package handlers

import (
	"io"
	"net/http"
)

// H holds the handlers.
type H struct{ last []byte }

// Upload stores what anyone sends.
func (h *H) Upload(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	h.last = b
}

// Settings saves a logged-in user's settings.
func (h *H) Settings(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	h.last = b
}
`

const routedRouter = `// Package router wires the handlers.
package router

import (
	"net/http"

	"example.com/svc/handlers"
)

func requireLogin(next http.Handler) http.Handler { return next }

// New returns the service's routes.
func New(h *handlers.H) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /upload", h.Upload)
	settings := http.NewServeMux()
	settings.HandleFunc("/settings/profile", h.Settings)
	mux.Handle("/settings/", requireLogin(settings))
	return mux
}
`

// TestReadUnboundedByRoute: the router package registers a public /upload
// and an authenticated /settings group on handlers of another package; the
// driver, which sees both packages' models, keeps the public read at the
// check's severity (naming the registration) and lowers the logged-in one
// to info.
func TestReadUnboundedByRoute(t *testing.T) {
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": testenv.GoMod, "handlers/doc.go": "// Package handlers serves.\npackage handlers\n"})
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write(map[string]string{"handlers/handlers.go": routedHandlers, "router/router.go": routedRouter})
	r.Commit("handlers and routes")
	got := readUnbounded(t, r)
	if f := got["Upload"]; f == nil || f.Severity != finding.SeverityWarning || !strings.Contains(f.Message, "registered without authentication at router/router.go:15") {
		t.Errorf("Upload: want a warning naming router/router.go:15, got %+v", f)
	}
	if f := got["Settings"]; f == nil || f.Severity != finding.SeverityInfo {
		t.Errorf("Settings: want info behind requireLogin, got %+v", f)
	}

	// Only the handlers change: the router, an importer, is loaded to see
	// the routes.
	r.Write(map[string]string{"handlers/handlers.go": routedHandlers + "\n// Version is the handlers' version.\nconst Version = 2\n"})
	r.Commit("touch handlers")
	if f := readUnbounded(t, r)["Upload"]; f == nil || f.Severity != finding.SeverityWarning {
		t.Errorf("Upload, handlers changed alone: want a warning, got %+v", f)
	}
}

// TestReadUnboundedSmallService: the ordinary small service (main.go with
// http.HandleFunc("/upload", upload) and an unlimited io.ReadAll) stays
// posted.
func TestReadUnboundedSmallService(t *testing.T) {
	r := testenv.NewRepo(t)
	r.Write(map[string]string{"go.mod": testenv.GoMod, "doc.go": "// Command svc serves uploads.\npackage main\n"})
	r.Commit("base")
	r.Git("checkout", "-q", "-b", "feature")
	r.Write(map[string]string{"main.go": `package main

import (
	"io"
	"log"
	"net/http"
	"os"
)

func upload(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	if err := os.WriteFile("upload.bin", data, 0o600); err != nil {
		http.Error(w, "write", http.StatusInternalServerError)
	}
}

// importData hands the request to a helper that reads it: the route
// registers importData, and the helper's read is judged by it.
func importData(w http.ResponseWriter, r *http.Request) {
	readInto(w, r, "import.bin")
}

func readInto(w http.ResponseWriter, r *http.Request, name string) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	_ = os.WriteFile(name, data, 0o600)
}

func main() {
	http.HandleFunc("/upload", upload)
	http.HandleFunc("/import", importData)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
`})
	r.Commit("upload service")
	got := readUnbounded(t, r)
	if f := got["upload"]; f == nil || f.Severity != finding.SeverityWarning {
		t.Errorf("upload: want a warning, got %+v", f)
	}
	if f := got["readInto"]; f == nil || f.Severity != finding.SeverityWarning {
		t.Errorf("readInto, called by the public importData: want a warning, got %+v", f)
	}
}

// TestReadUnboundedLimitedElsewhere: the goalert shape. A middleware
// package limits request bodies (its body calls http.MaxBytesReader, its
// name does not say so), and the app package chains it, with an
// authentication method of an auth-named type, around its root handler
// from a list of middleware; the handlers live in a third package. Their
// reads are info: the body is bounded before any of them runs. The same
// service without the limit in the list keeps the public read posted.
func TestReadUnboundedLimitedElsewhere(t *testing.T) {
	const middleware = `// Package middleware wraps the service's handlers.
package middleware

import "net/http"

// Cap bounds every request body to n bytes.
func Cap(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

// Log logs each request.
func Log(next http.Handler) http.Handler { return next }
`
	const app = `// Package app wires the service.
package app

import (
	"net/http"

	"example.com/svc/handlers"
	"example.com/svc/middleware"
)

// Handler returns the service's root handler.
func Handler(h *handlers.H) http.Handler {
	chain := []func(http.Handler) http.Handler{
		middleware.Log,
		LIMIT
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /upload", h.Upload)
	var out http.Handler = mux
	for _, m := range chain {
		out = m(out)
	}
	return out
}
`
	for _, tc := range []struct {
		limit string
		want  finding.Severity
	}{
		{"middleware.Cap(256 << 10),", finding.SeverityInfo},
		{"", finding.SeverityWarning},
	} {
		r := testenv.NewRepo(t)
		r.Write(map[string]string{"go.mod": testenv.GoMod, "handlers/doc.go": "// Package handlers serves.\npackage handlers\n"})
		r.Commit("base")
		r.Git("checkout", "-q", "-b", "feature")
		r.Write(map[string]string{"handlers/handlers.go": routedHandlers, "middleware/middleware.go": middleware,
			"app/app.go": strings.Replace(app, "LIMIT", tc.limit, 1)})
		r.Commit("service")
		if f := readUnbounded(t, r)["Upload"]; f == nil || f.Severity != tc.want {
			t.Errorf("Upload with %q in the chain: want %s, got %+v", tc.limit, tc.want, f)
		}
	}
}

// readUnbounded runs a review of r over main with --filter file and returns
// its read-unbounded findings by function.
func readUnbounded(t *testing.T, r *testenv.Repo) map[string]*finding.Finding {
	t.Helper()
	rep, err := runReport(context.Background(), Options{Dir: r.Dir, Base: "main", Flags: config.Flags{Filter: string(patch.FilterFile)}, Config: raised("read-unbounded")})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*finding.Finding{}
	for i, f := range rep.Findings {
		if f.Check == "read-unbounded" {
			out[strings.TrimPrefix(f.Function, "H.")] = &rep.Findings[i]
		}
	}
	return out
}
