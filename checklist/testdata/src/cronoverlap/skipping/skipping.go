// Package skipping wraps its jobs so that a run skips while the last runs.
package skipping

import (
	"net/smtp"

	"github.com/robfig/cron/v3"
)

// Left alone: the scheduler skips a tick while the last run is going.
func start() {
	c := cron.New(cron.WithChain(cron.SkipIfStillRunning(cron.DefaultLogger)))
	c.AddFunc("@every 1m", func() {
		_ = smtp.SendMail("localhost:25", nil, "a@example.com", []string{"b@example.com"}, nil)
	})
}
