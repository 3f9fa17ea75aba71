package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/prodready/prodready/github/app"
	"github.com/prodready/prodready/github/client"
	"github.com/prodready/prodready/github/jobs"
	"github.com/prodready/prodready/github/publish"
	"github.com/prodready/prodready/github/store"
	"github.com/prodready/prodready/review"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/llm"
)

const serveDoc = `Runs the GitHub App: POST /webhook takes signed deliveries and stores a durable
review job for each pull request head; workers fetch the code, review it and post
the review. Also serves /healthz, /readyz (database reachable and migrated) and
/metrics (Prometheus). Logs are JSON on stderr. SIGTERM stops accepting
deliveries, lets running reviews finish within PRODREADY_SHUTDOWN_GRACE, and
leaves the rest in the queue.

Environment:
  PRODREADY_APP_ID            the GitHub App's ID (required)
  PRODREADY_PRIVATE_KEY       the App's private key, PEM (required, or:)
  PRODREADY_PRIVATE_KEY_FILE  a file holding the App's private key, PEM
  PRODREADY_WEBHOOK_SECRET    the webhook secret set on the App (required)
  PRODREADY_DATABASE_URL      postgres://… to share one queue among replicas;
                              unset: an embedded SQLite file in PRODREADY_DATA_DIR
  PRODREADY_ADDR              listen address (default :8080)
  PRODREADY_DATA_DIR          SQLite file, job workspaces and the shared Go module
                              cache (default prodready-data)
  GITHUB_API_URL              REST API root, for GitHub Enterprise Server
                              (default https://api.github.com)
  OPENAI_API_KEY              enables the LLM stage (any OpenAI-compatible endpoint)
  OPENAI_BASE_URL             the endpoint's base URL (default OpenAI's)
  PRODREADY_MODEL             the model name
  PRODREADY_WORKERS           reviews run at once by this process (default 4)
  PRODREADY_PER_INSTALLATION  at most this many of them for one installation
                              (default PRODREADY_WORKERS/2, at least 1)
  PRODREADY_JOB_TIMEOUT       deadline of one review attempt (default 10m)
  PRODREADY_RESCUE_AFTER      how long a review may run before other replicas take it
                              as abandoned by a crashed one (default
                              PRODREADY_JOB_TIMEOUT + 1m; at least the job timeout)
  PRODREADY_MAX_ATTEMPTS      attempts per review before it fails for good (default 6)
  PRODREADY_MAX_WORKSPACE_MB  disk cap of one review's checkout (default 2048)
  PRODREADY_REVIEW_DRAFTS     true: review draft pull requests too (default false)
  PRODREADY_REPLICA_ID        this replica's name, unique among replicas and stable
                              across its restarts (default: the host name); a
                              restarted replica requeues at once the reviews its
                              previous process left running
  PRODREADY_SHUTDOWN_GRACE    how long running reviews may finish after SIGTERM
                              (default 25s; keep it under the orchestrator's)
  PRODREADY_POLL_INTERVAL     how often idle workers look for jobs (default 1s)
  PRODREADY_LOG_LEVEL         debug, info, warn or error (default info)`

// serveConfig is serve's configuration, read from the environment.
type serveConfig struct {
	appID                   int64
	privateKey              []byte
	secret                  []byte
	databaseURL, addr, data string
	apiURL                  string
	drafts                  bool
	grace                   time.Duration
	logLevel                slog.Level
	queue                   jobs.Config
	maxWorkspace            int64
	getenv                  func(string) string
}

func loadServeConfig(getenv func(string) string) (serveConfig, error) {
	c := serveConfig{
		databaseURL: getenv("PRODREADY_DATABASE_URL"),
		addr:        or(getenv("PRODREADY_ADDR"), ":8080"),
		data:        or(getenv("PRODREADY_DATA_DIR"), "prodready-data"),
		apiURL:      getenv("GITHUB_API_URL"),
		getenv:      getenv,
	}
	var errs []error
	bad := func(name, want string) {
		errs = append(errs, usagef("%s=%q: %s", name, getenv(name), want))
	}
	id, err := strconv.ParseInt(getenv("PRODREADY_APP_ID"), 10, 64)
	if err != nil || id <= 0 {
		bad("PRODREADY_APP_ID", "set it to the GitHub App's numeric ID")
	}
	c.appID = id
	switch key, file := getenv("PRODREADY_PRIVATE_KEY"), getenv("PRODREADY_PRIVATE_KEY_FILE"); {
	case key != "":
		c.privateKey = []byte(key)
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			errs = append(errs, usagef("PRODREADY_PRIVATE_KEY_FILE: %v", err))
		}
		c.privateKey = b
	default:
		errs = append(errs, usagef("PRODREADY_PRIVATE_KEY or PRODREADY_PRIVATE_KEY_FILE: set one to the App's PEM private key"))
	}
	c.secret = []byte(getenv("PRODREADY_WEBHOOK_SECRET"))
	if len(c.secret) == 0 {
		errs = append(errs, usagef("PRODREADY_WEBHOOK_SECRET: set it to the App's webhook secret; unsigned deliveries are never accepted"))
	}
	num := func(name string, def int) int {
		v := getenv(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			bad(name, "want a positive whole number")
		}
		return n
	}
	dur := func(name string, def time.Duration) time.Duration {
		v := getenv(name)
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			bad(name, "want a positive duration such as 30s or 10m")
		}
		return d
	}
	workers := num("PRODREADY_WORKERS", 4)
	c.queue = jobs.Config{
		ID:              getenv("PRODREADY_REPLICA_ID"),
		Workers:         workers,
		PerInstallation: num("PRODREADY_PER_INSTALLATION", max(1, workers/2)),
		JobTimeout:      dur("PRODREADY_JOB_TIMEOUT", 10*time.Minute),
		RescueAfter:     dur("PRODREADY_RESCUE_AFTER", 0),
		MaxAttempts:     num("PRODREADY_MAX_ATTEMPTS", 6),
		PollInterval:    dur("PRODREADY_POLL_INTERVAL", time.Second),
	}
	if c.queue.RescueAfter != 0 && c.queue.RescueAfter < c.queue.JobTimeout {
		bad("PRODREADY_RESCUE_AFTER", "must be at least PRODREADY_JOB_TIMEOUT, or a running review would be taken from a live replica")
	}
	c.maxWorkspace = int64(num("PRODREADY_MAX_WORKSPACE_MB", 2048)) << 20
	c.grace = dur("PRODREADY_SHUTDOWN_GRACE", 25*time.Second)
	switch v := strings.ToLower(getenv("PRODREADY_REVIEW_DRAFTS")); v {
	case "", "false", "0", "no":
	case "true", "1", "yes":
		c.drafts = true
	default:
		bad("PRODREADY_REVIEW_DRAFTS", "want true or false")
	}
	if v := getenv("PRODREADY_LOG_LEVEL"); v != "" {
		if err := c.logLevel.UnmarshalText([]byte(v)); err != nil {
			bad("PRODREADY_LOG_LEVEL", "want debug, info, warn or error")
		}
	}
	if len(errs) > 0 {
		return c, errs[0]
	}
	return c, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("serve", "prodready serve", serveDoc, env)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("serve takes no arguments; configure it through the environment (prodready serve --help)")
	}
	cfg, err := loadServeConfig(env.Getenv)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(env.Stderr, &slog.HandlerOptions{Level: cfg.logLevel}))
	return serve(ctx, cfg, log)
}

func serve(ctx context.Context, cfg serveConfig, log *slog.Logger) error {
	st, err := store.Open(ctx, cfg.databaseURL, cfg.data)
	if err != nil {
		return err
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("close database", "error", err.Error())
		}
	}()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	met := jobs.NewMetrics(reg)
	jobs.RegisterStateGauge(reg, st)
	pipe := &jobs.Pipeline{
		AppID: cfg.appID, PrivateKey: cfg.privateKey, APIURL: cfg.apiURL, DataDir: cfg.data,
		MaxWorkspaceBytes: cfg.maxWorkspace, Metrics: met,
		Publisher:     jobs.GitHubPublisher{Options: publish.Options{Logger: log}},
		ClientOptions: client.Options{Logger: log},
	}
	if ep := llm.EndpointFromEnv(cfg.getenv); ep.APIKey != "" {
		if err := ep.Validate(); err != nil {
			return usagef("%w", err)
		}
		// One stage for all jobs: it bounds concurrent model calls, and its
		// answers are cached in the database, shared by replicas.
		stage, err := llm.New(llm.Options{Endpoint: ep, Cache: st, Logger: log})
		if err != nil {
			return usagef("%w", err)
		}
		pipe.NewAsker = func(context.Context, config.Config) (review.Asker, error) { return stage, nil }
		log.Info("LLM stage on", "model", ep.Model)
	} else {
		log.Info("LLM stage off: OPENAI_API_KEY is not set; reviews hold the deterministic checks only")
	}
	if _, err := pipe.Client(0); err != nil {
		return usagef("%v", err)
	}
	// Workspaces left by a crashed process; a running job's is younger.
	if n, err := pipe.Sweep(2*cfg.queue.JobTimeout+time.Minute, time.Now()); err != nil {
		log.Warn("sweep old workspaces", "error", err.Error())
	} else if n > 0 {
		log.Info("removed old workspaces", "count", n)
	}
	qc := cfg.queue
	qc.Logger, qc.Metrics, qc.Reviewer, qc.Failures = log, met, pipe, jobs.GitHubFailures{Pipeline: pipe}
	q, err := jobs.New(st, qc)
	if err != nil {
		return err
	}
	// The queue outlives ctx: on SIGTERM it gets the grace period to finish.
	if err := q.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		stopQueue(q, cfg.grace, log)
		return fmt.Errorf("listen on %s: %w (set PRODREADY_ADDR)", cfg.addr, err)
	}
	backend := "sqlite"
	if st.Postgres() {
		backend = "postgres"
	}
	log.Info("listening", "addr", ln.Addr().String(), "database", backend, "workers", qc.Workers, "replica", qc.ID)
	srv := &app.Server{
		Webhook: &app.Webhook{Secret: cfg.secret, Queue: q, Drafts: cfg.drafts, Logger: log, Deliveries: app.NewDeliveries(reg)},
		Ready:   st.Ready, Gatherer: reg, Logger: log,
	}
	serr := srv.Serve(ctx, ln, 10*time.Second)
	log.Info("stopped accepting deliveries; letting running reviews finish", "grace", cfg.grace.String())
	stopQueue(q, cfg.grace, log)
	if serr != nil && !errors.Is(serr, context.Canceled) {
		return serr
	}
	log.Info("stopped")
	return nil
}

func stopQueue(q *jobs.Client, grace time.Duration, log *slog.Logger) {
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := q.Stop(sctx); err != nil {
		log.Error("stop queue", "error", err.Error())
	}
}
