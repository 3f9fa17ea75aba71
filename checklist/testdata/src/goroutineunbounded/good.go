package goroutineunbounded

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"
)

// errgroup with a limit.
func limitedGroup(ctx context.Context, items []item) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for _, it := range items {
		g.Go(func() error { return process(ctx, it) })
	}
	return g.Wait()
}

// A buffered channel as a semaphore.
func semChan(ctx context.Context, items []item) {
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, it := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			_ = process(ctx, it)
		}()
	}
	wg.Wait()
}

// A weighted semaphore.
func weighted(ctx context.Context, items []item) error {
	sem := semaphore.NewWeighted(4)
	for _, it := range items {
		if err := sem.Acquire(ctx, 1); err != nil {
			return err
		}
		go func() {
			defer sem.Release(1)
			_ = process(ctx, it)
		}()
	}
	return sem.Acquire(ctx, 4)
}

// A fixed pool of workers reading a channel.
func pool(ctx context.Context, items []item, workers int) {
	jobs := make(chan item)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range jobs {
				_ = process(ctx, it)
			}
		}()
	}
	for _, it := range items {
		jobs <- it
	}
	close(jobs)
	wg.Wait()
}

// The same pool written with range over an int.
func pool2(ctx context.Context, jobs <-chan item, n int) {
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for it := range jobs {
				_ = process(ctx, it)
			}
		})
	}
	wg.Wait()
}

// A fixed list of servers.
func serveBoth(api, admin *http.Server) {
	for _, s := range []*http.Server{api, admin} {
		go s.ListenAndServe()
	}
}

// Started once, then the loop ends.
func firstMatch(ctx context.Context, items []item) {
	for _, it := range items {
		if it.id == 7 {
			go process(ctx, it)
			break
		}
	}
}

// A group that arrives configured.
func withGroup(ctx context.Context, g *errgroup.Group, items []item) {
	for _, it := range items {
		g.Go(func() error { return process(ctx, it) })
	}
}

// A budget of goroutines counted down, as a hand-written pool does.
func budget(ctx context.Context, in <-chan item, workers int) {
	var wg sync.WaitGroup
	for it := range in {
		if workers == 0 {
			wg.Wait()
			workers = 4
		}
		workers--
		wg.Add(1)
		go func() { defer wg.Done(); _ = process(ctx, it) }()
	}
	wg.Wait()
}

// Services passed by hand to a variadic helper.
func stopAll(stops ...func()) {
	var wg sync.WaitGroup
	for _, stop := range stops {
		wg.Add(1)
		go func() { defer wg.Done(); stop() }()
	}
	wg.Wait()
}

// Chunks are the bound already.
func perChunk(ctx context.Context, chunks [][]item) error {
	var g errgroup.Group
	for _, chunk := range chunks {
		g.Go(func() error {
			for _, it := range chunk {
				if err := process(ctx, it); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

type doc struct{ words int }

func count(text string) doc { return doc{words: len(text)} }

// Local work per element: no downstream for a burst to overwhelm.
func countAll(texts []string) []doc {
	out := make([]doc, len(texts))
	var wg sync.WaitGroup
	for i, t := range texts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = count(t)
		}()
	}
	wg.Wait()
	return out
}

// A server: one goroutine per accepted connection, as net/http does. The
// connection count is bounded at the listener, not here.
func acceptConns(ctx context.Context, ln net.Listener, handle func(context.Context, net.Conn)) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go func() {
			defer conn.Close()
			handle(ctx, conn)
		}()
	}
}

// The accept loop from a select, forwarding each connection upstream.
func forward(ctx context.Context, ln net.Listener, upstream string) {
	for {
		select {
		case <-ctx.Done():
			return
		default:
		}
		conn, err := ln.Accept()
		if err != nil {
			slog.Warn("accept failed", "err", err)
			return
		}
		go proxy(ctx, conn, upstream)
	}
}

func proxy(ctx context.Context, conn net.Conn, upstream string) {
	defer conn.Close()
	var d net.Dialer
	up, err := d.DialContext(ctx, "tcp", upstream)
	if err != nil {
		slog.Warn("dial upstream failed", "addr", upstream, "err", err)
		return
	}
	defer up.Close()
}

// HealthChecker probes the upstreams it was configured with.
type HealthChecker struct {
	Upstreams []string
	hc        *http.Client
}

// ProbeAll starts one probe per configured upstream: the set is fixed by
// whoever wrote the configuration, not by traffic.
func (h *HealthChecker) ProbeAll(ctx context.Context) {
	var wg sync.WaitGroup
	for _, u := range h.Upstreams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, u+"/healthz", nil)
			if err != nil {
				slog.Warn("bad upstream", "upstream", u, "err", err)
				return
			}
			resp, err := h.hc.Do(req)
			if err != nil {
				slog.Warn("upstream down", "upstream", u, "err", err)
				return
			}
			resp.Body.Close()
		}()
	}
	wg.Wait()
}

// PartitionConsumer reads one partition of a topic.
type PartitionConsumer interface {
	Messages() <-chan []byte
}

// Cluster hands out the partitions assigned to this consumer.
type Cluster interface {
	Partitions() <-chan PartitionConsumer
}

// One goroutine per assigned partition: the topic's partition count bounds
// them, and each drains its partition in order.
func consumeAll(ctx context.Context, c Cluster, handle func(context.Context, []byte) error) {
	for pc := range c.Partitions() {
		go func() {
			for msg := range pc.Messages() {
				if err := handle(ctx, msg); err != nil {
					slog.Warn("message failed", "err", err)
				}
			}
		}()
	}
}

// Tee forwards one request to every configured backend and waits for all.
func Tee(backends []string, forward func(string)) {
	var wg sync.WaitGroup
	for _, b := range backends {
		wg.Add(1)
		go func() {
			defer wg.Done()
			forward(b)
		}()
	}
	wg.Wait()
}

// Poller scrapes each configured URL at once and waits for all.
type Poller struct{ URLs []string }

// Gather starts one goroutine per configured URL.
func (p *Poller) Gather(fetch func(string)) {
	var wg sync.WaitGroup
	for _, u := range p.URLs {
		wg.Add(1)
		go func(url string) {
			defer wg.Done()
			fetch(url)
		}(u)
	}
	wg.Wait()
}
