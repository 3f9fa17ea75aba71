package cli

import (
	"context"
	"log/slog"

	"github.com/prodready/prodready/github/app"
)

const serveDoc = `Runs the GitHub App: POST /webhook takes signed deliveries and stores a durable
review job for each pull request head; workers fetch the code, review it and post
the review. Also serves /healthz, /readyz (database reachable and migrated) and
/metrics (Prometheus). Logs are JSON on stderr. SIGTERM stops accepting
deliveries, lets running reviews finish within PRODREADY_SHUTDOWN_GRACE, and
leaves the rest in the queue. It takes no flags.

` + app.EnvHelp

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("serve", "prodready serve", serveDoc, env)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("serve takes no arguments; configure it through the environment (prodready serve --help)")
	}
	cfg, err := app.ConfigFromEnv(env.Getenv)
	if err != nil {
		return usagef("%w", err)
	}
	log := slog.New(slog.NewJSONHandler(env.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	return app.Run(ctx, cfg, log)
}
