package review

import (
	"strings"
	"testing"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/internal/testenv"
)

// A logging middleware wraps the whole mux and reads every request body
// whole before the handlers run, putting the copy back: the handler's own
// read is of memory already spent (silent or info), and the middleware's read, which
// every public request reaches, is the one posted.
const bodyBufferMain = `package main

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"time"
)

func logBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		log.Printf("%s %s: %d bytes", r.Method, r.URL.Path, len(body))
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

func hook(w http.ResponseWriter, r *http.Request) {
	payload, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	_, _ = w.Write(payload[:0])
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /hook", hook)
	srv := &http.Server{Addr: ":8080", Handler: logBody(mux), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: time.Minute, IdleTimeout: time.Minute}
	log.Fatal(srv.ListenAndServe())
}
`

func TestBodyBufferingMiddleware(t *testing.T) {
	got := checkTree(t, map[string]string{"go.mod": testenv.GoMod, "cmd/svc/main.go": bodyBufferMain}, "read-unbounded")
	if f, ok := got["logBody"]; !ok || f.Severity != finding.SeverityWarning || !strings.Contains(f.Message, "registered without authentication") {
		t.Errorf("the middleware's whole read should be posted as public: %+v", f)
	}
	if f, ok := got["hook"]; ok && f.Severity != finding.SeverityInfo {
		t.Errorf("the handler reads the middleware's copy: want it silent or info, got %+v", f)
	}
}
