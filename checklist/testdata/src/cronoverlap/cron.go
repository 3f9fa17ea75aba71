// Package cronoverlap schedules reminders and reports.
package cronoverlap

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"net/smtp"

	"github.com/robfig/cron/v3"
)

type service struct {
	db       *sql.DB
	client   *http.Client
	schedule string
}

// Every minute, through a method value whose helper sends e-mail.
func (s *service) start() {
	c := cron.New()
	c.AddFunc("@every 1m", s.sendDueReminders) // want `starts this job every 1m0s even while its last run is still going, and the job sends e-mail or SMS via .\(\*service\)\.mailOne.`
	c.AddFunc("*/5 * * * *", func() {          // want `every 5m0s.*inserts rows into snapshots`
		_, _ = s.db.ExecContext(context.Background(), "INSERT INTO snapshots (taken_at) SELECT now()")
	})
	c.AddJob("0 */2 * * * *", pusher{s}) // want `every 2m0s.*sends POST requests`
	c.Start()
}

// at most info: the schedule comes from configuration, so how often it
// fires is not in sight.
func (s *service) startConfigured() {
	c := cron.New()
	c.AddFunc(s.schedule, s.sendDueReminders) // want `at every tick of its schedule`
}

func (s *service) sendDueReminders() {
	rows, err := s.db.QueryContext(context.Background(), "SELECT email FROM reminders WHERE due_at < now()")
	if err != nil {
		return
	}
	defer rows.Close()
	for rows.Next() {
		var to string
		if rows.Scan(&to) == nil {
			s.mailOne(to)
		}
	}
}

func (s *service) mailOne(to string) {
	_ = smtp.SendMail("localhost:25", nil, "noreply@example.com", []string{to}, []byte("due"))
}

type pusher struct{ s *service }

func (p pusher) Run() {
	req, err := http.NewRequest("POST", "https://hooks.example.com/report", bytes.NewReader(nil))
	if err != nil {
		return
	}
	resp, err := p.s.client.Do(req)
	if err == nil {
		resp.Body.Close()
	}
}
