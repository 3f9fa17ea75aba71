package jobs

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the worker's Prometheus metrics.
type Metrics struct {
	// Jobs counts finished attempts by result: completed, superseded,
	// skipped (the pull request was closed), retried, failed (permanently;
	// the summary says why), deferred (held back for fairness or shutdown).
	Jobs *prometheus.CounterVec
	// Duration is the time one attempt took, by result.
	Duration *prometheus.HistogramVec
	// GitHubCalls counts GitHub API responses by status code ("error" when
	// there was no response).
	GitHubCalls *prometheus.CounterVec
	// LLMTokens counts the LLM's tokens by direction (in, out).
	LLMTokens *prometheus.CounterVec
	// Running is how many reviews this process is running now. The queue
	// table cannot say it: river marks a job running when a worker fetches
	// it, also the ones fairness defers at once, and records completions in
	// batches, so its count of running jobs ran two or three times too high.
	Running prometheus.Gauge
}

// NewMetrics registers the worker's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "prodready_jobs_total", Help: "Review job attempts by result (completed, superseded, skipped, retried, failed, deferred).",
		}, []string{"result"}),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "prodready_job_duration_seconds", Help: "Duration of one review job attempt.",
			Buckets: []float64{0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600},
		}, []string{"result"}),
		GitHubCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "prodready_github_api_calls_total", Help: "GitHub API responses by HTTP status.",
		}, []string{"status"}),
		LLMTokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "prodready_llm_tokens_total", Help: "LLM tokens used by reviews, by direction (in, out).",
		}, []string{"direction"}),
		Running: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "prodready_reviews_running", Help: "Reviews this process is running now.",
		}),
	}
	reg.MustRegister(m.Jobs, m.Duration, m.GitHubCalls, m.LLMTokens, m.Running)
	return m
}

// running counts one review in progress until the returned func is called.
func (m *Metrics) running() func() {
	if m == nil {
		return func() {}
	}
	m.Running.Inc()
	return m.Running.Dec
}

func (m *Metrics) observe(result string, d time.Duration) {
	if m == nil {
		return
	}
	m.Jobs.WithLabelValues(result).Inc()
	m.Duration.WithLabelValues(result).Observe(d.Seconds())
}

// Transport counts GitHub API calls by status on their way through next.
func (m *Metrics) Transport(next http.RoundTripper) http.RoundTripper {
	if m == nil {
		return next
	}
	return countingTransport{next: next, calls: m.GitHubCalls}
}

type countingTransport struct {
	next  http.RoundTripper
	calls *prometheus.CounterVec
}

func (t countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		t.calls.WithLabelValues("error").Inc()
		return resp, err
	}
	t.calls.WithLabelValues(strconv.Itoa(resp.StatusCode)).Inc()
	return resp, nil
}

// StateCounter counts the queue's jobs by state.
type StateCounter interface {
	JobStates(ctx context.Context) (map[string]int64, error)
}

// stateCollector reports prodready_jobs{state} from the database at scrape time.
type stateCollector struct {
	src  StateCounter
	desc *prometheus.Desc
}

// RegisterStateGauge registers prodready_jobs{state}, read from src at each
// scrape. It leaves out "running", which the table over-counts (see
// Metrics.Running, prodready_reviews_running, for the true number).
func RegisterStateGauge(reg prometheus.Registerer, src StateCounter) {
	reg.MustRegister(&stateCollector{src: src, desc: prometheus.NewDesc(
		"prodready_jobs", "Review jobs in the queue by state.", []string{"state"}, nil)})
}

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	states, err := c.src.JobStates(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for s, n := range states {
		if s == "running" {
			continue
		}
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), s)
	}
}
