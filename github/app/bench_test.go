package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river/rivertype"

	"github.com/prodready/prodready/github/app"
	"github.com/prodready/prodready/github/jobs"
	"github.com/prodready/prodready/github/store/storetest"
)

// BenchmarkBurst sends a bounded burst of 1,000 signed pull_request
// deliveries (32 in flight) for 1,000 pull requests to the webhook on
// loopback, with the pipeline faked, and reports the acknowledgement latency
// (p50, p99), the jobs drained per minute and the peak heap. "drain" runs 8
// workers during the burst; "ack-only" leaves the queue stopped, to show the
// webhook's own cost. Run it with -benchtime=1x: one iteration is one burst.
func BenchmarkBurst(b *testing.B) {
	for _, backend := range storetest.Backends {
		b.Run(backend+"/drain", func(b *testing.B) { benchBurst(b, backend, true) })
		b.Run(backend+"/ack-only", func(b *testing.B) { benchBurst(b, backend, false) })
	}
}

func benchBurst(b *testing.B, backend string, drain bool) {
	const burst, inFlight = 1000, 32
	base := fixture(b, "pull_request.synchronize.json")
	for iter := 0; iter < b.N; iter++ {
		b.StopTimer()
		st := storetest.Open(b, backend, "")
		var done atomic.Int64
		reg := prometheus.NewRegistry()
		q, err := jobs.New(st, jobs.Config{
			ID: fmt.Sprintf("bench-%d", iter), Workers: 8, PerInstallation: 8, PollInterval: 50 * time.Millisecond,
			Logger: slog.New(slog.DiscardHandler), Metrics: jobs.NewMetrics(reg),
			Reviewer: jobs.ReviewerFunc(func(ctx context.Context, j *jobs.Job) error {
				if ok, err := j.Current(ctx); err != nil || !ok {
					return err
				}
				done.Add(1)
				return nil
			}),
		})
		if err != nil {
			b.Fatal(err)
		}
		srv := &app.Server{Webhook: &app.Webhook{Secret: []byte(secret), Queue: q, Logger: slog.New(slog.DiscardHandler), Deliveries: app.NewDeliveries(reg)}, Ready: st.Ready, Gatherer: reg}
		hs := httptest.NewServer(srv.Handler())
		payloads := make([][]byte, burst)
		for i := range payloads {
			p := set(b, base, "pull_request.number", i+1)
			p = set(b, p, "number", i+1)
			payloads[i] = set(b, p, "pull_request.head.sha", fmt.Sprintf("%040x", i+1))
		}
		client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: inFlight}}
		var peak atomic.Uint64
		stopSampling := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			var ms runtime.MemStats
			t := time.NewTicker(10 * time.Millisecond)
			defer t.Stop()
			for {
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
				select {
				case <-stopSampling:
					return
				case <-t.C:
				}
			}
		}()
		if drain {
			if err := q.Start(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
		lat := make([]time.Duration, burst)
		var failed atomic.Int64
		sem := make(chan struct{}, inFlight)
		var wg sync.WaitGroup
		b.StartTimer()
		start := time.Now()
		for i, p := range payloads {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				req, _ := http.NewRequest(http.MethodPost, hs.URL+"/webhook", bytes.NewReader(p))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-GitHub-Event", "pull_request")
				req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("bench-%d", i))
				req.Header.Set("X-Hub-Signature-256", sign(secret, p))
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					failed.Add(1)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat[i] = time.Since(t0)
				if resp.StatusCode != http.StatusAccepted {
					failed.Add(1)
				}
			}()
		}
		wg.Wait()
		acked := time.Since(start)
		want := "completed"
		if !drain {
			want = "available"
		}
		for {
			states, err := st.JobStates(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			if states[want] >= burst {
				break
			}
			if time.Since(start) > 5*time.Minute {
				b.Fatalf("drained %d of %d in 5 minutes", states["completed"], burst)
			}
			time.Sleep(20 * time.Millisecond)
		}
		drained := time.Since(start)
		b.StopTimer()
		close(stopSampling)
		<-sampled
		state := rivertype.JobStateAvailable
		if drain {
			state = rivertype.JobStateCompleted
		}
		all, err := q.Jobs(context.Background(), state)
		if err != nil {
			b.Fatal(err)
		}
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := q.Stop(sctx); err != nil {
			b.Error(err)
		}
		cancel()
		hs.Close()
		reviews := int64(burst)
		if !drain {
			reviews = 0
		}
		if failed.Load() != 0 || len(all) != burst || done.Load() != reviews {
			b.Fatalf("%d deliveries not acknowledged with 202; %d of %d jobs %s, %d reviews", failed.Load(), len(all), burst, state, done.Load())
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(float64(lat[burst/2].Microseconds())/1000, "p50-ack-ms")
		b.ReportMetric(float64(lat[burst*99/100].Microseconds())/1000, "p99-ack-ms")
		b.ReportMetric(float64(burst)/acked.Seconds(), "acks/s")
		if drain {
			b.ReportMetric(float64(burst)/drained.Minutes(), "jobs/min")
		}
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		b.ReportMetric(0, "lost")
	}
}
