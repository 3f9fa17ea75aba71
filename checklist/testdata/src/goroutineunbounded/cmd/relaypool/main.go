// Command relaypool serves a list of relays and polls each one's stats.
package main

import (
	"net/http"
	"sync"
	"time"
)

type relay struct{ URL string }

var (
	mu     sync.Mutex
	relays []*relay
)

func fetchStats(r *relay) {
	if resp, err := http.Get(r.URL + "/status"); err == nil {
		_ = resp.Body.Close()
	}
}

// refreshStats polls every registered relay at once: relays register
// themselves, so the list grows with the data.
// at most info: a package-level list, filled by code out of sight.
func refreshStats() {
	mu.Lock()
	list := append([]*relay(nil), relays...)
	mu.Unlock()
	var wg sync.WaitGroup
	for _, r := range list {
		wg.Add(1)
		go func() { // want `a goroutine is started for every iteration`
			defer wg.Done()
			fetchStats(r)
		}()
	}
	wg.Wait()
}

// statsRefresher runs for the life of the process, though only main calls it.
func statsRefresher(every time.Duration) {
	t := time.NewTicker(every)
	for range t.C {
		refreshStats()
	}
}

func main() {
	go func() { statsRefresher(time.Minute) }()
	srv := &http.Server{Addr: ":8080", ReadHeaderTimeout: 5 * time.Second}
	_ = srv.ListenAndServe()
}
