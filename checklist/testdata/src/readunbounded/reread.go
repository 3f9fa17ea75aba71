package readunbounded

import (
	"bytes"
	"io"
	"net/http"
)

// hookPoll hands a parser to the shared hook handler, which reads the body
// whole and replaces it with the bytes it read before calling the parser.
// at most info: the parser reads the request the callee hands it, whose
// body is a buffer by then.
func hookPoll(w http.ResponseWriter, r *http.Request) {
	handleHook(w, r, func(r *http.Request) error {
		_, err := io.ReadAll(r.Body) // want `info only: the request is the one a callee hands this function literal`
		return err
	})
}

// The body is read whole, then replaced so that the parser can read it
// again: the replacement comes after the read and limits nothing.
func handleHook(w http.ResponseWriter, r *http.Request, parse func(*http.Request) error) {
	data, err := io.ReadAll(r.Body) // want `io.ReadAll of the request body has no size limit`
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	if err := parse(r); err != nil {
		http.Error(w, "parse", http.StatusBadRequest)
	}
}

// Silent: the body is limited before it is read.
func hookLimited(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	_, _ = w.Write(data)
}

type hub struct{ maxBody int64 }

// limitBody bounds the request body when a limit is configured.
func (h *hub) limitBody(w http.ResponseWriter, r *http.Request) {
	if h.maxBody > 0 {
		r.Body = http.MaxBytesReader(w, r.Body, h.maxBody)
	}
}

func (h *hub) values(r *http.Request) ([]byte, error) { return io.ReadAll(r.Body) } // want values:`reads whole request 0`

// Silent: a method of the package limits the body before the helper reads it.
func (h *hub) subscribe(w http.ResponseWriter, r *http.Request) {
	h.limitBody(w, r)
	if _, err := h.values(r); err != nil {
		http.Error(w, "bad", http.StatusBadRequest)
	}
}

// The helper reads the body with no limit in sight.
func (h *hub) publish(w http.ResponseWriter, r *http.Request) {
	if _, err := h.values(r); err != nil { // want `this passes the request body to`
		http.Error(w, "bad", http.StatusBadRequest)
	}
}
