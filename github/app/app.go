package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/prodready/prodready/github/client"
	"github.com/prodready/prodready/github/jobs"
	"github.com/prodready/prodready/github/publish"
	"github.com/prodready/prodready/github/store"
	"github.com/prodready/prodready/review"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/llm"
)

// EnvHelp lists the environment ConfigFromEnv reads, for `serve --help`.
const EnvHelp = `Environment:
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

// Config is the App's configuration. ConfigFromEnv reads it from the
// environment `serve` documents (EnvHelp); Run builds the App from it.
type Config struct {
	AppID int64
	// PrivateKey is the App's PEM key; KeyVar names the variable it came
	// from, so errors name what the user set.
	PrivateKey []byte
	KeyVar     string
	Secret     []byte
	// DatabaseURL is postgres://…, or "" for SQLite in DataDir.
	DatabaseURL string
	Addr        string
	DataDir     string
	// APIURL is the REST API root ("" for api.github.com).
	APIURL string
	Drafts bool
	// Grace is how long running reviews may finish after shutdown begins.
	Grace    time.Duration
	LogLevel slog.Level
	Queue    jobs.Config
	// MaxWorkspace caps one review's checkout, in bytes.
	MaxWorkspace int64
	// LLM is the model endpoint; an empty APIKey leaves the stage off.
	LLM llm.Endpoint
}

// ConfigFromEnv reads and checks the App's configuration. Its error is one
// line naming the first variable at fault and what it wants; every error it
// returns is the user's to fix.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		DatabaseURL: getenv("PRODREADY_DATABASE_URL"),
		Addr:        or(getenv("PRODREADY_ADDR"), ":8080"),
		DataDir:     or(getenv("PRODREADY_DATA_DIR"), "prodready-data"),
		APIURL:      getenv("GITHUB_API_URL"),
		LLM:         llm.EndpointFromEnv(getenv),
	}
	var errs []error
	bad := func(name, want string) {
		errs = append(errs, fmt.Errorf("%s=%q: %s", name, getenv(name), want))
	}
	id, err := strconv.ParseInt(getenv("PRODREADY_APP_ID"), 10, 64)
	if err != nil || id <= 0 {
		bad("PRODREADY_APP_ID", "set it to the GitHub App's numeric ID")
	}
	c.AppID = id
	switch key, file := getenv("PRODREADY_PRIVATE_KEY"), getenv("PRODREADY_PRIVATE_KEY_FILE"); {
	case key != "":
		c.PrivateKey, c.KeyVar = []byte(key), "PRODREADY_PRIVATE_KEY"
	case file != "":
		c.KeyVar = "PRODREADY_PRIVATE_KEY_FILE"
		b, err := os.ReadFile(file)
		if err != nil {
			errs = append(errs, fmt.Errorf("PRODREADY_PRIVATE_KEY_FILE: %w", err))
		}
		c.PrivateKey = b
	default:
		errs = append(errs, errors.New("PRODREADY_PRIVATE_KEY or PRODREADY_PRIVATE_KEY_FILE: set one to the App's PEM private key"))
	}
	if len(c.PrivateKey) > 0 {
		if err := checkKey(c.AppID, c.PrivateKey); err != nil {
			what := "PRODREADY_PRIVATE_KEY"
			if c.KeyVar == "PRODREADY_PRIVATE_KEY_FILE" {
				what = fmt.Sprintf("PRODREADY_PRIVATE_KEY_FILE (%s)", getenv("PRODREADY_PRIVATE_KEY_FILE"))
			}
			errs = append(errs, fmt.Errorf("%s: not the App's PEM private key: %w; download a key from the App's settings", what, err))
		}
	}
	c.Secret = []byte(getenv("PRODREADY_WEBHOOK_SECRET"))
	if len(c.Secret) == 0 {
		errs = append(errs, errors.New("PRODREADY_WEBHOOK_SECRET: set it to the App's webhook secret; unsigned deliveries are never accepted"))
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
	c.Queue = jobs.Config{
		ID:              getenv("PRODREADY_REPLICA_ID"),
		Workers:         workers,
		PerInstallation: num("PRODREADY_PER_INSTALLATION", max(1, workers/2)),
		JobTimeout:      dur("PRODREADY_JOB_TIMEOUT", 10*time.Minute),
		RescueAfter:     dur("PRODREADY_RESCUE_AFTER", 0),
		MaxAttempts:     num("PRODREADY_MAX_ATTEMPTS", 6),
		PollInterval:    dur("PRODREADY_POLL_INTERVAL", time.Second),
	}
	if c.Queue.RescueAfter != 0 && c.Queue.RescueAfter < c.Queue.JobTimeout {
		bad("PRODREADY_RESCUE_AFTER", "must be at least PRODREADY_JOB_TIMEOUT, or a running review would be taken from a live replica")
	}
	c.MaxWorkspace = int64(num("PRODREADY_MAX_WORKSPACE_MB", 2048)) << 20
	c.Grace = dur("PRODREADY_SHUTDOWN_GRACE", 25*time.Second)
	switch v := strings.ToLower(getenv("PRODREADY_REVIEW_DRAFTS")); v {
	case "", "false", "0", "no":
	case "true", "1", "yes":
		c.Drafts = true
	default:
		bad("PRODREADY_REVIEW_DRAFTS", "want true or false")
	}
	if v := getenv("PRODREADY_LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			bad("PRODREADY_LOG_LEVEL", "want debug, info, warn or error")
		}
	}
	if c.LLM.APIKey != "" {
		if err := c.LLM.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return c, errs[0]
	}
	return c, nil
}

// checkKey parses the key as the App's transport will, so that a bad key
// is refused at start-up rather than by the first review.
func checkKey(appID int64, pem []byte) error {
	_, err := ghinstallation.NewAppsTransport(http.DefaultTransport, appID, pem)
	return err
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// Run builds the App from cfg (store, queue, workers, publisher, LLM stage,
// HTTP server) and serves until ctx is done; then it stops taking
// deliveries and lets running reviews finish within cfg.Grace.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
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
	pubOpts := publish.Options{Logger: log}
	pipe := &jobs.Pipeline{
		AppID: cfg.AppID, PrivateKey: cfg.PrivateKey, KeyVar: cfg.KeyVar, APIURL: cfg.APIURL, DataDir: cfg.DataDir,
		MaxWorkspaceBytes: cfg.MaxWorkspace, Metrics: met,
		Publisher:     jobs.GitHubPublisher{Options: pubOpts},
		ClientOptions: client.Options{Logger: log},
	}
	if cfg.LLM.APIKey != "" {
		// One stage for all jobs: it bounds concurrent model calls, and its
		// answers are cached in the database, shared by replicas.
		stage, err := llm.New(llm.Options{Endpoint: cfg.LLM, Cache: st, Logger: log})
		if err != nil {
			return fmt.Errorf("LLM stage: %w", err)
		}
		pipe.NewAsker = func(context.Context, config.Config) (review.Asker, error) { return stage, nil }
		log.Info("LLM stage on", "model", cfg.LLM.Model)
	} else {
		log.Info("LLM stage off: OPENAI_API_KEY is not set; reviews hold the deterministic checks only")
	}
	if _, err := pipe.Client(0); err != nil {
		return err
	}
	// Workspaces left by a crashed process; a running job's is younger.
	if n, err := pipe.Sweep(2*cfg.Queue.JobTimeout+time.Minute, time.Now()); err != nil {
		log.Warn("sweep old workspaces", "error", err.Error())
	} else if n > 0 {
		log.Info("removed old workspaces", "count", n)
	}
	qc := cfg.Queue
	qc.Logger, qc.Metrics, qc.Reviewer = log, met, pipe
	qc.Failures = jobs.GitHubFailures{Pipeline: pipe, Options: pubOpts}
	q, err := jobs.New(st, qc)
	if err != nil {
		return err
	}
	// The queue outlives ctx: on SIGTERM it gets the grace period to finish.
	if err := q.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		stopQueue(q, cfg.Grace, log)
		return fmt.Errorf("listen on %s: %w (set PRODREADY_ADDR)", cfg.Addr, err)
	}
	backend := "sqlite"
	if st.Postgres() {
		backend = "postgres"
	}
	log.Info("listening", "addr", ln.Addr().String(), "database", backend, "workers", qc.Workers, "replica", qc.ID)
	srv := &Server{
		Webhook: &Webhook{Secret: cfg.Secret, Queue: q, Drafts: cfg.Drafts, Logger: log, Deliveries: NewDeliveries(reg)},
		Ready:   st.Ready, Gatherer: reg, Logger: log,
	}
	serr := srv.Serve(ctx, ln, 10*time.Second)
	log.Info("stopped accepting deliveries; letting running reviews finish", "grace", cfg.Grace.String())
	stopQueue(q, cfg.Grace, log)
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
