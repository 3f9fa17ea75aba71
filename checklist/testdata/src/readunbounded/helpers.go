package readunbounded

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"readunbounded/httpx"
)

// decodeJSON reads a whole stream; where the stream comes from is its
// callers' business.
func decodeJSON(body io.Reader, v any) error { // want decodeJSON:`reads whole stream 0`
	return json.NewDecoder(body).Decode(v)
}

// parseOrder reads a request's body in a helper that is no handler itself.
func parseOrder(r *http.Request) (order, error) { // want parseOrder:`reads whole request 0`
	var o order
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return o, err
	}
	return o, json.Unmarshal(data, &o)
}

// A login handler handing its body to a helper of the package.
func login(w http.ResponseWriter, r *http.Request) {
	var in order
	if err := decodeJSON(r.Body, &in); err != nil { // want `passes the request body to decodeJSON → json.NewDecoder`
		http.Error(w, "bad json", http.StatusBadRequest)
	}
}

// The whole request handed on.
func placeOrder(w http.ResponseWriter, r *http.Request) {
	if _, err := parseOrder(r); err != nil { // want `passes the request body to parseOrder → io.ReadAll`
		http.Error(w, "bad order", http.StatusBadRequest)
	}
}

// Through a helper of another package, two calls down.
func signup(w http.ResponseWriter, r *http.Request) {
	var in order
	if err := httpx.Bind(r, &in); err != nil { // want `passes the request body to Bind → Decode → json.NewDecoder`
		http.Error(w, "bad json", http.StatusBadRequest)
	}
}

// An uploaded file read whole.
func avatar(w http.ResponseWriter, r *http.Request) {
	f, _, err := r.FormFile("avatar")
	if err != nil {
		http.Error(w, "no file", http.StatusBadRequest)
		return
	}
	defer f.Close()
	data, _ := io.ReadAll(f) // want `io.ReadAll of an uploaded file or multipart part has no size limit`
	_, _ = w.Write(data[:0])
}

// An upstream's answer handed to the same helper: the service chose the peer.
func quote(hc *http.Client) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		resp, err := hc.Get("https://quotes.example.com/latest")
		if err != nil {
			http.Error(w, "upstream", http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		var q order
		_ = decodeJSON(resp.Body, &q)
		_ = httpx.Decode(resp.Body, &q)
	}
}

// The handler limits the body before handing it on.
func loginLimited(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	var in order
	_ = decodeJSON(r.Body, &in)
	_ = httpx.Bind(r, &in)
}

// The helper limits the stream itself.
func loginCapped(w http.ResponseWriter, r *http.Request) {
	var in order
	_ = httpx.DecodeCapped(r.Body, &in)
}

// A limited upload.
func avatarLimited(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<20)
	f, _, err := r.FormFile("avatar")
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = io.ReadAll(f)
}

// Client-side code builds a request and hands it to the same helper: no
// handler, no client of the service.
func replay(req *http.Request) (order, error) { // want replay:`reads whole request 0: replay → parseOrder`
	return parseOrder(req)
}

const maxReceiverBody = 3 << 20

// readBodyWithLimit reads at most maxReceiverBody and puts the bounded copy
// back, so that handlers can read it again.
func readBodyWithLimit(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxReceiverBody+1))
	if err != nil || len(body) > maxReceiverBody {
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		return nil, false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, true
}

// The receiver bounds the body through its helper before decoding it.
func receiveLimited(w http.ResponseWriter, r *http.Request) {
	if _, ok := readBodyWithLimit(w, r); !ok {
		return
	}
	var in order
	_ = json.NewDecoder(r.Body).Decode(&in)
}

// peekBody reads a bounded prefix for logging and leaves r.Body as it was:
// it limits nothing the handler reads afterwards.
func peekBody(r *http.Request) []byte {
	b, _ := io.ReadAll(io.LimitReader(r.Body, 512))
	return b
}

// The prefix read does not bound the decode that follows.
func receivePeeked(w http.ResponseWriter, r *http.Request) {
	_ = peekBody(r)
	var in order
	_ = json.NewDecoder(r.Body).Decode(&in) // want `json.NewDecoder of the request body has no size limit`
}
