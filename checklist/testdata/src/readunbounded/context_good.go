package readunbounded

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
)

// Draining a body to reuse the connection keeps nothing.
func drain(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	w.WriteHeader(http.StatusNoContent)
}

// A proxy streams the upstream's answer to the client; it holds none of it.
func proxy(hc *http.Client) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		resp, err := hc.Get("https://upstream.example.com/feed")
		if err != nil {
			http.Error(w, "upstream", http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		_, _ = io.Copy(w, resp.Body)
	}
}

// The decompressed stream read through a limit.
func ingestLimited(w http.ResponseWriter, r *http.Request) {
	zr, err := gzip.NewReader(r.Body)
	if err != nil {
		http.Error(w, "gzip", http.StatusBadRequest)
		return
	}
	defer zr.Close()
	var events []order
	_ = json.NewDecoder(io.LimitReader(zr, 8<<20)).Decode(&events)
}

// Only start-up calls loadSeed: it runs once, not per request.
func loadSeed(hc *http.Client) ([]byte, error) {
	resp, err := hc.Get("https://seed.example.com/data.json")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func init() {
	_, _ = loadSeed(http.DefaultClient)
}
