package goroutineunbounded

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

type thumbRequest struct{ Images []string }

// A goroutine per image the client listed: the request decides how many,
// whatever each one does.
func thumbnails(w http.ResponseWriter, r *http.Request) {
	var in thumbRequest
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, "json", http.StatusBadRequest)
		return
	}
	var wg sync.WaitGroup
	for _, img := range in.Images {
		wg.Add(1)
		go func() { // want `in a request handler, the request decides how many: a goroutine is started for every iteration`
			defer wg.Done()
			_ = strings.ToUpper(img)
		}()
	}
	wg.Wait()
}

type notifier struct{ hc *http.Client }

// async runs f in the background, logging a panic instead of crashing.
func async(f func()) {
	go func() {
		defer func() { _ = recover() }()
		f()
	}()
}

func (n *notifier) send(sub subscriber) {
	if resp, err := n.hc.Post(sub.Callback, "application/json", nil); err == nil {
		_ = resp.Body.Close()
	}
}

// Goroutines started through a helper, one per subscriber, each posting.
type subscriber struct{ Callback string }

// at most info: the subscribers' origin is not in sight.
func (n *notifier) fanOut(subs []subscriber) {
	for _, s := range subs {
		async(func() { n.send(s) }) // want `async starts a goroutine, and it is called for every iteration`
	}
}

// A helper that only logs: a short list of local tasks stays alone.
func (n *notifier) logAll(lines []string) {
	for _, l := range lines {
		async(func() { _ = strings.TrimSpace(l) })
	}
}

// Start-up warms each cache shard once.
func init() {
	for _, s := range []string{"a", "b"} {
		go func() { _ = s }()
	}
}

// at most info: an admin-only route, run by a few operators over what they
// configured.
func handleAdminReload(w http.ResponseWriter, r *http.Request) {
	var in thumbRequest
	_ = json.NewDecoder(r.Body).Decode(&in)
	for _, img := range in.Images {
		go func() { _ = strings.ToUpper(img) }() // want `in a request handler, the request decides how many`
	}
}
