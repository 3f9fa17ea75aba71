package app_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prodready/prodready/github/jobs/jobstest"
	"github.com/prodready/prodready/github/store/storetest"
)

// BenchmarkServeBurst sends 1,000 signed deliveries (32 in flight) to a real
// `prodready serve` child process and reports the acknowledgement latency and
// the process's peak resident memory (VmHWM). The deliveries name commits the
// fake GitHub does not have, so workers fail their fetches and retry later:
// the figure covers the webhook, the queue and workers, not the review itself.
func BenchmarkServeBurst(b *testing.B) {
	for _, backend := range storetest.Backends {
		b.Run(backend, func(b *testing.B) {
			const burst, inFlight = 1000, 32
			for iter := 0; iter < b.N; iter++ {
				b.StopTimer()
				g := jobstest.New(b)
				_, base := g.NewRepo("octo", "shop", map[string]string{"go.mod": goMod, "a.go": "package m\n"})
				child := startServe(b, serveEnv(g, storetest.URL(b, backend), b.TempDir(), "bench"))
				payloads := make([][]byte, burst)
				for i := range payloads {
					payloads[i] = g.PullRequestPayload(b, "synchronize", "octo", "shop", i+1, base, fmt.Sprintf("%040x", i+1))
				}
				client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: inFlight}}
				lat := make([]time.Duration, burst)
				var failed atomic.Int64
				sem := make(chan struct{}, inFlight)
				var wg sync.WaitGroup
				b.StartTimer()
				for i, p := range payloads {
					wg.Add(1)
					sem <- struct{}{}
					go func() {
						defer wg.Done()
						defer func() { <-sem }()
						req, _ := http.NewRequest(http.MethodPost, child.url+"/webhook", bytes.NewReader(p))
						req.Header.Set("Content-Type", "application/json")
						req.Header.Set("X-GitHub-Event", "pull_request")
						req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("serve-bench-%d", i))
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
				b.StopTimer()
				hwm := vmHWM(b, child.cmd.Process.Pid)
				child.cmd.Process.Kill()
				<-child.done
				if failed.Load() != 0 {
					b.Fatalf("%d deliveries not acknowledged with 202", failed.Load())
				}
				sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
				b.ReportMetric(float64(lat[burst/2].Microseconds())/1000, "p50-ack-ms")
				b.ReportMetric(float64(lat[burst*99/100].Microseconds())/1000, "p99-ack-ms")
				b.ReportMetric(float64(hwm)/1024, "peak-rss-MiB")
			}
		})
	}
}

// vmHWM reads a process's peak resident set size in KiB.
func vmHWM(b *testing.B, pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatal("no VmHWM")
	return 0
}
