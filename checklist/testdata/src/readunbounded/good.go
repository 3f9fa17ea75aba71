package readunbounded

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
)

const maxBody = 1 << 20

func createLimited(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	var in order
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func fetchLimited(hc *http.Client, req *http.Request) ([]byte, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, maxBody))
}

func decodeLimited(w http.ResponseWriter, r *http.Request) error {
	var in order
	return json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&in)
}

// Reading a bounded in-memory reader is fine.
func parse(s string) (order, error) {
	var o order
	err := json.NewDecoder(strings.NewReader(s)).Decode(&o)
	return o, err
}

// A body field of our own type is not an HTTP body.
type message struct{ Body io.Reader }

func readMessage(m message) ([]byte, error) { return io.ReadAll(m.Body) }

// A client-side RoundTripper buffering the body it is about to send.
type replayer struct{ next http.RoundTripper }

func (t replayer) RoundTrip(req *http.Request) (*http.Response, error) { // want RoundTrip:`reads whole request 0`
	if req.Body != nil {
		data, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(string(data))), nil }
	}
	return t.next.RoundTrip(req)
}

// Serve runs a handler in-process, as a shared test helper package does: the
// recorder's body is a buffer this process already holds.
func Serve(h http.Handler, req *http.Request) ([]byte, int, error) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	return data, res.StatusCode, err
}

// ServeJSON decodes the recorded answer directly.
func ServeJSON(h http.Handler, req *http.Request, out any) error {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return json.NewDecoder(rec.Result().Body).Decode(out)
}
