package cronoverlap

import (
	"context"
	"sync"

	"github.com/robfig/cron/v3"
)

type reports struct {
	s  *service
	mu sync.Mutex
}

// Left alone: schedules rarer than ten minutes.
func (r *reports) startRare() {
	c := cron.New()
	c.AddFunc("@hourly", r.s.sendDueReminders)
	c.AddFunc("30 3 * * *", r.s.sendDueReminders)
	c.AddFunc("@every 30m", r.s.sendDueReminders)
}

// Left alone: a job that only reads, and one that holds a lock for its run.
func (r *reports) startSafe() {
	c := cron.New()
	c.AddFunc("@every 1m", func() {
		_ = r.s.db.PingContext(context.Background())
	})
	c.AddFunc("@every 1m", r.lockedSend)
}

func (r *reports) lockedSend() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.s.sendDueReminders()
}
