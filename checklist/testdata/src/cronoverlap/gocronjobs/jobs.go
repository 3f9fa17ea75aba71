// Package gocronjobs schedules digests with gocron.
package gocronjobs

import (
	"net/smtp"
	"time"

	"github.com/go-co-op/gocron"
	gocronv2 "github.com/go-co-op/gocron/v2"
)

func mailDigest() {
	_ = smtp.SendMail("localhost:25", nil, "a@example.com", []string{"b@example.com"}, []byte("digest"))
}

// gocron v1, every five minutes.
func startV1() {
	s := gocron.NewScheduler(time.UTC)
	_, _ = s.Every(5).Minutes().Do(mailDigest) // want `gocron starts this job every 5m0s even while its last run is still going, and the job sends e-mail`
	_, _ = s.Every(10).Seconds().SingletonMode().Do(mailDigest)
	_, _ = s.Every(2).Hours().Do(mailDigest)
	s.StartAsync()
}

// gocron v2, every minute, with a literal task.
func startV2(s gocronv2.Scheduler) {
	_, _ = s.NewJob(gocronv2.DurationJob(time.Minute), gocronv2.NewTask(func() { // want `gocron starts this job every 1m0s`
		mailDigest()
	}))
	_, _ = s.NewJob(gocronv2.DurationJob(time.Minute), gocronv2.NewTask(mailDigest), gocronv2.WithSingletonMode(gocronv2.LimitModeReschedule))
	_, _ = s.NewJob(gocronv2.CronJob("0 3 * * *", false), gocronv2.NewTask(mailDigest))
}
