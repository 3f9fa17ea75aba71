package clientperrequest

import (
	"net/http"
	"time"
)

// Built once, shared by every request.
type gateway struct {
	client *http.Client
}

func newGateway() *gateway {
	return &gateway{client: &http.Client{
		Transport: &http.Transport{MaxIdleConnsPerHost: 32, IdleConnTimeout: 90 * time.Second},
		Timeout:   10 * time.Second,
	}}
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resp, err := g.client.Get("http://backend/")
	if err != nil {
		http.Error(w, "upstream", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
}

// A client without a Transport of its own shares the default pool.
func quick(w http.ResponseWriter, r *http.Request) {
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get("http://backend/ping")
	if err == nil {
		resp.Body.Close()
	}
}

// One transport per region, built at start-up.
func perRegion(regions []string) map[string]*http.Client {
	out := make(map[string]*http.Client, len(regions))
	for _, r := range regions {
		out[r] = &http.Client{Transport: &http.Transport{MaxIdleConns: 8}, Timeout: 5 * time.Second}
	}
	return out
}

// A tuned clone of the default transport, made once at start-up.
func newTunedClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: t, Timeout: 10 * time.Second}
}

// A handler that takes its client from the server that owns it.
type server struct{ client *http.Client }

func (s *server) forward(w http.ResponseWriter, r *http.Request) {
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, "http://backend/", nil)
	if err != nil {
		http.Error(w, "bad request", http.StatusInternalServerError)
		return
	}
	resp, err := s.client.Do(req)
	if err != nil {
		http.Error(w, "upstream", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
}
