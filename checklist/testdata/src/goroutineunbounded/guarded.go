package goroutineunbounded

import (
	"net/http"
	"sync"
)

// peer is a cluster node this one dials.
type peer struct {
	mu   sync.Mutex
	up   bool
	hc   *http.Client
	addr string
}

// markDown starts a redial only when the peer goes from up to down.
func (p *peer) markDown() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.up {
		p.up = false
		go p.redial()
	}
}

func (p *peer) redial() {
	if resp, err := p.hc.Get(p.addr); err == nil {
		_ = resp.Body.Close()
	}
}

// at most info: markDown starts its goroutine only on a change of state.
func (p *peer) watch(in <-chan item) {
	for range in {
		p.markDown() // want `markDown starts a goroutine.*info only: the helper starts its goroutine only behind a condition`
	}
}

// kick starts a redial on every call, whatever the state.
func (p *peer) kick() { go p.redial() }

// at most info: a message, rows or the service's own list decide how many, not a client's request.
func (p *peer) watchAll(in <-chan item) {
	for range in {
		p.kick() // want `kick starts a goroutine, and it is called for every iteration`
	}
}
