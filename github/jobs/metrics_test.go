package jobs

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/prodready/prodready/github/store/storetest"
)

// With four workers and six jobs of one installation capped at two, the
// running gauge says 2 while two reviews run, whatever river's table holds
// for the jobs fairness defers, and 0 once they are done.
func TestRunningGaugeCountsReviewsInProgress(t *testing.T) {
	st := storetest.Open(t, "sqlite", "")
	reg := prometheus.NewRegistry()
	met := NewMetrics(reg)
	RegisterStateGauge(reg, st)
	entered := make(chan struct{}, 6)
	release := make(chan struct{})
	var finished atomic.Int32
	q, err := New(st, Config{ID: "gauge", Workers: 4, PerInstallation: 2, PollInterval: 20 * time.Millisecond,
		JobTimeout: time.Minute, Metrics: met,
		Reviewer: ReviewerFunc(func(ctx context.Context, j *Job) error {
			entered <- struct{}{}
			<-release
			finished.Add(1)
			return nil
		})})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = q.Stop(sctx)
	})
	for _, a := range prRequests(6) {
		if _, err := q.Enqueue(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	<-entered
	<-entered
	if v := testutil.ToFloat64(met.Running); v != 2 {
		t.Fatalf("prodready_reviews_running = %v while 2 reviews run, want 2", v)
	}
	// Deferred jobs keep being fetched while the two run; the gauge holds.
	waitUntil(t, "a deferred job", func() bool {
		return testutil.ToFloat64(met.Jobs.WithLabelValues("deferred")) >= 2
	})
	if v := testutil.ToFloat64(met.Running); v != 2 {
		t.Fatalf("prodready_reviews_running = %v with deferred jobs about, want 2", v)
	}
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, fam := range fams {
		if fam.GetName() != "prodready_jobs" {
			continue
		}
		for _, m := range fam.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "state" && l.GetValue() == "running" {
					t.Fatalf("prodready_jobs still reports river's running count: %v", m)
				}
			}
		}
	}
	close(release)
	waitUntil(t, "all six reviews", func() bool { return finished.Load() == 6 })
	waitUntil(t, "the gauge back to 0", func() bool { return testutil.ToFloat64(met.Running) == 0 })
}
