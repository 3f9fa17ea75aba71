package clientperrequest

import (
	"context"
	"net/http"
	"time"
)

func proxy(w http.ResponseWriter, r *http.Request) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 10}, Timeout: 10 * time.Second} // want `a new http.Transport in an HTTP handler`
	resp, err := client.Get("http://backend/")
	if err != nil {
		http.Error(w, "upstream", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
}

// A clone per request.
func handler(base *http.Transport) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t := base.Clone() // want `a new http.Transport in an HTTP handler`
		t.DisableKeepAlives = false
		_ = t
	}
}

// A transport per URL, used at once.
func pingAll(ctx context.Context, urls []string) error {
	for _, u := range urls {
		hc := &http.Client{Transport: new(http.Transport), Timeout: 5 * time.Second} // want `a new http.Transport inside a loop that sends requests`
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
	}
	return nil
}

type nethttpTransport = http.Transport

func viaAlias(ctx context.Context, hosts []string) {
	for _, h := range hosts {
		tr := &nethttpTransport{} // want `a new http.Transport inside a loop`
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h, nil)
		if resp, err := tr.RoundTrip(req); err == nil {
			resp.Body.Close()
		}
	}
}
